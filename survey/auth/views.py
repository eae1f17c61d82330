"""Login and logout for HR analysts, trainers and administrators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..access import safe_next
from ..accounts.sessions import end_session, start_session
from ..accounts.users import authenticate
from ..extensions import db
from . import bp
from .forms import LoginForm

if TYPE_CHECKING:
    from ..models import User


def landing_for(user: User) -> str:
    """Where a staff member lands after logging in."""
    return url_for({"admin": "admin.index", "hr": "hr.index", "trainer": "trainer.index",
                    "assessor": "assessor.index"}[user.role])


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(landing_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user, outcome = authenticate(form.email.data, form.password.data, request.remote_addr)
        db.session.commit()
        if user is not None:
            lang = user.language or session.get("lang")
            session.clear()  # a fresh session on login (no fixation); keep the language
            start_session()
            login_user(user)
            if lang:
                session["lang"] = lang
            return redirect(safe_next(request.args.get("next")) if request.args.get("next")
                            else landing_for(user))
        if outcome == "throttled":
            flash(_("Too many failed attempts from this address. Please wait 15 minutes."),
                  "error")
            return render_template("auth/login.html", form=form), 429
        if outcome == "locked":
            flash(_("Too many failed attempts. The account is locked for 15 minutes."), "error")
        else:
            flash(_("The e-mail or password is not correct."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    lang = session.get("lang")
    end_session()
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("core.home"))
