"""Bulk reads of finished attempts for `analysis/`: one query per campaign, numpy arrays out.

Each finished attempt has one packed :class:`~survey.models.AttemptResult` row (see its
docstring). :func:`load_campaign` reads only the columns the analyses need — the copied group
columns and the packed answer bytes — in a single query through :mod:`survey.results.packed` (on
PostgreSQL the database joins every row into one byte string; elsewhere the driver's rows are
joined in one pass) and views them as ``uint8`` matrices with ``np.frombuffer``: reading
100,000 attempts is one pass over about 11 MB instead of 11 million answer rows.

Frames are kept alive in the app's process cache (:class:`survey.extensions.ProcessCache`, which
says why not in the shared cache) per campaign, with their *data version* (:func:`data_version`:
the number of results and the highest attempt id, read from the ``campaign_id`` index); a frame
whose version is not the campaign's current one is read again, so a new finished attempt makes
the next read fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select

from ..extensions import db, process_cache
from ..i18n import pick
from ..models import (
    AttemptResult,
    Campaign,
    Competence,
    Invitation,
    Item,
    RequiredLevel,
    RoleProfile,
    Unit,
)
from .packed import read_columns


@dataclass(frozen=True)
class Named:
    """A plain copy of a named row (unit, body, competence, profile, item), safe to keep across
    requests. ``names``: {"kk", "ru", "en"}; ``extra``: the few other fields pages show."""

    id: int
    code: str
    names: dict
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return pick(self.names)


def _named(row: Any, names: dict, **extra: Any) -> Named:
    return Named(row.id, row.code, dict(names or {}), extra)


@dataclass(frozen=True)
class CampaignLayout:
    """What the columns of the packed vectors mean, for one campaign.

    ``scale_ids``: the survey's scales; ``item_scale``/``item_reverse`` (n_survey_items,).
    ``competences``: every competence (ordered by position); ``test_competence``/``test_level``
    (n_test_items,). ``required``: int (n_profiles, n_competences), 0 where a profile requires
    nothing. ``profiles``/``organisations``/``units``: the rows the group codes index.
    ``unit_parent``: int (n_units,), each unit's organisation code. ``unit_tree``: int
    (n_units,), each unit's parent unit code (``Unit.parent``), −1 for a top unit of its body.
    ``survey_width``: bytes per packed survey row (Likert statements and self-ratings);
    ``likert_columns``/``rating_columns``: where each kind sits in it; ``rating_competence``
    (n_ratings,): the competence index of each self-rating. ``adaptive``: the campaign's test
    is adaptive (levels from ability estimates).
    """

    scale_ids: tuple[str, ...]
    item_scale: NDArray[np.intp]
    item_reverse: NDArray[np.bool_]
    survey_items: tuple[Named, ...]
    competences: tuple[Named, ...]
    test_competence: NDArray[np.intp]
    test_level: NDArray[np.intp]
    test_items: tuple[Named, ...]
    profiles: tuple[Named, ...]
    required: NDArray[np.int64]
    organisations: tuple[Named, ...]
    units: tuple[Named, ...]
    unit_parent: NDArray[np.intp]
    unit_tree: NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    survey_width: int = 0
    likert_columns: NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    rating_columns: NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    rating_competence: NDArray[np.intp] = field(
        default_factory=lambda: np.zeros(0, dtype=np.intp))
    adaptive: bool = False


@dataclass
class CampaignFrame:
    """Every finished attempt of a campaign as arrays, rows in attempt-id order.

    ``survey``: uint8 (n, n_survey_items), 0 = missing, 1..5 = answer (Likert statements).
    ``self_rating``: uint8 (n, n_competences), 0 = none, 1..5 = the self-rated level.
    ``correct``: uint8 (n, n_test_items), 0 = wrong or unanswered, 1 = right, 2 = not presented.
    ``took_test``: bool (n,). ``organisation``/``unit``/``position``/``language``: int codes
    (n,) into ``layout.organisations``/``layout.units``/``layout.profiles``/
    ``LANGUAGE_CODES``; −1 for a row whose group is not in the layout. ``person``: int64 (n,),
    −1 in anonymous campaigns. ``attempt``: int64 (n,), each row's attempt id (ascending).
    """

    campaign_id: int
    version: tuple[int, int]
    layout: CampaignLayout
    survey: NDArray[np.uint8]
    correct: NDArray[np.uint8]
    took_test: NDArray[np.bool_]
    organisation: NDArray[np.intp]
    unit: NDArray[np.intp]
    position: NDArray[np.intp]
    language: NDArray[np.intp]
    person: NDArray[np.int64]
    self_rating: NDArray[np.uint8] = field(default_factory=lambda: np.zeros((0, 0), np.uint8))
    attempt: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    derived: dict[str, Any] = field(default_factory=dict)  # cache for scored arrays

    @property
    def n(self) -> int:
        return int(self.unit.size)

    @cached_property
    def survey_float(self) -> NDArray[np.float64]:
        """Survey answers as float (n, n_items) with nan for missing, as `analysis` expects."""
        matrix = self.survey.astype(float)
        matrix[self.survey == 0] = np.nan
        return matrix

    @cached_property
    def correct_float(self) -> NDArray[np.float64]:
        """Test answers as float 1.0 / 0.0, nan where not presented (an item outside the linear
        form or never picked by an adaptive attempt) and in rows of people who did not take the
        test; every analysis skips nan."""
        matrix = self.correct.astype(float)
        matrix[self.correct == 2] = np.nan
        matrix[~self.took_test] = np.nan
        return matrix


def data_version(campaign_id: int) -> tuple[int, int]:
    """(number of results, highest attempt id) of a campaign: changes when a result is added."""
    count, highest = db.session.execute(
        select(func.count(), func.max(AttemptResult.attempt_id)).where(
            AttemptResult.campaign_id == campaign_id
        )
    ).one()
    return int(count), int(highest or 0)


def _codes(values: NDArray[np.int64], ids: list[int]) -> NDArray[np.intp]:
    """Map database ids to positions in ``ids`` (−1 when absent), vectorised."""
    if not ids:
        return np.full(values.shape, -1, dtype=np.intp)
    table = np.asarray(ids, dtype=np.int64)
    order = np.argsort(table)
    sorted_ids = table[order]
    where = np.clip(np.searchsorted(sorted_ids, values), 0, len(ids) - 1)
    found = sorted_ids[where] == values
    return np.where(found, order[where], -1).astype(np.intp)


def _version_items(version_id: int | None) -> list[Item]:
    if version_id is None:
        return []
    return list(db.session.scalars(select(Item).filter_by(version_id=version_id).order_by(Item.position)))


def load_layout(campaign: Campaign) -> CampaignLayout:
    """Item order, competences, role requirements and groups of a campaign (a few small reads)."""
    every_survey_item = _version_items(campaign.survey_version_id)
    survey_items = [i for i in every_survey_item if i.type == "likert"]
    ratings = [(n, i) for n, i in enumerate(every_survey_item) if i.type == "self_rating"]
    test_items = _version_items(campaign.test_version_id)
    scale_ids = tuple(dict.fromkeys(item.scale for item in survey_items if item.scale))
    competences = tuple(db.session.scalars(select(Competence).order_by(Competence.position)))
    competence_index = {c.id: i for i, c in enumerate(competences)}
    profiles = tuple(db.session.scalars(select(RoleProfile).order_by(RoleProfile.position)))
    profile_index = {p.id: i for i, p in enumerate(profiles)}
    required = np.zeros((len(profiles), len(competences)), dtype=np.int64)
    for row in db.session.scalars(select(RequiredLevel)):
        if row.profile_id in profile_index and row.competence_id in competence_index:
            required[profile_index[row.profile_id], competence_index[row.competence_id]] = row.level
    organisations = tuple(sorted(campaign.organisations, key=lambda o: o.code))
    org_index = {o.id: i for i, o in enumerate(organisations)}
    units = tuple(
        db.session.scalars(
            select(Unit).where(Unit.organisation_id.in_(list(org_index))).order_by(
                Unit.organisation_id, Unit.code
            )
        )
    )
    unit_index = {u.id: i for i, u in enumerate(units)}
    return CampaignLayout(
        scale_ids=scale_ids,
        item_scale=np.array([scale_ids.index(i.scale) for i in survey_items], dtype=np.intp),
        item_reverse=np.array([bool(i.reverse) for i in survey_items], dtype=bool),
        survey_items=tuple(_named(i, i.texts, scale=i.scale) for i in survey_items),
        competences=tuple(_named(c, c.names) for c in competences),
        test_competence=np.array([competence_index[i.competence_id] for i in test_items], dtype=np.intp),
        test_level=np.array([i.level or 1 for i in test_items], dtype=np.intp),
        test_items=tuple(_named(i, i.texts, level=i.level, type=i.type, options=i.options, key=i.key)
                         for i in test_items),
        profiles=tuple(_named(p, p.names) for p in profiles),
        required=required,
        organisations=tuple(
            _named(o, o.names, governance_level=o.governance_level, sector=o.sector)
            for o in organisations
        ),
        units=tuple(_named(u, u.names, organisation_id=u.organisation_id) for u in units),
        unit_parent=np.array([org_index[u.organisation_id] for u in units], dtype=np.intp),
        unit_tree=np.array([unit_index.get(u.parent_id, -1) if u.parent_id is not None else -1
                            for u in units], dtype=np.intp),
        survey_width=len(every_survey_item),
        likert_columns=np.array([n for n, i in enumerate(every_survey_item) if i.type == "likert"],
                                dtype=np.intp),
        rating_columns=np.array([n for n, _i in ratings], dtype=np.intp),
        rating_competence=np.array([competence_index[i.competence_id] for _n, i in ratings],
                                   dtype=np.intp),
        adaptive=campaign.test_mode == "adaptive",
    )


def read_frame(campaign: Campaign, version: tuple[int, int] | None = None) -> CampaignFrame:
    """Read every result of ``campaign`` with one query (no cache); see :mod:`survey.results.packed`."""
    layout = load_layout(campaign)
    columns = read_columns(campaign.id, {"survey_answers": layout.survey_width,
                                         "test_correct": len(layout.test_items)})
    every, _ = columns.packed["survey_answers"]
    survey = np.ascontiguousarray(every[:, layout.likert_columns])
    self_rating = np.zeros((columns.n, len(layout.competences)), dtype=np.uint8)
    self_rating[:, layout.rating_competence] = every[:, layout.rating_columns]
    correct, took = columns.packed["test_correct"]
    ids = columns.ids
    return CampaignFrame(
        campaign_id=campaign.id,
        version=version or (columns.n, 0),
        layout=layout,
        survey=survey,
        correct=correct,
        took_test=took if layout.test_items else np.zeros(columns.n, dtype=bool),
        organisation=_codes(ids["organisation_id"], [o.id for o in layout.organisations]),
        unit=_codes(ids["unit_id"], [u.id for u in layout.units]),
        position=_codes(ids["position_category_id"], [p.id for p in layout.profiles]),
        language=columns.language,
        person=ids["person_id"],
        self_rating=self_rating,
        attempt=ids["attempt_id"],
    )


def test_choices(campaign: Campaign, frame: CampaignFrame) -> NDArray[np.uint8] | None:
    """The chosen options of the frame's rows (see ``AttemptResult.test_choices``), uint8
    (n, n_test_items), read once per frame; None when results arrived since the frame was read
    (the rows would no longer line up)."""
    if "test_choices" not in frame.derived:
        up_to = frame.version[1] if frame.version[1] else None
        columns = read_columns(campaign.id, {"test_choices": len(frame.layout.test_items)},
                               groups=False, up_to=up_to)
        matrix, _ = columns.packed["test_choices"]
        frame.derived["test_choices"] = matrix if columns.n == frame.n else None
    return frame.derived["test_choices"]


def load_campaign(campaign: Campaign) -> CampaignFrame:
    """The campaign's frame, from the process cache when no result was added since it was read.

    Keyed by campaign alone, with the version checked on the way out: an older version is never
    asked for again, so it is replaced rather than left to take memory."""
    version = data_version(campaign.id)
    key = ("campaign_frame", campaign.id)
    cached = process_cache.get(key)
    if cached is not None and cached.version == version:
        return cached
    frame = read_frame(campaign, version)
    process_cache.set(key, frame)
    return frame


def invitation_counts(campaign_id: int, units: tuple[Named, ...]) -> NDArray[np.int64]:
    """Invitations of the campaign per unit, int (n_units,) in the layout's unit order.

    One grouped query; not cached with the frame, whose version counts results only."""
    counts = np.zeros(len(units), dtype=np.int64)
    index = {u.id: i for i, u in enumerate(units)}
    query = (
        select(Invitation.unit_id, func.count())
        .where(Invitation.campaign_id == campaign_id)
        .group_by(Invitation.unit_id)
    )
    for unit_id, count in db.session.execute(query):
        if unit_id in index:
            counts[index[unit_id]] = count
    return counts
