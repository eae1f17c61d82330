"""Building assessments through the domain functions, as the pages do."""

from __future__ import annotations

from survey.assessments import drafts, review
from survey.extensions import db
from survey.questionnaires.reference import expert_checklists


def rate_all(assessment, user, levels=None, default: int = 3) -> None:
    """Rate every criterion (``levels``: criterion → level, the rest ``default``) and save."""
    levels = levels or {}
    entries = {r.criterion: drafts.RatingInput(levels.get(r.criterion, default), "note")
               for r in assessment.ratings}
    drafts.save_draft(assessment, user, entries, expert_checklists())


def confirmed(world, levels=None, default: int = 3, organisation=None):
    """A confirmed assessment of alpha (by default) for the world's period."""
    author, reviewer = world.users["assessor"], world.users["admin"]
    organisation = organisation or world.alpha
    if organisation is not world.alpha:
        author = world.users["assessor_beta"]
    assessment = drafts.open_assessment(organisation, world.start, world.end, author,
                                        expert_checklists())
    rate_all(assessment, author, levels, default)
    drafts.submit(assessment, author, expert_checklists())
    review.confirm(assessment, reviewer)
    db.session.commit()
    return assessment
