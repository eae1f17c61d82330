"""Languages and the words for fixed codes: one home for every label a page shows.

The language list and :func:`pick` are defined in :mod:`survey.languages` (the models need them
and may import nothing above them) and re-exported here; everything above the models takes them
from this module. Template filters and globals built on these are registered by
:mod:`survey.templating`.

Locale choice: explicit choice (kept in the session) → Accept-Language → default (kk)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import get_month_names
from flask import current_app, request, session
from flask_babel import format_decimal, get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, pick

if TYPE_CHECKING:
    from .models import Campaign

__all__ = [
    "ASSESSMENT_STATUS_LABELS",
    "AUDIT_LABELS",
    "CAMPAIGN_STATUS_LABELS",
    "DEFAULT_LANGUAGE",
    "GOVERNANCE_LEVEL_LABELS",
    "LANGUAGE_CODES",
    "LANGUAGE_LABELS",
    "LANGUAGE_SELF_NAMES",
    "MATURITY_LEVEL_NAMES",
    "PROJECT_OFFICE_LABELS",
    "ROLE_LABELS",
    "SECTOR_LABELS",
    "closing_day",
    "format_day",
    "format_score",
    "local_day",
    "opening_day",
    "official_date",
    "invitation_status_labels",
    "label_of",
    "level_name",
    "pick",
    "select_locale",
]

# Each language named in itself, as a language switcher shows it (never translated).
LANGUAGE_SELF_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
# Each language named in the page's language ("орыс тілі" on a Kazakh page).
LANGUAGE_LABELS = {"kk": _l("Kazakh"), "ru": _l("Russian"), "en": _l("English")}

# Shown under a "Governance level" label (form, filters, exports), so the word "level" is not
# repeated in each option.
GOVERNANCE_LEVEL_LABELS = {
    "republican": _l("Republican"),
    "regional": _l("Regional"),
    "local": _l("Local"),
}
# The names of the sectors of state administration; "social" is labour and social protection
# (health care and education are sectors of their own).
SECTOR_LABELS = {
    "general_administration": _l("General administration"),
    "economy_finance": _l("Economy and finance"),
    "social": _l("Social protection"),
    "health": _l("Health care"),
    "education": _l("Education"),
    "digital_development": _l("Digital development"),
    "justice_security": _l("Justice and security"),
    "agriculture_environment": _l("Agriculture and environment"),
    "infrastructure_transport": _l("Infrastructure and transport"),
}
ROLE_LABELS = {"admin": _l("Administrator"), "hr": _l("HR analyst"), "trainer": _l("Trainer"),
               "assessor": _l("Assessor")}
# How a body's project office works (Organisation.project_office; "" = not recorded).
PROJECT_OFFICE_LABELS = {
    "": _l("Not recorded"),
    "centralised": _l("Centralised: one project office for the whole body"),
    "decentralised": _l("Decentralised: project teams in the units, coordinated"),
}
# A campaign's status (a campaign is "сауалнама кезеңі" / "волна опроса"), shown after
# "Status" and inside "The campaign is now: …" and "A campaign that is … cannot be moved to …".
CAMPAIGN_STATUS_LABELS = {
    # i18n: Status of a campaign (survey wave): not yet open to respondents.
    "draft": _l("draft"),
    # i18n: Status of a campaign (survey wave): respondents can answer now.
    "open": _l("open"),
    # i18n: Status of a campaign (survey wave): no longer takes answers.
    "closed": _l("closed"),
    # i18n: Status of a campaign (survey wave): closed and kept read-only.
    "archived": _l("archived"),
}
# What the audit log says for each recorded action.
AUDIT_LABELS = {
    "login": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "login_delayed": _l("Login refused: the account must wait after failed logins"),
    "login_throttled": _l("Login refused: too many attempts from one address"),
    "campaign_created": _l("Campaign created"),
    "campaign_updated": _l("Campaign changed"),
    "campaign_status": _l("Campaign status changed"),
    "links_issued": _l("Invitation links issued"),
    "link_recovered": _l("New link to saved answers issued"),
    "mail_failed": _l("E-mails not delivered"),
    "reminders_sent": _l("Reminders sent"),
    "mail_queued": _l("E-mails queued"),
    "staff_list_imported": _l("Staff list imported"),
    "organisation_created": _l("Government body created"),
    "organisation_updated": _l("Government body changed"),
    "unit_created": _l("Unit created"),
    "unit_renamed": _l("Unit renamed"),
    "unit_removed": _l("Unit removed"),
    "questionnaire_uploaded": _l("Questionnaire file uploaded"),
    "user_created": _l("Staff account created"),
    "user_activated": _l("Staff account activated"),
    "user_deactivated": _l("Staff account deactivated"),
    "user_password_reset": _l("Password reset"),
    "user_scope_changed": _l("Role or organisations changed"),
    "assessment_opened": _l("Expert assessment opened"),
    "assessment_saved": _l("Expert assessment saved"),
    "assessment_submitted": _l("Expert assessment submitted for review"),
    "assessment_confirmed": _l("Expert assessment confirmed"),
    "assessment_returned": _l("Expert assessment returned for changes"),
}
# An expert assessment's status, shown after "Status" and in lists of assessments.
ASSESSMENT_STATUS_LABELS = {
    # i18n: the status of an expert assessment
    "draft": _l("draft"),
    # i18n: the status of an expert assessment
    "submitted": _l("submitted for review"),
    # i18n: the status of an expert assessment
    "confirmed": _l("confirmed"),
    # i18n: the status of an expert assessment
    "returned": _l("returned for changes"),
}
# The glossary's names of the five maturity levels, for when no loaded model names a level.
MATURITY_LEVEL_NAMES = {
    1: _l("initial level"),
    2: _l("basic level"),
    3: _l("intermediate level"),
    4: _l("high level"),
    5: _l("highest level of maturity"),
}



def invitation_status_labels() -> dict[str, str]:
    """An invitation's status in the current language (built per request: "Started" and
    "Finished" need a context, and lazy contexts are not extracted)."""
    return {
        "new": _("Link not handed out yet"),
        "sent": _("Link handed out"),
        "started": pgettext("invitation status", "Started"),
        "finished": pgettext("invitation status", "Finished"),
    }


_LABELS = {"governance": GOVERNANCE_LEVEL_LABELS, "sector": SECTOR_LABELS, "role": ROLE_LABELS,
           "audit": AUDIT_LABELS, "status": CAMPAIGN_STATUS_LABELS, "language": LANGUAGE_LABELS,
           "assessment": ASSESSMENT_STATUS_LABELS}


def label_of(kind: str, value: str) -> str:
    """The label of a code of one kind (governance, sector, role, audit, status — of a campaign
    —, invitation — its status —, language) in the current language; an unknown code is shown
    as it is."""
    labels = invitation_status_labels() if kind == "invitation" else _LABELS[kind]
    return str(labels.get(value, value))


def level_name(model_data: dict | None, level: int) -> str:
    """The name of a maturity level ("intermediate level") in the page's language: the loaded
    model's name, else the glossary's; "" for no level (0)."""
    for entry in (model_data or {}).get("levels") or []:
        if entry.get("level") == level:
            name = pick(entry.get("name"))
            if name:
                return name
    return str(MATURITY_LEVEL_NAMES.get(level, ""))


def official_date(day: date | None, language: str | None = None) -> str:
    """A date as an official text writes it: kk "2026 жылғы 15 наурыз", ru "15 марта 2026 г.",
    en "15 March 2026" (in ``language``, else the page's); "—" for none."""
    if day is None:
        return "—"
    locale = language or str(get_locale() or DEFAULT_LANGUAGE)
    month = get_month_names("wide", context="format", locale=locale)[day.month]
    if locale == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    if locale == "ru":
        return f"{day.day} {month} {day.year} г."
    return f"{day.day} {month} {day.year}"


def format_score(value: float | None) -> str:
    """A 1–5 score the way the page's language writes it (2,84 in kk and ru; 2.84 in en)."""
    # Cut, not rounded, to two decimals: the level bands start at x.5, so a score shown as
    # 2,50 is always in band 3 and one shown as 2,49 in band 2.
    if value is None:
        return "—"
    return format_decimal(math.floor(value * 100 + 1e-9) / 100, "0.00")


def local_zone() -> ZoneInfo:
    """The zone in which campaign days are counted (``BABEL_DEFAULT_TIMEZONE``, Asia/Almaty)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_day(moment: datetime) -> date:
    """The local calendar day of a stored (UTC) moment."""
    return moment.astimezone(local_zone()).date()


def opening_day(campaign: Campaign) -> date:
    """The first local day of a campaign."""
    return local_day(campaign.opens_at)


def closing_day(campaign: Campaign) -> date:
    """The last local day of a campaign, included (``closes_at`` is the first moment after it)."""
    return local_day(campaign.closes_at - timedelta(microseconds=1))


def format_day(value: date | datetime | None, language: str | None = None) -> str:
    """A day (a datetime is first taken to its local day) as :func:`official_date` writes it:
    kk "2026 жылғы 15 наурыз", ru "15 марта 2026 г.", en "15 March 2026"; "—" for none."""
    if isinstance(value, datetime):
        value = local_day(value)
    return official_date(value, language)


def select_locale() -> str:
    """The session's explicit choice, else the browser's best match, else the default."""
    chosen = session.get("lang")
    if chosen in LANGUAGE_CODES:
        return chosen
    return request.accept_languages.best_match(LANGUAGE_CODES) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]
