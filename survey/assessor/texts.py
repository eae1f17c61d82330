"""Words of the assessor pages: project-office kinds, the groups of a comparison, and the texts
of the loaded model and checklists in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..i18n import GOVERNANCE_LEVEL_LABELS, SECTOR_LABELS, pick
from ..questionnaires.checklist_schema import ExpertChecklists
from ..questionnaires.texts import Text

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


def local(text: Text) -> str:
    """A checklist text (kk, ru, en) in the page's language."""
    return pick(text.model_dump())


def criterion_names(checklists: ExpertChecklists) -> dict[str, str]:
    """Criterion id → name, from the loaded checklists."""
    return {c.id: local(c.name) for d in checklists.dimensions for c in d.criteria}


def group_labels(grouping: str) -> dict:
    """Value → name of the groups of a benchmark (None: not recorded)."""
    table = {"governance_level": GOVERNANCE_LEVEL_LABELS, "sector": SECTOR_LABELS,
             "project_office": PROJECT_OFFICE_NAMES}[grouping]
    return {value: str(name) for value, name in table.items()}
