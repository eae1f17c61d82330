"""Staff sessions that can be ended for every node: the signed session cookie carries an id,
and logging out records that id as ended in the shared cache (Redis with ``REDIS_URL``), so a
copy of the old cookie opens nothing on any node until it would have expired anyway."""

from __future__ import annotations

import secrets

from flask import current_app, session

from ..extensions import cache

KEY = "sid"


def start_session() -> None:
    """Give the (fresh) session its id."""
    session[KEY] = secrets.token_urlsafe(16)


def end_session() -> None:
    """Record the current session as ended, for as long as its cookie could be used."""
    sid = session.get(KEY)
    if sid:
        lifetime = int(current_app.permanent_session_lifetime.total_seconds())
        cache.set(f"ended-session:{sid}", 1, timeout=lifetime)


def session_ended() -> bool:
    """Whether the session the request carries was ended (on this node or another)."""
    sid = session.get(KEY)
    return bool(sid) and cache.get(f"ended-session:{sid}") is not None
