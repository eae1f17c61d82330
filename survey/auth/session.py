"""Flask-Login glue and role checks used by every staff blueprint."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ..extensions import db
from ..models import User


def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def roles_required(*roles: str):
    """Logged in and holding one of ``roles``; otherwise 403 (or the login page)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_organisation(organisation_id: int) -> None:
    """403 unless the current user may see this organisation's data."""
    if not current_user.can_see_organisation(organisation_id):
        abort(403)
