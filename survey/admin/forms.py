"""Admin forms. Labels are lazy (``_l``): they are built at import time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields import Field
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n import (
    GOVERNANCE_LEVEL_LABELS,
    LANGUAGE_SELF_NAMES,
    PROJECT_OFFICE_LABELS,
    ROLE_LABELS,
    SECTOR_LABELS,
)
from ..models.org import GOVERNANCE_LEVELS, SECTORS
from ..params import MAX_YEAR, MIN_YEAR, date_in_range
from ..problems import render

if TYPE_CHECKING:
    from wtforms import Field

    from ..problems import Problem

CODE_RULE = Regexp(r"^[a-z][a-z0-9_-]{0,63}$", message=_l(
    "Use lower-case Latin letters, digits, “-” and “_”, starting with a letter."))



def campaign_date(_form: FlaskForm, field: Field) -> None:
    """A campaign opens and closes between ``MIN_YEAR`` and ``MAX_YEAR``."""
    if field.data is not None and not date_in_range(field.data):
        raise ValidationError(_l("Choose a date between %(first)s and %(last)s.",
                                 first=MIN_YEAR, last=MAX_YEAR))


# Each language named in itself, as the staff member reading the list would look for it.
LANGUAGE_CHOICES = list(LANGUAGE_SELF_NAMES.items())
def show_problems(form: FlaskForm | None, problems: Iterable[Problem],
                  fields: dict[str, Field] | None = None) -> None:
    """Each problem under its form field, in the page's language; a problem about no field of
    the form is flashed. ``fields`` maps a problem's ``where`` to a field (by default the form's
    field of that name)."""
    for problem in problems:
        if fields is not None:
            target = fields.get(problem.where)
        else:
            target = getattr(form, problem.where, None) if form and problem.where else None
        if target is not None:
            target.errors = [*target.errors, render(problem)]
        else:
            flash(render(problem), "error")


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes in a list (inside a fieldset in the template), usable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NamesMixin:
    name_kk = StringField(_l("Name in Kazakh"), validators=[DataRequired(), Length(max=300)])
    name_ru = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=300)])

    def names(self) -> dict[str, str]:
        return {"kk": self.name_kk.data.strip(), "ru": self.name_ru.data.strip(),
                "en": self.name_en.data.strip()}


class OrganisationForm(NamesMixin, FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), CODE_RULE])
    governance_level = SelectField(_l("Governance level"),
                                   choices=choices((v, GOVERNANCE_LEVEL_LABELS[v]) for v in GOVERNANCE_LEVELS))
    sector = SelectField(_l("Sector"), choices=choices((v, SECTOR_LABELS[v]) for v in SECTORS))
    project_office = SelectField(_l("Project office"), default="",
                                 choices=choices(PROJECT_OFFICE_LABELS.items()))


class UnitForm(NamesMixin, FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), CODE_RULE])
    parent = SelectField(_l("Part of"), coerce=int, default=0)
    is_project_office = BooleanField(_l("This is the project office"))


class CampaignForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), CODE_RULE])
    title_kk = StringField(_l("Title in Kazakh"), validators=[DataRequired(), Length(max=300)])
    title_ru = StringField(_l("Title in Russian"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=300)])
    organisations = MultiCheckboxField(_l("Government bodies"), coerce=int)
    opens = DateField(_l("Opens on"), validators=[DataRequired(), campaign_date])
    closes = DateField(_l("Closes at the end of"), validators=[DataRequired(), campaign_date])
    anonymous = RadioField(_l("Anonymity"), default="anonymous", choices=choices([
        ("anonymous", _l("Anonymous: no identity is stored with answers")),
        ("identified", _l("Identified: answers are linked to the person, so waves can be compared person by person")),
    ]))
    time_limit = IntegerField(_l("Test time limit, minutes"),
                              validators=[Optional(), NumberRange(min=1, max=600)])
    test_mode = RadioField(_l("Test presentation"), default="linear", choices=choices([
        ("linear", _l("Linear: the fixed form of the test, the same questions for everyone")),
        ("adaptive", _l("Adaptive: one question at a time, chosen by the person's answers so far")),
    ]))
    reminder_days = StringField(
        _l("Reminders, days before the end"), default="7, 2", validators=[Length(max=40)],
        description=_l("Sent by the scheduler to those who have not finished, e.g. 7, 2; "
                       "leave empty for none."))
    default_language = SelectField(_l("Default language"), choices=choices(LANGUAGE_CHOICES))
    survey_version = SelectField(_l("Survey version"), coerce=int)
    test_version = SelectField(_l("Test version"), coerce=int)


class StaffListForm(FlaskForm):
    file = FileField(_l("Staff list (CSV or XLSX)"), validators=[FileRequired()])


class ConfirmImportForm(FlaskForm):
    """The previewed file, named by its content hash: the file itself stays on the server
    (:mod:`survey.campaigns.uploads`) and is never sent back."""

    digest = HiddenField(validators=[Regexp(r"^[0-9a-f]{64}$")])
    filename = HiddenField(validators=[Length(max=255)])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class UserForm(FlaskForm):
    # The address itself is checked by the one e-mail rule (survey.emails), with the rest of
    # the account, so that every problem of the form is shown at once.
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=300)])
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))
    organisations = MultiCheckboxField(_l("Government bodies"), coerce=int)
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_CHOICES))
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class ScopeForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))
    organisations = MultiCheckboxField(_l("Government bodies"), coerce=int)


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired()])


class QuestionnaireUploadForm(FlaskForm):
    file = FileField(_l("Questionnaire file (YAML)"), validators=[FileRequired()])
