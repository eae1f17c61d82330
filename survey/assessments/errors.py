"""Why an assessment change was refused: a code with parameters, said in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "period_order": _l("The period must end on or after the day it starts."),
    "period_overlaps": _l(
        "This body already has an assessment for a period that overlaps this one "
        "(from %(start)s to %(end)s)."
    ),
    "not_editable": _l(
        "This assessment can no longer be changed: it was submitted or confirmed."
    ),
    "not_author": _l("Only the assessor who opened this assessment can change it."),
    "unknown_criterion": _l("There is no criterion %(criterion)s in the checklists."),
    "level_outside": _l("A rating must be a level from 1 to 5."),
    "evidence_needs_name": _l(
        "Name the document or the interview before adding a link or a date."
    ),
    "evidence_link": _l("A link must start with http:// or https://."),
    "evidence_too_long": _l("The evidence text is too long."),
    "criteria_unrated": _l(
        "Rate every criterion before submitting: %(count)s criteria have no level yet."
    ),
    "not_submitted": _l("Only a submitted assessment can be confirmed or returned."),
    "own_assessment": _l("The author of an assessment cannot review it: another assessor "
                         "of this body or an administrator does."),
    "reason_required": _l("Say why the assessment is returned."),
    "changed_meanwhile": _l(
        "Someone else changed this assessment in the meantime; the page shows it as it is now."
    ),
}


class AssessmentError(ValueError):
    """A change refused; ``code`` is a key of :data:`MESSAGES`, ``field`` the form field (if
    any) and ``params`` the message's parameters."""

    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(code)
        super().__init__(code)
        self.code, self.field, self.params = code, field, params

    def message(self) -> str:
        """The reason in the current locale."""
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])
