"""The overall digital maturity of a body: its four dimension scores, the weighted index with
its band, its strongest and weakest criteria — every number from ``analysis/``.

* Expert dimensions: the weighted mean of a **confirmed** assessment's ratings with the weights
  recorded on it (:func:`analysis.expert.dimension_score`).
* Digital culture: the body's mean culture score in the campaign whose closing day falls in
  the assessment's period (the latest such), released through the disclosure gate
  (:func:`analysis.privacy.release`), so no score is shown for fewer than k results.
* The index: :func:`analysis.culture.maturity_index`, none when any dimension is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from flask import current_app

from analysis.culture import maturity_index
from analysis.expert import dimension_score, extremes, group_means
from analysis.model import CULTURE_DIMENSION, MaturityModel
from analysis.privacy import Organisation as GateTree
from analysis.privacy import Partition, People, Released, extend_release, release
from analysis.suppression import group_counts

from ..extensions import db
from ..models import Assessment, Campaign, Unit
from ..models.org import Organisation
from .dashboard import scored
from .frames import CampaignFrame, invitation_counts, load_campaign

EXPERT_DIMENSIONS = ("strategic_management", "organisational_maturity", "technological_maturity")


@dataclass(frozen=True)
class Rated:
    """One criterion of a confirmed assessment."""

    dimension: str
    criterion: str
    level: int
    weight: float


@dataclass(frozen=True)
class Culture:
    """The culture score a body's index uses: the campaign, the results in the figure, the
    finished results left out of it, and the mean (None: withheld or no campaign)."""

    campaign: Campaign
    count: int
    waiting: int
    score: float | None


@dataclass(frozen=True)
class BodyMaturity:
    """Everything the maturity page of one body and period shows. ``scores``: each of the
    model's dimensions, in its order, → score on 1–5 or None when missing; ``levels`` the same
    with bands (0 = none); ``index``/``level`` None/0 unless all four exist."""

    organisation: Organisation
    assessment: Assessment
    culture: Culture | None
    scores: dict[str, float | None]
    levels: dict[str, int]
    index: float | None
    level: int
    criteria: tuple[Rated, ...]
    strengths: tuple[Rated, ...]
    weaknesses: tuple[Rated, ...]

    @property
    def missing(self) -> list[str]:
        return [dimension for dimension, score in self.scores.items() if score is None]


def last_day(campaign: Campaign) -> date:
    """A campaign's closing day in local time (``closes_at`` is the moment after it)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return (campaign.closes_at - timedelta(microseconds=1)).astimezone(zone).date()


def matching_campaign(organisation: Organisation, start: date, end: date) -> Campaign | None:
    """The latest campaign of the body whose closing day lies in the period, if any."""
    campaigns = [c for c in organisation_campaigns(organisation) if start <= last_day(c) <= end]
    return max(campaigns, key=lambda c: c.closes_at, default=None)


def organisation_campaigns(organisation: Organisation) -> list[Campaign]:
    return list(db.session.scalars(
        db.select(Campaign).where(Campaign.organisations.any(id=organisation.id))
        .where(Campaign.status != "draft")
    ))


def _partition(campaign: Campaign, frame: CampaignFrame, valid: np.ndarray,
               k: int) -> Partition:
    """The gate's atoms for the campaign's results.

    The gate's partition is not stored by the web layer yet (analysis/README.md, "What the web
    layer stores"): it is formed here from the results in attempt order, with the invitations
    still outstanding per unit while the campaign is open. Read the stored partition instead
    once the release job keeps one.
    """
    layout = frame.layout
    unit_index = {u.id: i for i, u in enumerate(layout.units)}
    parents = dict(db.session.execute(
        db.select(Unit.id, Unit.parent_id).where(Unit.id.in_(list(unit_index)))).all())
    unit_parent = np.array([unit_index.get(parents.get(u.id), -1) for u in layout.units],
                           dtype=np.intp)
    tree = GateTree(unit_parent, np.asarray(layout.unit_parent, dtype=np.intp),
                    len(layout.organisations))
    people = People(frame.organisation[valid], frame.unit[valid], frame.position[valid],
                    frame.language[valid])
    outstanding = None
    if campaign.status == "open":
        invited = invitation_counts(campaign.id, layout.units)
        finished = group_counts(frame.unit[valid], len(layout.units))
        outstanding = np.maximum(invited - finished, 0)
    return extend_release(None, tree, people, k, outstanding)


def body_culture(campaign: Campaign, organisation: Organisation, model: MaturityModel,
                 k: int) -> Culture:
    """The body's mean culture score in the campaign, through the disclosure gate."""
    frame = load_campaign(campaign)
    key = ("maturity-partition", k, campaign.status, model)
    codes = [o.id for o in frame.layout.organisations]
    valid = frame.organisation >= 0  # rows of a body no longer in the campaign take no part
    if key not in frame.derived:
        frame.derived[key] = _partition(campaign, frame, valid, k)
    partition = frame.derived[key]
    if organisation.id not in codes:
        return Culture(campaign, 0, 0, None)
    culture = scored(frame, model).culture[valid]
    selection = frame.organisation[valid] == codes.index(organisation.id)
    released = release(partition, selection, culture)
    if not isinstance(released, Released) or released.n_valid[0] < k:
        return Culture(campaign, 0, released.waiting, None)
    return Culture(campaign, int(released.n_valid[0]), released.waiting,
                   float(released.means[0]))


def body_maturity(assessment: Assessment, model: MaturityModel, k: int) -> BodyMaturity:
    """The maturity of the assessment's body for its period (the assessment must be confirmed
    for its dimensions to count; otherwise they are missing)."""
    organisation = assessment.organisation
    rated = tuple(Rated(r.dimension, r.criterion, int(r.level), float(r.weight))
                  for r in assessment.ratings if r.level is not None and r.weight is not None)
    expert: dict[str, float] = {}
    if assessment.status == "confirmed":
        for dimension in EXPERT_DIMENSIONS:
            mine = [r for r in rated if r.dimension == dimension]
            if mine:
                expert[dimension] = dimension_score([r.level for r in mine],
                                                    [r.weight for r in mine])
    campaign = matching_campaign(organisation, assessment.period_start, assessment.period_end)
    culture = body_culture(campaign, organisation, model, k) if campaign else None
    culture_score = culture.score if culture and culture.score is not None else np.nan
    index = maturity_index(model, [culture_score],
                           {d: [s] for d, s in expert.items()})
    scores: dict[str, float | None] = {}
    for dimension, _weight in model.dimension_weights:
        value = culture_score if dimension == CULTURE_DIMENSION else expert.get(dimension)
        scores[dimension] = None if value is None or not np.isfinite(value) else float(value)
    levels = {d: (int(model.level_for(s)) if s is not None else 0) for d, s in scores.items()}
    counted = rated if assessment.status == "confirmed" else ()
    ends = extremes([r.level for r in counted], [r.weight for r in counted])
    total = float(index.score[0])
    return BodyMaturity(
        organisation=organisation, assessment=assessment, culture=culture, scores=scores,
        levels=levels, index=total if np.isfinite(total) else None,
        level=int(index.level[0]), criteria=rated,
        strengths=tuple(counted[i] for i in ends.strengths),
        weaknesses=tuple(counted[i] for i in ends.weaknesses),
    )


def confirmed_assessments(organisation_ids: list[int]) -> list[Assessment]:
    """Confirmed assessments of these bodies, by body and period."""
    if not organisation_ids:
        return []
    return list(db.session.scalars(
        db.select(Assessment)
        .where(Assessment.organisation_id.in_(organisation_ids),
               Assessment.status == "confirmed")
        .order_by(Assessment.organisation_id, Assessment.period_start)
    ))


def history(organisation: Organisation, model: MaturityModel, k: int) -> list[BodyMaturity]:
    """The body's maturity in every period it has a confirmed assessment for, oldest first."""
    return [body_maturity(a, model, k) for a in confirmed_assessments([organisation.id])]


def latest(organisations: list[Organisation], model: MaturityModel,
           k: int) -> list[BodyMaturity]:
    """Each body's maturity in its latest confirmed period (bodies without one left out)."""
    newest: dict[int, Assessment] = {}
    for assessment in confirmed_assessments([o.id for o in organisations]):
        newest[assessment.organisation_id] = assessment  # ordered by period: the last wins
    return [body_maturity(newest[o.id], model, k) for o in organisations if o.id in newest]


GROUPINGS = ("governance_level", "sector", "project_office")


@dataclass(frozen=True)
class Benchmark:
    """Bodies compared by one attribute: the group values in order, and per group the number of
    bodies and the mean of each dimension (model order) and of the index (last column)."""

    grouping: str
    groups: tuple[str | None, ...]
    dimensions: tuple[str, ...]
    n: np.ndarray  # int (n_groups, n_dimensions + 1)
    mean: np.ndarray  # float (n_groups, n_dimensions + 1), nan = no body with a value


def benchmark(bodies: list[BodyMaturity], grouping: str, model: MaturityModel) -> Benchmark:
    """Means of the bodies' latest figures per value of ``grouping`` (a body attribute; None =
    not recorded is a group of its own)."""
    if grouping not in GROUPINGS:
        raise ValueError(grouping)
    dimensions = tuple(d for d, _w in model.dimension_weights)
    keys = [getattr(b.organisation, grouping) for b in bodies]
    groups = tuple(sorted(set(keys), key=lambda value: (value is None, value or "")))
    values = np.array([[np.nan if b.scores[d] is None else b.scores[d] for d in dimensions]
                       + [np.nan if b.index is None else b.index] for b in bodies],
                      dtype=float).reshape(len(bodies), len(dimensions) + 1)
    means = group_means(values, [groups.index(key) for key in keys], len(groups))
    return Benchmark(grouping, groups, dimensions, means.n, means.mean)
