"""Creating staff accounts and checking logins, with a lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import AuditEntry, Organisation, User
from ..models._types import utcnow
from ..problems import Problem, Refused
from .passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Per address as well: someone trying one password on many accounts never locks any of them.
MAX_FAILED_PER_ADDRESS = 20


class AccountError(Refused):
    """A staff account cannot be created or changed as asked."""


@dataclass(frozen=True)
class AccountProblem(Problem):
    """Why a staff account was refused; ``where`` is the form field (``email``, ``password``)."""

    catalogue = {
        "password_short": _l("The password must have at least %(minimum)s characters."),
        "email_taken": _l("A staff account with this e-mail already exists."),
    }
    refusal = AccountError


def check_password(password: str) -> None:
    """Refuse a password shorter than ``MIN_PASSWORD_LENGTH``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountProblem.refuse("password_short", where="password",
                                    minimum=MIN_PASSWORD_LENGTH)


def create_user(
    email: str,
    full_name: str,
    password: str,
    role: str,
    organisations: list[Organisation] | None = None,
    language: str | None = None,
) -> User:
    email = email.strip().lower()
    check_password(password)
    if db.session.scalar(db.select(User).filter_by(email=email)) is not None:
        raise AccountProblem.refuse("email_taken", where="email")
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


def failed_from(remote_addr: str | None, since: datetime) -> int:
    """Failed logins from one address since a moment, read from the audit log (so every worker
    process sees the same count)."""
    return db.session.scalar(
        db.select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "login_failed",
            AuditEntry.remote_addr == remote_addr,
            AuditEntry.at >= since,
        )
    )


def authenticate(email: str, password: str, remote_addr: str | None) -> tuple[User | None, str]:
    """The user if the password is right; otherwise None and why: "invalid", "locked" (the
    account), or "throttled" (the address).

    Failed attempts are counted per account, where ``MAX_FAILED_LOGINS`` lock it for
    ``LOCKOUT`` even for the right password, and per address, where ``MAX_FAILED_PER_ADDRESS``
    within ``LOCKOUT`` refuse every login from it until the window has passed."""
    now = utcnow()
    if failed_from(remote_addr, now - LOCKOUT) >= MAX_FAILED_PER_ADDRESS:
        verify_password(None, password)
        return None, "throttled"
    user = db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)
        return None, "locked"
    if user is None or not user.active or not verify_password(user.password_hash, password):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
        else:
            verify_password(None, password)
        db.session.add(AuditEntry(user_id=user.id if user else None, action="login_failed",
                                  remote_addr=remote_addr))
        return None, "invalid"
    user.failed_logins = 0
    user.locked_until = None
    db.session.add(AuditEntry(user_id=user.id, action="login", remote_addr=remote_addr))
    return user, "ok"
