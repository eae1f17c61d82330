"""Who may open, edit, review and read expert assessments.

Assessors and HR analysts are scoped to bodies like every staff account; administrators see
every body. An assessor rates the bodies of their scope and reviews the assessments other
assessors of the same body submitted; an administrator reviews any, but never their own; HR
analysts and trainers never change an assessment. The maturity pages are read by
administrators, and by assessors and HR analysts of the body.

These rules move to ``survey/access.py`` with the other scope rules when it lands on main.
"""

from __future__ import annotations

from ..models import Assessment, Organisation, User

AUTHOR_ROLES = ("assessor",)
READER_ROLES = ("admin", "assessor", "hr")


def _scoped(user: User, organisation_id: int) -> bool:
    return any(o.id == organisation_id for o in user.organisations)


def may_read(user: User, organisation_id: int) -> bool:
    """The body's assessments and maturity pages."""
    if user.role == "admin":
        return True
    return user.role in READER_ROLES and _scoped(user, organisation_id)


def may_author(user: User, organisation_id: int) -> bool:
    """Open a new assessment of the body."""
    return user.role in AUTHOR_ROLES and _scoped(user, organisation_id)


def may_edit(user: User, assessment: Assessment) -> bool:
    """Change ratings, notes and evidence, and submit: the author, while it is editable."""
    return (assessment.editable and assessment.author_id == user.id
            and may_author(user, assessment.organisation_id))


def may_review(user: User, assessment: Assessment) -> bool:
    """Confirm or return a submitted assessment: never its author."""
    if assessment.status != "submitted" or assessment.author_id == user.id:
        return False
    return user.role == "admin" or may_author(user, assessment.organisation_id)


def readable_organisations(user: User, organisations: list[Organisation]) -> list[Organisation]:
    return [o for o in organisations if may_read(user, o.id)]
