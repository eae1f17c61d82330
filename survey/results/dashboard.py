"""The HR dashboard's numbers for one campaign, a scope and filters — every statistic from
`analysis/`; this module only picks rows, calls the analyses and keeps the results.

Scores of every person are computed once per cached campaign frame (:func:`scored`); the
dashboard of a (scope, filters) pair is kept in the app's cache under a key of everything it is
computed from (:func:`dashboard`), so a page asked again without new results costs one indexed
count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from analysis.compare import GroupComparison, compare_groups
from analysis.culture import GroupCulture
from analysis.gaps import GapSummary
from analysis.model import MaturityModel
from analysis.people import PersonScores, score_people
from analysis.privacy import Released, release
from analysis.released import released_culture, released_summary
from analysis.selfrating import ConfidenceSummary, confidence_gaps, confidence_summary
from analysis.waves import WaveComparison, compare_waves

from ..extensions import cache, cache_key, db
from ..models import Campaign
from ..responses.packing import irt_scoring
from .frames import CampaignFrame
from .releases import Gate


@dataclass(frozen=True)
class Filters:
    """Row filters of the dashboard; None = all. ``organisations``: the user's scope (ids)."""

    organisations: tuple[int, ...] | None = None
    organisation: int | None = None
    unit: int | None = None
    governance_level: str | None = None
    sector: str | None = None
    position: int | None = None


def scored(frame: CampaignFrame, model: MaturityModel) -> PersonScores:
    """Every person's scores by :func:`analysis.people.score_people` — the function that packed
    each result — cached on the frame per model."""
    irt = None
    if frame.layout.adaptive:
        irt = irt_scoring(db.session.get(Campaign, frame.campaign_id), model)
    key = ("scored", model, id(irt.bank) if irt else None)
    if key not in frame.derived:
        layout = frame.layout
        frame.derived[key] = score_people(
            model, layout.scale_ids, frame.survey_float, layout.item_scale, layout.item_reverse,
            frame.correct_float, layout.test_competence, layout.test_level,
            len(layout.competences), frame.took_test, layout.required, frame.position, irt=irt,
        )
    return frame.derived[key]


def row_mask(frame: CampaignFrame, filters: Filters) -> NDArray[np.bool_]:
    """Rows of the frame that the scope and filters keep."""
    layout = frame.layout
    org_ok = np.ones(len(layout.organisations), dtype=bool)
    for i, org in enumerate(layout.organisations):
        if filters.organisations is not None and org.id not in filters.organisations:
            org_ok[i] = False
        if filters.organisation is not None and org.id != filters.organisation:
            org_ok[i] = False
        if filters.governance_level and org.extra["governance_level"] != filters.governance_level:
            org_ok[i] = False
        if filters.sector and org.extra["sector"] != filters.sector:
            org_ok[i] = False
    mask = (frame.organisation >= 0) & org_ok[np.maximum(frame.organisation, 0)]
    if filters.unit is not None:
        ids = np.array([u.id for u in layout.units] or [0], dtype=np.int64)
        mask &= (frame.unit >= 0) & (ids[np.maximum(frame.unit, 0)] == filters.unit)
    if filters.position is not None:
        ids = np.array([p.id for p in layout.profiles] or [0], dtype=np.int64)
        mask &= (frame.position >= 0) & (ids[np.maximum(frame.position, 0)] == filters.position)
    return mask


def visible_units(frame: CampaignFrame, filters: Filters) -> NDArray[np.intp]:
    """Codes of the units whose body the scope and filters keep (shown even with no answers)."""
    layout = frame.layout
    keep = []
    for i, unit in enumerate(layout.units):
        org = layout.organisations[layout.unit_parent[i]]
        if filters.organisations is not None and org.id not in filters.organisations:
            continue
        if filters.organisation is not None and org.id != filters.organisation:
            continue
        if filters.unit is not None and unit.id != filters.unit:
            continue
        if filters.governance_level and org.extra["governance_level"] != filters.governance_level:
            continue
        if filters.sector and org.extra["sector"] != filters.sector:
            continue
        keep.append(i)
    return np.asarray(keep, dtype=np.intp)


@dataclass(frozen=True)
class Dashboard:
    """Every number of the HR dashboard, each released by the disclosure gate
    (:mod:`analysis.privacy`) except the live response rates. Arrays follow the layout's
    unit/profile/competence order; ``units`` lists the unit codes on show. Withheld cells are
    nan / −1."""

    n: int  # people in the released figures of the selection
    k: int
    units: NDArray[np.intp]
    invited: NDArray[np.int64]  # (n_units,)
    finished: NDArray[np.int64]  # (n_units,), live: the invitation list shows each status
    response_rate: NDArray[np.float64]  # (n_units,), live; nan where nobody invited
    overall: GroupCulture  # one group: the selection
    by_unit: GroupCulture
    by_position: GroupCulture
    subscores: tuple[GroupCulture, ...]  # one group each, in the model's order
    level_counts: NDArray[np.int64]  # (5,), −1 where withheld
    gaps_overall: GapSummary  # one group
    gaps_by_unit: GapSummary
    gaps_by_position: GapSummary
    units_compared: GroupComparison
    previous_wave: WaveComparison | None
    release: int = 0  # the release the figures come from (0 = none yet)
    released_at: datetime | None = None  # when the latest release was made
    as_of: datetime | None = None  # when the selection's figures last moved
    waiting: int = 0  # finished results of the selection waiting for a release (pending)
    withheld: bool = False  # no whole group of k results lies in the selection yet
    # Self-rated against tested level per competence, over the released rows; a competence
    # with fewer than k people having both is nan (n −1).
    confidence: ConfidenceSummary | None = None


def dashboard(
    frame: CampaignFrame,
    gate: Gate,
    model: MaturityModel,
    filters: Filters,
    invited: NDArray[np.int64],
    k: int,
    previous: tuple[CampaignFrame, Gate, bool] | None = None,
) -> Dashboard:
    """The dashboard's numbers, from the app's cache when nothing they are computed from changed:
    the frame's campaign and data version, the release number, the invitation counts, the
    filters (the scope included), k, the model, and the previous wave's campaign, version,
    release and pairing.

    ``invited``: invitations per unit (:func:`survey.results.invitation_counts`), read for each
    request: invitations change without a new result, so the frame's version misses them.
    ``previous``: the earlier wave's frame, its gate and whether the waves can be paired.
    """
    key = cache_key(
        "dashboard", frame.campaign_id, frame.version, gate.number, invited_key(invited),
        filters, k, model_key(model),
        (previous[0].campaign_id, previous[0].version, previous[1].number, previous[2])
        if previous else None,
    )
    result = cache.get(key)
    if result is None:
        result = compute_dashboard(frame, gate, model, filters, invited, k, previous)
        cache.set(key, result)
    return result


def invited_key(invited: NDArray[np.int64]) -> bytes:
    """A short cache-key part that changes whenever any unit's invitation count does."""
    return hashlib.blake2b(np.ascontiguousarray(invited, dtype=np.int64).tobytes(),
                           digest_size=16).digest()


def model_key(model: MaturityModel) -> bytes:
    """A short cache-key part that changes whenever any rule of the model does (the model is a
    frozen dataclass of tuples, so its repr is the same in every process)."""
    return hashlib.blake2b(repr(model).encode(), digest_size=16).digest()


def compute_dashboard(
    frame: CampaignFrame,
    gate: Gate,
    model: MaturityModel,
    filters: Filters,
    invited: NDArray[np.int64],
    k: int,
    previous: tuple[CampaignFrame, Gate, bool] | None = None,
) -> Dashboard:
    """The dashboard's numbers without the cache (see :func:`dashboard`)."""
    layout = frame.layout
    partition = gate.partition
    person = scored(frame, model)
    rows = row_mask(frame, filters)
    n_units, n_profiles = len(layout.units), len(layout.profiles)
    everyone = np.zeros(frame.n, dtype=np.intp)
    whole = release(partition, rows)

    finished = np.bincount(frame.unit[rows & (frame.unit >= 0)], minlength=n_units)[:n_units]
    rate = np.full(n_units, np.nan)
    np.divide(finished, invited, out=rate, where=invited > 0)

    levels = person.culture_level.astype(np.intp) - 1
    overall = released_summary(model, partition, rows, everyone, 1, person.culture,
                               person.gaps, person.subscores, levels)
    by_unit = released_summary(model, partition, rows, frame.unit, n_units, person.culture,
                               person.gaps)
    by_position = released_summary(model, partition, rows, frame.position, n_profiles,
                                   person.culture, person.gaps)
    comparison = compare_groups(person.culture, by_unit.table.codes, n_units, k)
    wave = None
    if previous is not None and isinstance(whole, Released):
        wave = compare_previous(frame, person.culture, whole.rows, previous, model, filters, k)
    return Dashboard(
        n=whole.count if isinstance(whole, Released) else 0,
        k=k,
        units=visible_units(frame, filters),
        invited=invited,
        finished=finished.astype(np.int64),
        response_rate=rate,
        overall=overall.culture,
        by_unit=by_unit.culture,
        by_position=by_position.culture,
        subscores=overall.subscores,
        level_counts=overall.level_counts[0],
        gaps_overall=overall.gaps,
        gaps_by_unit=by_unit.gaps,
        gaps_by_position=by_position.gaps,
        units_compared=comparison,
        previous_wave=wave,
        release=gate.number,
        released_at=gate.released_at,
        as_of=gate.times.get(whole.as_of) if isinstance(whole, Released) else None,
        waiting=int(np.count_nonzero(rows & (partition.atom < 0))),
        withheld=not isinstance(whole, Released),
        confidence=_confidence(frame, person, whole.rows if isinstance(whole, Released)
                               else np.zeros(frame.n, dtype=bool), k),
    )


def released_rows(frame: CampaignFrame, gate: Gate, filters: Filters) -> NDArray[np.bool_]:
    """The rows of a selection that are in its released figures (whole atoms inside it): the
    only rows a comparison, an item-quality table or a plan may use."""
    result = release(gate.partition, row_mask(frame, filters))
    return result.rows if isinstance(result, Released) else np.zeros(frame.n, dtype=bool)


def _confidence(frame: CampaignFrame, person: PersonScores, rows: NDArray[np.bool_],
                k: int) -> ConfidenceSummary | None:
    """Over- and under-confidence of the rows per competence, hidden below k people."""
    if not frame.layout.rating_columns.size or not frame.layout.test_items:
        return None
    found = confidence_summary(confidence_gaps(frame.self_rating[rows], person.levels[rows]))
    small = found.n < k
    def hide(values: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.where(small, np.nan, values)
    return ConfidenceSummary(np.where(small, -1, found.n), hide(found.over),
                             hide(found.accurate), hide(found.under), hide(found.mean_gap))


def compare_previous(
    frame: CampaignFrame,
    culture: NDArray[np.float64],
    rows: NDArray[np.bool_],
    previous: tuple[CampaignFrame, Gate, bool],
    model: MaturityModel,
    filters: Filters,
    k: int,
) -> WaveComparison:
    """This wave's released culture scores against the previous wave's, in the same scope and
    filters. Paired by person only when both waves are identified and the people found in
    both are exactly the released rows of each (pairing would otherwise compute on a set that
    was never released); unpaired otherwise."""
    before_frame, before_gate, paired = previous
    before_rows = released_rows(before_frame, before_gate, filters)
    before = scored(before_frame, model).culture
    if paired:
        ids_after = frame.person[rows]
        ids_before = before_frame.person[before_rows]
        common, i_after, i_before = np.intersect1d(ids_after, ids_before, return_indices=True)
        if (np.all(ids_after >= 0) and np.all(ids_before >= 0)
                and common.size == ids_after.size == ids_before.size):
            return compare_waves(before[before_rows][i_before], culture[rows][i_after], True, k)
    return compare_waves(before[before_rows], culture[rows], False, k)


def released_culture_score(frame: CampaignFrame, gate: Gate, model: MaturityModel,
                           organisation_id: int) -> GroupCulture:
    """A body's released culture score (one group: mean, interval, band; withheld = n −1 and
    nan) — for pages outside the HR dashboard, e.g. the expert assessment's maturity index.
    Load the arguments with :func:`survey.results.released_figures`."""
    rows = row_mask(frame, Filters(organisation=organisation_id))
    return released_culture(model, gate.partition, rows, scored(frame, model).culture,
                            np.zeros(frame.n, dtype=np.intp), 1)[0]


def top_gaps(summary: GapSummary, units: NDArray[np.intp], limit: int = 10) -> list[tuple[int, int]]:
    """(unit code, competence index) of the ``limit`` shown cells with the highest priority."""
    priority = summary.priority[units]
    flat = np.where(np.isfinite(priority) & (priority > 0), priority, -np.inf).ravel()
    order = np.argsort(-flat, kind="stable")[:limit]
    n_comp = priority.shape[1] if priority.ndim == 2 else 0
    return [(int(units[i // n_comp]), int(i % n_comp)) for i in order if np.isfinite(flat[i])]


def body_culture_score(campaign: Campaign, organisation_id: int, k: int) -> GroupCulture:
    """The released culture score of one body in one campaign, read and released here (the
    one call for a page that shows a body's culture score, e.g. the maturity index)."""
    from ..questionnaires.reference import maturity_model
    from .releases import released_figures

    frame, gate, _invited = released_figures(campaign, k)
    return released_culture_score(frame, gate, maturity_model().model, organisation_id)
