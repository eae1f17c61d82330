"""Admin forms. Labels are lazy (``_l``): they are built at import time."""

from __future__ import annotations

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
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ..models.org import GOVERNANCE_LEVELS, SECTORS

CODE_RULE = Regexp(r"^[a-z][a-z0-9_-]{0,63}$", message=_l(
    "Use lower-case Latin letters, digits, “-” and “_”, starting with a letter."))

GOVERNANCE_LABELS = {
    "republican": _l("Republican"),
    "regional": _l("Regional"),
    "local": _l("Local"),
}
SECTOR_LABELS = {
    "general_administration": _l("General administration"),
    "economy_finance": _l("Economy and finance"),
    "social": _l("Social protection"),
    "health": _l("Health"),
    "education": _l("Education"),
    "digital_development": _l("Digital development"),
    "justice_security": _l("Justice and security"),
    "agriculture_environment": _l("Agriculture and environment"),
    "infrastructure_transport": _l("Infrastructure and transport"),
}
ROLE_LABELS = {"admin": _l("Administrator"), "hr": _l("HR analyst"), "trainer": _l("Trainer"),
               "assessor": _l("Assessor")}
PROJECT_OFFICE_LABELS = {
    "": _l("Not recorded"),
    "centralised": _l("Centralised: one project office for the whole body"),
    "decentralised": _l("Decentralised: project teams in the units, coordinated"),
}
# What the audit log says for each recorded action.
AUDIT_LABELS = {
    "login": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "campaign_created": _l("Campaign created"),
    "campaign_updated": _l("Campaign changed"),
    "campaign_status": _l("Campaign status changed"),
    "links_issued": _l("Invitation links issued"),
    "reminders_sent": _l("Reminders sent"),
    "staff_list_imported": _l("Staff list imported"),
    "organisation_created": _l("Government body created"),
    "organisation_updated": _l("Government body changed"),
    "unit_created": _l("Unit created"),
    "questionnaire_uploaded": _l("Questionnaire file uploaded"),
    "user_created": _l("Staff account created"),
    "user_activated": _l("Staff account activated or deactivated"),
    "user_password_reset": _l("Password reset"),
    "user_scope_changed": _l("Role or organisations changed"),
    "assessment_opened": _l("Expert assessment opened"),
    "assessment_saved": _l("Expert assessment saved"),
    "assessment_submitted": _l("Expert assessment submitted for review"),
    "assessment_confirmed": _l("Expert assessment confirmed"),
    "assessment_returned": _l("Expert assessment returned for changes"),
}
LANGUAGE_CHOICES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
ADMIN_ERRORS = {
    "code_taken": _l("This code is already used."),
    "bad_parent": _l("The parent unit must belong to the same government body."),
    "email_taken": _l("A staff account with this e-mail already exists."),
    "password_short": _l("The password must have at least 10 characters."),
    "self_deactivation": _l("You cannot deactivate your own account."),
}


def choices(pairs) -> list[SelectChoice]:
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
                                   choices=choices((v, GOVERNANCE_LABELS[v]) for v in GOVERNANCE_LEVELS))
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
    opens = DateField(_l("Opens on"), validators=[DataRequired()])
    closes = DateField(_l("Closes at the end of"), validators=[DataRequired()])
    anonymous = RadioField(_l("Anonymity"), default="anonymous", choices=choices([
        ("anonymous", _l("Anonymous: no identity is stored with answers")),
        ("identified", _l("Identified: answers are linked to the person, so waves can be compared person by person")),
    ]))
    time_limit = IntegerField(_l("Test time limit, minutes"),
                              validators=[Optional(), NumberRange(min=1, max=600)])
    default_language = SelectField(_l("Default language"), choices=choices(LANGUAGE_CHOICES))
    survey_version = SelectField(_l("Survey version"), coerce=int)
    test_version = SelectField(_l("Test version"), coerce=int)


class StaffListForm(FlaskForm):
    file = FileField(_l("Staff list (CSV or XLSX)"), validators=[FileRequired()])


class ConfirmImportForm(FlaskForm):
    """The checked file travels back with the confirmation, so the server keeps no state."""

    content = HiddenField()
    filename = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
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
