"""Home page, language switcher and health check."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from ..access import safe_next
from ..extensions import db
from ..i18n import LANGUAGE_CODES
from . import bp


@bp.get("/")
def home() -> ResponseReturnValue:
    """What Qabilet is, for whoever arrives without an invitation link."""
    return render_template("core/home.html")


@bp.get("/language/<code>")
def set_language(code: str) -> ResponseReturnValue:
    """Remember the chosen language in the session and go back where the person was.

    A plain link, so the switcher works without JavaScript."""
    if code not in LANGUAGE_CODES:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")))


@bp.get("/health")
def health() -> ResponseReturnValue:
    """For load balancers: the app answers and the database is reachable."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
