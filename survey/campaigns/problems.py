"""Problems of staff lists, campaigns and invitations: codes with parameters
(:mod:`survey.problems`), translated only where they are shown."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .. import problems

# Canonical column (or form field) names → their label in the user's language.
COLUMN_LABELS = {
    "organisation": _l("Government body"),
    "unit": _l("Unit"),
    "position": _l("Position category"),
    "name": _l("Full name"),
    "email": _l("E-mail"),
    "personnel_number": _l("Personnel number"),
    "language": _l("Language"),
    "code": _l("Code"),
    "titles": _l("Title"),
    "organisations": _l("Government bodies"),
    "dates": _l("Dates"),
    "questionnaires": _l("Questionnaires"),
    "time_limit": _l("Test time limit, minutes"),
    "test_mode": _l("Test presentation"),
    "default_language": _l("Default language"),
    "anonymous": _l("Anonymity"),
    "status": _l("Status"),
    "file": _l("File"),
}

MESSAGES = {
    # Reading a file.
    "unreadable_file": _l("The file could not be read. Upload a CSV file or an Excel workbook (.xlsx)."),
    "not_utf8": _l("The CSV file is not in UTF-8. Save it again choosing the UTF-8 encoding."),
    "empty_file": _l("The file has no rows of staff."),
    "missing_column": _l("The header has no column “%(value)s”."),
    "unknown_column": _l("The column “%(value)s” is not one Qabilet knows."),
    "duplicate_column": _l("The column “%(value)s” appears twice in the header."),
    "too_many_rows": _l("The file has more than %(limit)s rows. Split it into smaller files."),
    "too_many_columns": _l("The file has more than %(limit)s columns. Keep only the columns of "
                           "the staff list."),
    # Rows of a staff list.
    "required": _l("This cell must not be empty."),
    "control_character": _l(
        "The cell contains a line break or another control character. Remove it."
    ),
    "too_long": _l("The value is longer than %(limit)s characters."),
    "unknown_organisation": _l("There is no government body with the code “%(value)s”."),
    "organisation_not_in_campaign": _l(
        "The government body “%(value)s” does not take part in this campaign."
    ),
    "organisation_out_of_scope": _l(
        "You may not import the staff of the government body “%(value)s”."
    ),
    "unknown_unit": _l("The government body has no unit with the code “%(value)s”."),
    "unknown_position": _l("There is no position category with the code “%(value)s”."),
    "bad_email": _l("“%(value)s” is not a valid e-mail address."),
    "bad_language": _l("The language must be kk, ru or en, not “%(value)s”."),
    "duplicate_person": _l("The same person is already on row %(other)s."),
    "identity_required": _l(
        "In an identified campaign every row needs a personnel number or an e-mail address."
    ),
    "email_taken": _l(
        "The e-mail “%(value)s” belongs to another person of this government body."
    ),
    # Campaigns.
    "campaign_closed_for_invitations": _l(
        "Invitations can only be added to a campaign that is a draft or open."
    ),
    "bad_code": _l(
        "The code may hold only lower-case Latin letters, digits, “-” and “_”, and must start with a letter."
    ),
    "code_taken": _l("The code “%(value)s” is already used."),
    "dates_order": _l("The closing date must be after the opening date."),
    "no_organisations": _l("Choose at least one government body."),
    "no_questionnaire": _l("Choose a survey version, a test version or both."),
    "wrong_questionnaire_kind": _l("This version belongs to another kind of questionnaire."),
    "bad_time_limit": _l("The time limit must be a whole number of minutes between 1 and 600."),
    "bad_test_mode": _l("The test is presented either as the linear form or adaptively."),
    "bad_reminder_days": _l("Reminders are given as whole numbers of days before the end, from 1 "
                            "to 365, separated by commas, e.g. 7, 2."),
    "locked_after_answers": _l("This can no longer change: the campaign already has answers."),
    "bad_transition": _l("A campaign that is “%(value)s” cannot be moved to “%(target)s”."),
    "archived": _l("An archived campaign cannot change."),
    "already_started": _l("This invitation has already been used; its link cannot be reissued."),
    "no_email": _l("This invitation has no e-mail address."),
}


class ProblemsError(problems.Refused):
    """The input was refused as a whole; nothing was written."""


@dataclass(frozen=True)
class Problem(problems.Problem):
    """One thing wrong with the input: where (``row``; ``where``, a column or form field, one of
    :data:`COLUMN_LABELS`) and why (a code of :data:`MESSAGES` with parameters)."""

    catalogue = MESSAGES
    refusal = ProblemsError


def column_label(column: str | None) -> str:
    """A column's or field's name in the current locale."""
    return str(COLUMN_LABELS.get(column, column or ""))


def describe_in_english(problem: Problem) -> str:
    """``row 3, email: reason`` — for the command line."""
    with force_locale("en"):
        where = []
        if problem.row is not None:
            where.append(f"row {problem.row}")
        if problem.where:
            where.append(problem.where)
        prefix = ", ".join(where)
        text = problems.render(problem)
    return f"{prefix}: {text}" if prefix else text
