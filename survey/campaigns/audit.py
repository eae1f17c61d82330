"""The audit log of administrative actions: who did what to which object, and when."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from ..models import AuditEntry


def record(action: str, target: str | None = None, details: dict | None = None) -> AuditEntry:
    """Add an audit entry for the current staff member (none on the command line)."""
    user_id = remote_addr = None
    if has_request_context():
        remote_addr = request.remote_addr
        if current_user and current_user.is_authenticated:
            user_id = current_user.id
    entry = AuditEntry(user_id=user_id, action=action, target=target, details=details,
                       remote_addr=remote_addr)
    db.session.add(entry)
    return entry
