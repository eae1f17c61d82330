"""The HR dashboard's numbers for one campaign, a scope and filters — every statistic from
`analysis/`; this module only picks rows, calls the analyses and keeps the results.

Scores of every person are computed once per cached campaign frame (:func:`scored`); the
dashboard of a (scope, filters) pair is kept in the app's cache under a key of everything it is
computed from (:func:`dashboard`), so a page asked again without new results costs one indexed
count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from analysis.compare import GroupComparison, compare_groups
from analysis.culture import GroupCulture, group_culture
from analysis.gaps import GapSummary, gap_summary
from analysis.model import MaturityModel
from analysis.people import PersonScores, score_people
from analysis.selfrating import ConfidenceSummary, confidence_gaps, confidence_summary
from analysis.suppression import group_counts, suppress
from analysis.waves import WaveComparison, compare_waves

from ..extensions import cache, cache_key, db
from ..models import Campaign
from ..responses.packing import irt_scoring
from .frames import CampaignFrame


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


FILTER_FIELDS = ("organisation", "unit", "governance_level", "sector", "position")


@dataclass(frozen=True)
class Differencing:
    """What must stay hidden because a wider selection the same user can ask for differs from
    this one by 1 to k−1 people: publishing both would give those people's results by
    subtraction. ``whole``: the selection itself; ``units``/``positions``: bool (n_units,) /
    (n_profiles,), cells of the by-unit and by-position tables."""

    whole: bool
    units: NDArray[np.bool_]
    positions: NDArray[np.bool_]


def wider_selections(filters: Filters) -> list[Filters]:
    """The selection with one or more of its filters dropped: every one a user could also ask
    for (the scope itself is never dropped)."""
    chosen = [name for name in FILTER_FIELDS if getattr(filters, name) is not None]
    return [
        replace(filters, **{name: None for name in chosen if name not in kept})
        for size in range(len(chosen))
        for kept in combinations(chosen, size)
    ]


def _cell_counts(codes: NDArray[np.intp], rows: NDArray[np.bool_], n: int) -> NDArray[np.int64]:
    picked = codes[rows]
    return np.bincount(picked[picked >= 0], minlength=n)[:n]


def differencing(frame: CampaignFrame, filters: Filters, rows: NDArray[np.bool_],
                 k: int) -> Differencing:
    """Cells of this selection that a wider selection would reveal (see :class:`Differencing`)."""
    n_units, n_profiles = len(frame.layout.units), len(frame.layout.profiles)
    units = _cell_counts(frame.unit, rows, n_units)
    positions = _cell_counts(frame.position, rows, n_profiles)
    whole = False
    hidden_units = np.zeros(n_units, dtype=bool)
    hidden_positions = np.zeros(n_profiles, dtype=bool)
    for wider in wider_selections(filters):
        mask = row_mask(frame, wider)
        difference = int(mask.sum()) - int(rows.sum())
        whole |= 0 < difference < k
        extra = _cell_counts(frame.unit, mask, n_units) - units
        hidden_units |= (extra > 0) & (extra < k)
        extra = _cell_counts(frame.position, mask, n_profiles) - positions
        hidden_positions |= (extra > 0) & (extra < k)
    return Differencing(whole, hidden_units, hidden_positions)


def safe_rows(frame: CampaignFrame, filters: Filters, k: int) -> tuple[NDArray[np.bool_], bool]:
    """The rows of a selection, or none when the selection as a whole would reveal a few people
    by subtraction from a wider one; and whether it was withheld for that reason."""
    rows = row_mask(frame, filters)
    if differencing(frame, filters, rows, k).whole:
        return np.zeros_like(rows), True
    return rows, False


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
    """Every number of the HR dashboard. Arrays follow the layout's unit/profile/competence
    order; ``units`` lists the unit codes on show. Suppressed cells are nan / −1."""

    n: int  # people in the filtered rows
    k: int
    units: NDArray[np.intp]
    invited: NDArray[np.int64]  # (n_units,)
    finished: NDArray[np.int64]  # (n_units,), −1 where suppressed
    response_rate: NDArray[np.float64]  # (n_units,), nan where suppressed or nobody invited
    overall: GroupCulture  # one group: everyone filtered
    by_unit: GroupCulture
    by_position: GroupCulture
    subscores: tuple[GroupCulture, ...]  # one group each, in the model's order
    level_counts: NDArray[np.int64]  # (5,), −1 where suppressed
    gaps_overall: GapSummary  # one group
    gaps_by_unit: GapSummary
    gaps_by_position: GapSummary
    units_compared: GroupComparison
    previous_wave: WaveComparison | None
    withheld: bool = False  # the selection would reveal a few people by subtraction
    # Self-rated against tested level per competence; a competence with fewer than k people
    # having both is nan (n −1).
    confidence: ConfidenceSummary | None = None


def dashboard(
    frame: CampaignFrame,
    model: MaturityModel,
    filters: Filters,
    invited: NDArray[np.int64],
    k: int,
    previous: tuple[CampaignFrame, bool] | None = None,
) -> Dashboard:
    """The dashboard's numbers, from the app's cache when nothing they are computed from changed:
    the frame's campaign and data version, the invitation counts, the filters (the scope
    included), k, the model, and the previous wave's campaign, version and pairing.

    ``invited``: invitations per unit (:func:`survey.results.invitation_counts`), read for each
    request: invitations change without a new result, so the frame's version misses them.
    ``previous``: the earlier wave's frame and whether the two waves can be paired by person.
    """
    key = cache_key(
        "dashboard", frame.campaign_id, frame.version, invited_key(invited), filters, k,
        model_key(model),
        (previous[0].campaign_id, previous[0].version, previous[1]) if previous else None,
    )
    result = cache.get(key)
    if result is None:
        result = compute_dashboard(frame, model, filters, invited, k, previous)
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
    model: MaturityModel,
    filters: Filters,
    invited: NDArray[np.int64],
    k: int,
    previous: tuple[CampaignFrame, bool] | None = None,
) -> Dashboard:
    """The dashboard's numbers without the cache (see :func:`dashboard`)."""
    layout = frame.layout
    person = scored(frame, model)
    rows = row_mask(frame, filters)
    withheld = differencing(frame, filters, rows, k)
    if withheld.whole:
        rows = np.zeros_like(rows)
    shown_units = visible_units(frame, filters)
    n_units, n_profiles = len(layout.units), len(layout.profiles)
    parent = layout.unit_parent
    units = frame.unit[rows]
    positions = frame.position[rows]
    culture = person.culture[rows]
    everyone = np.zeros(int(rows.sum()), dtype=np.intp)

    finished = group_counts(units, n_units)
    hidden = suppress(finished, k, parent, withheld.units)
    rate = np.full(n_units, np.nan)
    np.divide(finished, invited, out=rate, where=(invited > 0) & ~hidden)

    levels = person.culture_level[rows]
    level_counts = group_counts(levels[levels > 0].astype(np.intp) - 1, 5)
    level_hidden = suppress(level_counts, k)

    gaps = person.gaps[rows]
    comparison = compare_groups(culture, units, n_units, k, parent, also_hidden=withheld.units)
    wave = None
    if previous is not None:
        wave = compare_previous(frame, person.culture, rows, previous, model, filters, k)
    return Dashboard(
        n=int(rows.sum()),
        k=k,
        units=shown_units,
        invited=invited,
        finished=np.where(hidden, -1, finished),
        response_rate=rate,
        overall=group_culture(model, culture, everyone, 1, k),
        by_unit=group_culture(model, culture, units, n_units, k, parent,
                              also_hidden=withheld.units),
        by_position=group_culture(model, culture, positions, n_profiles, k,
                                  also_hidden=withheld.positions),
        subscores=tuple(
            group_culture(model, person.subscores[rows, j], everyone, 1, k)
            for j in range(person.subscores.shape[1])
        ),
        level_counts=np.where(level_hidden, -1, level_counts),
        gaps_overall=gap_summary(gaps, everyone, 1, k),
        gaps_by_unit=gap_summary(gaps, units, n_units, k, parent, withheld.units),
        gaps_by_position=gap_summary(gaps, positions, n_profiles, k,
                                     also_hidden=withheld.positions),
        units_compared=comparison,
        previous_wave=wave,
        withheld=withheld.whole,
        confidence=_confidence(frame, person, rows, k),
    )


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
    previous: tuple[CampaignFrame, bool],
    model: MaturityModel,
    filters: Filters,
    k: int,
) -> WaveComparison:
    """This wave's culture scores against the previous wave's, in the same scope and filters;
    paired by person when both waves are identified."""
    before_frame, paired = previous
    before_rows, _withheld = safe_rows(before_frame, filters, k)
    before = scored(before_frame, model).culture
    if paired:
        ids_after = frame.person[rows]
        ids_before = before_frame.person[before_rows]
        common, i_after, i_before = np.intersect1d(ids_after[ids_after >= 0],
                                                   ids_before[ids_before >= 0],
                                                   return_indices=True)
        after_values = culture[rows][ids_after >= 0][i_after]
        before_values = before[before_rows][ids_before >= 0][i_before]
        return compare_waves(before_values, after_values, True, k)
    return compare_waves(before[before_rows], culture[rows], False, k)


def top_gaps(summary: GapSummary, units: NDArray[np.intp], limit: int = 10) -> list[tuple[int, int]]:
    """(unit code, competence index) of the ``limit`` shown cells with the highest priority."""
    priority = summary.priority[units]
    flat = np.where(np.isfinite(priority) & (priority > 0), priority, -np.inf).ravel()
    order = np.argsort(-flat, kind="stable")[:limit]
    n_comp = priority.shape[1] if priority.ndim == 2 else 0
    return [(int(units[i // n_comp]), int(i % n_comp)) for i in order if np.isfinite(flat[i])]
