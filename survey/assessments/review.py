"""The second person's review: confirm a submitted assessment (then it is locked for good) or
return it to its author with a reason. The move is a guarded ``UPDATE … WHERE status =
'submitted'``, so two reviewers at the same moment cannot both act on it."""

from __future__ import annotations

from ..access import may_review_assessment as may_review
from ..campaigns.audit import record
from ..extensions import db
from ..models import Assessment, User
from ..models._types import utcnow
from .drafts import target
from .errors import AssessmentError

MAX_REASON = 2000


def _check(assessment: Assessment, reviewer: User) -> None:
    if assessment.status != "submitted":
        raise AssessmentError("not_submitted")
    if assessment.author_id == reviewer.id:
        raise AssessmentError("own_assessment")
    if not may_review(reviewer, assessment):
        raise AssessmentError("not_submitted")


def _move(assessment: Assessment, reviewer: User, status: str, reason: str | None) -> None:
    moved = db.session.execute(
        db.update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.status == "submitted")
        .values(status=status, reviewer_id=reviewer.id, reviewed_at=utcnow(),
                return_reason=reason)
    ).rowcount
    if moved != 1:
        raise AssessmentError("changed_meanwhile")
    db.session.refresh(assessment)


def confirm(assessment: Assessment, reviewer: User) -> None:
    """Confirm: the ratings are final and the assessment counts in the maturity index."""
    _check(assessment, reviewer)
    _move(assessment, reviewer, "confirmed", None)
    record("assessment_confirmed", target(assessment), {"rubric_hash": assessment.rubric_hash})


def return_to_author(assessment: Assessment, reviewer: User, reason: str) -> None:
    """Send it back to the author, who can change it and submit it again."""
    _check(assessment, reviewer)
    reason = reason.strip()
    if not reason:
        raise AssessmentError("reason_required", "reason")
    if len(reason) > MAX_REASON:
        raise AssessmentError("evidence_too_long", "reason")
    _move(assessment, reviewer, "returned", reason)
    record("assessment_returned", target(assessment), {"reason": reason})
