"""Opening an assessment, saving its draft, and submitting it for review.

A draft may be saved as often as the assessor likes, half rated; while it is editable its
context (the body's attributes), the checklists' version and every rating's weight follow what
is loaded now. Submitting needs every criterion that applies rated; from then on nothing of it
changes unless a reviewer returns it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..access import may_edit_assessment as may_edit
from ..campaigns.audit import record
from ..extensions import db
from ..models import Assessment, AssessmentRating, Evidence, Organisation, User
from ..models._types import utcnow
from ..questionnaires.reference import LoadedChecklists
from .checklist import context_of, items_of
from .errors import AssessmentError

MAX_NOTE = 5000
MAX_NAME = 300
MAX_LINK = 1000


@dataclass(frozen=True)
class EvidenceInput:
    """A new evidence reference: a document's or an interview's name, a link, a date."""

    name: str
    link: str = ""
    interview_date: date | None = None


@dataclass(frozen=True)
class RatingInput:
    """What the form says about one criterion."""

    level: int | None = None
    note: str = ""
    evidence: EvidenceInput | None = None
    remove: tuple[int, ...] = field(default_factory=tuple)  # ids of evidence to drop


def target(assessment: Assessment) -> str:
    """How the audit log names an assessment."""
    return (f"organisation:{assessment.organisation.code}/assessment:{assessment.id}"
            f"/{assessment.period_start.isoformat()}")


def open_assessment(organisation: Organisation, start: date, end: date, author: User,
                    loaded: LoadedChecklists) -> Assessment:
    """A new draft assessment of the body's project office for the period ``start``–``end``
    (both days included). Refused when the period is reversed or overlaps another
    assessment of the body: a new period starts a new assessment."""
    if end < start:
        raise AssessmentError("period_order", "period_end")
    overlapping = db.session.scalar(
        db.select(Assessment).where(
            Assessment.organisation_id == organisation.id,
            Assessment.period_start <= end, Assessment.period_end >= start,
        ).limit(1)
    )
    if overlapping is not None:
        raise AssessmentError("period_overlaps", "period_start",
                              start=overlapping.period_start.isoformat(),
                              end=overlapping.period_end.isoformat())
    office = next((u for u in organisation.units if u.is_project_office), None)
    assessment = Assessment(
        organisation=organisation, unit=office, period_start=start, period_end=end,
        status="draft", context=context_of(organisation), rubric_hash=loaded.digest,
        author_id=author.id,
    )
    db.session.add(assessment)
    db.session.flush()
    assessment.ratings = [
        AssessmentRating(dimension=item.dimension, criterion=item.criterion.id,
                         weight=item.weight)
        for item in items_of(loaded, assessment)
    ]
    db.session.flush()
    record("assessment_opened", target(assessment),
           {"period_end": end.isoformat(), "rubric_hash": loaded.digest})
    return assessment


def _check_evidence(criterion: str, evidence: EvidenceInput) -> None:
    field_name = f"{criterion}-evidence"
    if not evidence.name.strip():
        raise AssessmentError("evidence_needs_name", field_name)
    if len(evidence.name) > MAX_NAME or len(evidence.link) > MAX_LINK:
        raise AssessmentError("evidence_too_long", field_name)
    link = evidence.link.strip()
    if link and not link.lower().startswith(("http://", "https://")):
        raise AssessmentError("evidence_link", field_name)


def _refresh(assessment: Assessment, loaded: LoadedChecklists) -> dict[str, AssessmentRating]:
    """Bring an editable assessment to the body's current context and the loaded checklists:
    criteria that no longer apply are dropped, new ones added, weights updated."""
    assessment.context = context_of(assessment.organisation)
    assessment.rubric_hash = loaded.digest
    current = {r.criterion: r for r in assessment.ratings}
    ratings: dict[str, AssessmentRating] = {}
    for item in items_of(loaded, assessment):
        rating = current.pop(item.criterion.id, None) or AssessmentRating(
            dimension=item.dimension, criterion=item.criterion.id)
        rating.dimension, rating.weight = item.dimension, item.weight
        ratings[item.criterion.id] = rating
    assessment.ratings = list(ratings.values())  # the criteria left in ``current`` go
    return ratings


def save_draft(assessment: Assessment, user: User, entries: dict[str, RatingInput],
               loaded: LoadedChecklists) -> list[str]:
    """Save ratings, notes and evidence; return the criteria that changed. Everything is
    checked before anything is written, so a refused save loses nothing already saved."""
    if not may_edit(user, assessment):
        raise AssessmentError("not_editable" if not assessment.editable else "not_author")
    ratings = _refresh(assessment, loaded)
    for criterion, entry in entries.items():
        if criterion not in ratings:
            raise AssessmentError("unknown_criterion", criterion=criterion)
        if entry.level is not None and not 1 <= entry.level <= 5:
            raise AssessmentError("level_outside", f"{criterion}-level")
        if len(entry.note) > MAX_NOTE:
            raise AssessmentError("evidence_too_long", f"{criterion}-note")
        if entry.evidence is not None:
            _check_evidence(criterion, entry.evidence)
    changed = []
    for criterion, entry in entries.items():
        rating = ratings[criterion]
        note = entry.note.strip() or None
        before = (rating.level, rating.note, len(rating.evidence))
        rating.level, rating.note = entry.level, note
        for evidence in list(rating.evidence):
            if evidence.id in entry.remove:
                rating.evidence.remove(evidence)
        if entry.evidence is not None:
            rating.evidence.append(Evidence(
                name=entry.evidence.name.strip(), link=entry.evidence.link.strip() or None,
                interview_date=entry.evidence.interview_date))
        if (rating.level, rating.note, len(rating.evidence)) != before or entry.remove:
            changed.append(criterion)
    db.session.flush()
    record("assessment_saved", target(assessment), {
        "criteria": changed,
        "levels": {c: ratings[c].level for c in changed},
    })
    return changed


def submit(assessment: Assessment, user: User, loaded: LoadedChecklists) -> None:
    """Hand the assessment to a reviewer; every criterion that applies must be rated."""
    if not may_edit(user, assessment):
        raise AssessmentError("not_editable" if not assessment.editable else "not_author")
    ratings = _refresh(assessment, loaded)
    unrated = [c for c, r in ratings.items() if r.level is None]
    if unrated:
        raise AssessmentError("criteria_unrated", count=len(unrated))
    db.session.flush()
    moved = db.session.execute(
        db.update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.status == assessment.status)
        .values(status="submitted", submitted_at=utcnow())
    ).rowcount
    if moved != 1:
        raise AssessmentError("changed_meanwhile")
    db.session.refresh(assessment)
    record("assessment_submitted", target(assessment), {"rubric_hash": loaded.digest})
