"""The audit log as a person reads it: targets by kind and name, details as labelled lines in
the page's language instead of raw JSON, filters by action and person, and pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..i18n import AUDIT_LABELS, label_of
from ..models import AuditEntry, User
from ..params import MAX_PAGE, int_arg

AUDIT_PAGE = 100
TARGET_KINDS = {"campaign": _l("Campaign"), "organisation": _l("Government body"),
                "unit": _l("Unit"), "user": _l("Staff account"),
                "questionnaire": _l("Questionnaire"),
                "assessment": _l("Expert assessment")}
DETAIL_LABELS = {
    "sent": _l("E-mails sent"), "addresses": _l("Not delivered to"),
    "invitations": _l("Invitations"), "invitation": _l("Invitation"), "role": _l("Role"),
    "organisations": _l("Government bodies"), "from": _l("From"), "to": _l("To"),
    "attempts_finished": _l("Tests finished at closing"), "changed": _l("Changed"),
    "code": _l("Code"), "title_kk": _l("Title (Kazakh)"), "title_ru": _l("Title (Russian)"),
    "title_en": _l("Title (English)"), "opens_at": _l("Opens"), "closes_at": _l("Closes"),
    "anonymous": _l("Anonymous"), "time_limit": _l("Test time limit, minutes"),
    "default_language": _l("Default language"), "survey_version": _l("Survey version"),
    "test_version": _l("Test version"), "created": _l("New invitations"),
    "kept": _l("Already invited"), "version": _l("Version"), "file": _l("File"),
    "name": _l("Name"), "name_kk": _l("Name in Kazakh"), "name_ru": _l("Name in Russian"),
    "name_en": _l("Name in English"), "is_project_office": _l("Project office"),
}


def target_text(target: str | None) -> str:
    """"campaign:wave-2026" → "Campaign wave-2026"; nested targets joined with " / "."""
    if not target:
        return ""
    parts = []
    for piece in target.split("/"):
        kind, _sep, name = piece.partition(":")
        label = TARGET_KINDS.get(kind)
        parts.append(f"{label} {name}" if label else piece)
    return " / ".join(parts)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        shown = ", ".join(str(v) for v in value[:12])
        return shown + (" …" if len(value) > 12 else "") + (
            f" ({len(value)})" if len(value) > 1 else "")
    if value is None:
        return "—"
    return str(value)


def detail_lines(details: dict | None) -> list[str]:
    """Each detail as "label: value"; a campaign edit as "field: before → after"."""
    lines = []
    for key, value in (details or {}).items():
        if key not in DETAIL_LABELS:
            continue  # kept in the database; shown only with a label in the page's language
        label = str(DETAIL_LABELS[key])
        if key == "changed" and isinstance(value, dict):
            if not value:
                lines.append(_("Nothing was changed."))
            for name, (before, after) in value.items():
                lines.append(f"{DETAIL_LABELS.get(name, name)}: {_value(before)} → {_value(after)}")
        elif key in ("from", "to") and isinstance(value, str):
            lines.append(f"{label}: {label_of('status', value)}")
        else:
            lines.append(f"{label}: {_value(value)}")
    return lines


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    page: int
    more: bool
    action: str
    user_id: int | None
    users: list[User]
    actions: list[tuple[str, str]]

    def args(self, **changes: object) -> dict[str, str]:
        values = {"action": self.action, "user": self.user_id, "page": self.page, **changes}
        return {key: str(value) for key, value in values.items()
                if value not in (None, "") and not (key == "page" and value == 1)}


def audit_page() -> AuditPage:
    """The request's page of the audit log, newest first, filtered by ``action`` and ``user``."""
    page = int_arg("page", default=1, minimum=1, maximum=MAX_PAGE) or 1
    action = request.args.get("action", "")
    action = action if action in AUDIT_LABELS else ""
    user_id = int_arg("user")
    query = db.select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    entries = list(db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                      .offset((page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE + 1)))
    users = list(db.session.scalars(db.select(User).order_by(User.full_name)))
    actions = sorted(((code, str(label)) for code, label in AUDIT_LABELS.items()),
                     key=lambda pair: pair[1])
    return AuditPage(entries[:AUDIT_PAGE], page, len(entries) > AUDIT_PAGE, action, user_id,
                     users, actions)


