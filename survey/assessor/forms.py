"""Forms of the assessor pages. The rating form has one group of fields per criterion, built
from the checklists, so it is read here from the request rather than declared field by field;
anything unreadable becomes an error on its field and every value typed is shown again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..assessments.checklist import Item
from ..assessments.drafts import EvidenceInput, RatingInput

FORM_ERRORS = {
    "level": _l("Choose a level from 1 to 5."),
    "date": _l("Write the date as YYYY-MM-DD."),
}


class PeriodForm(FlaskForm):
    period_start = DateField(_l("Period from"), validators=[DataRequired()])
    period_end = DateField(_l("Period to (included)"), validators=[DataRequired()])


class ReviewForm(FlaskForm):
    reason = TextAreaField(_l("Reason for returning it (the author reads it)"),
                           validators=[Length(max=2000)])


@dataclass
class RatingsForm:
    """The posted ratings: what to save, the raw values to show again, and errors by field."""

    entries: dict[str, RatingInput] = field(default_factory=dict)
    raw: MultiDict = field(default_factory=MultiDict)
    errors: dict[str, str] = field(default_factory=dict)


def _date(text: str) -> date:
    return date.fromisoformat(text.strip())


def read_ratings(form: MultiDict, items: list[Item]) -> RatingsForm:
    """The ratings posted for ``items`` (fields ``<criterion>-level``, ``-note``,
    ``-evidence-name``, ``-evidence-link``, ``-evidence-date``, ``-remove``)."""
    result = RatingsForm(raw=form)
    for item in items:
        ident = item.criterion.id
        raw_level = form.get(f"{ident}-level", "").strip()
        level = None
        if raw_level:
            if raw_level not in {"1", "2", "3", "4", "5"}:
                result.errors[f"{ident}-level"] = str(FORM_ERRORS["level"])
            else:
                level = int(raw_level)
        name = form.get(f"{ident}-evidence-name", "")
        link = form.get(f"{ident}-evidence-link", "")
        raw_date = form.get(f"{ident}-evidence-date", "").strip()
        when = None
        if raw_date:
            try:
                when = _date(raw_date)
            except ValueError:
                result.errors[f"{ident}-evidence-date"] = str(FORM_ERRORS["date"])
        evidence = EvidenceInput(name, link, when) if (name.strip() or link.strip() or when) \
            else None
        remove = tuple(int(v) for v in form.getlist(f"{ident}-remove") if v.isdigit())
        result.entries[ident] = RatingInput(level, form.get(f"{ident}-note", ""), evidence,
                                            remove)
    return result
