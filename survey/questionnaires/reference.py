"""Reference data as ``questionnaires load`` stored it: the one source of the maturity model for
scoring, the personal result and every HR and trainer page. Nothing reads the YAML files
behind the database's back, so an edited but unloaded file changes nothing, and a missing model
is a clear error rather than a silently different number."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from analysis.model import MaturityModel, parse_maturity_model

from ..extensions import db
from ..i18n import pick
from ..models import Course, ReferenceDocument
from .checklist_checks import parse_checklists, parse_criterion_weights
from .checklist_schema import ExpertDefinitions
from .formats import MaturityModelFile
from .loader import CHECKLISTS_KEY, MATURITY_MODEL_KEY, content_hash_of


class ReferenceDataMissing(LookupError):
    """Reference data a page needs was never loaded. ``code`` names what is missing; the error
    page explains it to an administrator in the page's language."""

    def __init__(self, code: str) -> None:
        super().__init__(f"{code} is not loaded: run `flask --app survey questionnaires load`")
        self.code = code


@dataclass(frozen=True)
class LoadedModel:
    """The loaded maturity model: its plain data (texts for pages) and its parsed rules."""

    data: dict
    model: MaturityModel
    digest: str


# Parsed models by content hash: content-addressed, so an entry is never stale and never needs
# clearing; only the current one is kept.
_parsed: dict[str, LoadedModel] = {}


def loaded_maturity_model() -> LoadedModel | None:
    """The maturity model loaded by ``questionnaires load``, or None when it never was."""
    row = db.session.execute(
        db.select(ReferenceDocument.content_hash).filter_by(key=MATURITY_MODEL_KEY)
    ).first()
    if row is None:
        return None
    digest = row[0]
    found = _parsed.get(digest)
    if found is None:
        data = db.session.scalar(
            db.select(ReferenceDocument.content).filter_by(key=MATURITY_MODEL_KEY)
        )
        found = LoadedModel(data, parse_maturity_model(data), digest)
        _parsed.clear()
        _parsed[digest] = found
    return found


def maturity_model() -> LoadedModel:
    """The loaded maturity model; raises :class:`ReferenceDataMissing` when it was never loaded."""
    found = loaded_maturity_model()
    if found is None:
        raise ReferenceDataMissing("maturity_model")
    return found


@dataclass(frozen=True)
class LoadedChecklists:
    """The loaded expert checklists with the maturity model's criterion weights. ``digest`` is
    the version an assessment records: the hash of the checklists and of the weights together,
    so a change of either is a new version."""

    expert: ExpertDefinitions
    digest: str


_checklists: dict[tuple[str, str], LoadedChecklists] = {}


def expert_checklists() -> LoadedChecklists:
    """The checklists and weights loaded by ``questionnaires load``; raises
    :class:`ReferenceDataMissing` when either was never loaded."""
    rows = dict(db.session.execute(
        db.select(ReferenceDocument.key, ReferenceDocument.content_hash)
        .where(ReferenceDocument.key.in_([CHECKLISTS_KEY, MATURITY_MODEL_KEY]))
    ).all())
    if CHECKLISTS_KEY not in rows:
        raise ReferenceDataMissing(CHECKLISTS_KEY)
    if MATURITY_MODEL_KEY not in rows:
        raise ReferenceDataMissing(MATURITY_MODEL_KEY)
    key = (rows[CHECKLISTS_KEY], rows[MATURITY_MODEL_KEY])
    found = _checklists.get(key)
    if found is None:
        checklists = db.session.scalar(
            db.select(ReferenceDocument.content).filter_by(key=CHECKLISTS_KEY))
        raw_weights = maturity_model().data.get("criterion_weights")
        # Only this key is read again (the stored JSON has turned the model's integer keys
        # into strings; it was validated whole when it was loaded).
        weights = parse_criterion_weights(
            MaturityModelFile.model_construct(criterion_weights=raw_weights))
        digest = content_hash_of({"checklists": checklists, "criterion_weights": raw_weights})
        found = LoadedChecklists(
            ExpertDefinitions(parse_checklists(checklists), weights), digest)
        _checklists.clear()
        _checklists[key] = found
    return found


@dataclass(frozen=True)
class CatalogueCourse:
    """A plain copy of a catalogue course."""

    id: int
    code: str
    titles: dict
    competences: tuple[int, ...]  # competence indices in the layout
    level_from: int
    level_to: int
    hours: int
    capacity: int
    format: str

    @property
    def title(self) -> str:
        return pick(self.titles)


def catalogue_courses(competence_ids: list[int]) -> list[CatalogueCourse]:
    """The catalogue, with competences as layout indices (courses of other competences dropped)."""
    index = {cid: i for i, cid in enumerate(competence_ids)}
    courses = []
    # The competences of every course in one more query, not one query per course.
    for course in db.session.scalars(db.select(Course).order_by(Course.code)
                                     .options(selectinload(Course.competences))):
        comps = tuple(index[c.id] for c in course.competences if c.id in index)
        if comps:
            courses.append(CatalogueCourse(course.id, course.code, dict(course.titles), comps,
                                           course.level_from, course.level_to, course.hours,
                                           course.capacity, course.format))
    return courses
