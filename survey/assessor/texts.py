"""Words of the assessor pages: statuses, project-office kinds, official dates, and the texts
of the loaded model and checklists in the page's language."""

from __future__ import annotations

from datetime import date

from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..models._types import pick

STATUS_NAMES = {
    # i18n: the status of an expert assessment
    "draft": _l("draft"),
    # i18n: the status of an expert assessment
    "submitted": _l("submitted for review"),
    # i18n: the status of an expert assessment
    "confirmed": _l("confirmed"),
    # i18n: the status of an expert assessment
    "returned": _l("returned for changes"),
}
PROJECT_OFFICE_NAMES = {
    "centralised": _l("Centralised project office"),
    "decentralised": _l("Decentralised project office"),
    None: _l("Project office not recorded"),
}
GROUPING_NAMES = {
    "governance_level": _l("Governance level"),
    "sector": _l("Sector"),
    "project_office": _l("Project office"),
}


def official_date(day: date | None) -> str:
    """A date as an official text writes it: kk "2026 жылғы 15 наурыз", ru "15 марта 2026 г.",
    en "15 March 2026"."""
    if day is None:
        return "—"
    locale = str(get_locale() or "kk")
    month = get_month_names("wide", context="format", locale=locale)[day.month]
    if locale == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    if locale == "ru":
        return f"{day.day} {month} {day.year} г."
    return f"{day.day} {month} {day.year}"


def dimension_names(model_data: dict) -> dict[str, str]:
    return {d["id"]: pick(d.get("name")) for d in model_data.get("dimensions", [])}


def level_names(model_data: dict) -> dict[int, str]:
    return {entry["level"]: pick(entry.get("name")) for entry in model_data.get("levels", [])}


def recommendation(model_data: dict, level: int, dimension: str | None = None) -> str:
    """The model's recommendation for a level, overall or for one dimension ("" if none)."""
    texts = model_data.get("recommendations", {})
    table = texts.get("by_level", {}) if dimension is None else \
        texts.get("by_dimension", {}).get(dimension, {})
    return pick(table.get(level) or table.get(str(level))) if level else ""


def local(text) -> str:
    """A checklist text (kk, ru, en) in the page's language."""
    return pick(text.model_dump())


def criterion_names(checklists) -> dict[str, str]:
    """Criterion id → name, from the loaded checklists."""
    return {c.id: local(c.name) for d in checklists.dimensions for c in d.criteria}


# The same words as the HR filters use (one catalogue entry each); they move to survey/i18n.py
# with the other label tables.
GOVERNANCE_LEVEL_NAMES = {
    "republican": _l("Republican level"),
    "regional": _l("Regional level"),
    "local": _l("Local level"),
}
SECTOR_NAMES = {
    "general_administration": _l("General administration"),
    "economy_finance": _l("Economy and finance"),
    "social": _l("Social sphere"),
    "health": _l("Health care"),
    "education": _l("Education"),
    "digital_development": _l("Digital development"),
    "justice_security": _l("Justice and security"),
    "agriculture_environment": _l("Agriculture and environment"),
    "infrastructure_transport": _l("Infrastructure and transport"),
}


def group_labels(grouping: str) -> dict:
    """Value → name of the groups of a benchmark (None: not recorded)."""
    table = {"governance_level": GOVERNANCE_LEVEL_NAMES, "sector": SECTOR_NAMES,
             "project_office": PROJECT_OFFICE_NAMES}[grouping]
    return {value: str(name) for value, name in table.items()}
