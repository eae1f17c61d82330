"""Creating staff accounts and checking logins, slowed down after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import emails
from ..extensions import db
from ..models import AuditEntry, Organisation, User
from ..models._types import utcnow
from ..problems import Problem, Refused
from .passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password


class AccountError(Refused):
    """A staff account cannot be created or changed as asked."""


@dataclass(frozen=True)
class AccountProblem(Problem):
    """Why a staff account was refused; ``where`` is the form field (``email``, ``password``)."""

    catalogue = {
        "password_short": _l("The password must have at least %(minimum)s characters."),
        "email_taken": _l("A staff account with this e-mail already exists."),
        "bad_email": _l("“%(value)s” is not a valid e-mail address."),
    }
    refusal = AccountError


def check_password(password: str) -> None:
    """Refuse a password shorter than ``MIN_PASSWORD_LENGTH``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountProblem.refuse("password_short", where="password",
                                    minimum=MIN_PASSWORD_LENGTH)


def account_problems(email: str, password: str) -> list[Problem]:
    """Every reason a new account with this e-mail and password would be refused: the address
    by the one e-mail rule (:mod:`survey.emails`), the password's length, an address taken."""
    problems: list[Problem] = []
    address = emails.normalise(email)
    if not emails.is_valid(address):
        problems.append(AccountProblem("bad_email", (("value", email.strip()),),
                                       where="email"))
    elif db.session.scalar(db.select(User).filter_by(email=address)) is not None:
        problems.append(AccountProblem("email_taken", where="email"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(AccountProblem("password_short", (("minimum", MIN_PASSWORD_LENGTH),),
                                       where="password"))
    return problems


def create_user(
    email: str,
    full_name: str,
    password: str,
    role: str,
    organisations: list[Organisation] | None = None,
    language: str | None = None,
) -> User:
    problems = account_problems(email, password)
    if problems:
        raise AccountError(problems)
    email = emails.normalise(email)
    user = User(
        email=email,
        full_name=full_name,
        password_hash=hash_password(password),
        role=role,
        language=language,
        organisations=list(organisations or []),
    )
    db.session.add(user)
    return user


def login_delay(failures: int) -> timedelta:
    """How long an account waits after ``failures`` failed logins in a row: nothing for the
    first ``LOGIN_DELAY_FREE_FAILURES``, then 1 s, 2 s, 4 s… up to ``LOGIN_DELAY_MAX_SECONDS``.
    Guessing is slowed to about one try a minute; the owner waits that minute at most."""
    config = current_app.config
    over = failures - int(config["LOGIN_DELAY_FREE_FAILURES"])
    if over <= 0:
        return timedelta(0)
    return timedelta(seconds=min(2 ** min(over - 1, 30), int(config["LOGIN_DELAY_MAX_SECONDS"])))


def authenticate(email: str, password: str, remote_addr: str | None) -> tuple[User | None, str]:
    """The user if the password is right; otherwise None and why: "invalid", or "delayed" when
    the account's wait after earlier failures has not passed (the password is then not read,
    and the attempt is not counted).

    Failures are counted per account and slow it down (:func:`login_delay`), never lock it:
    after the wait the right password opens it. Attempts per client address are limited
    before this is called (Flask-Limiter, :mod:`survey.security`)."""
    now = utcnow()
    user = db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)
        db.session.add(AuditEntry(user_id=user.id, action="login_delayed",
                                  remote_addr=remote_addr))
        return None, "delayed"
    if user is None or not user.active or not verify_password(user.password_hash, password):
        if user is not None:
            user.failed_logins += 1
            delay = login_delay(user.failed_logins)
            user.locked_until = now + delay if delay else None
        else:
            verify_password(None, password)
        db.session.add(AuditEntry(user_id=user.id if user else None, action="login_failed",
                                  remote_addr=remote_addr))
        return None, "invalid"
    user.failed_logins = 0
    user.locked_until = None
    db.session.add(AuditEntry(user_id=user.id, action="login", remote_addr=remote_addr))
    return user, "ok"
