"""Creating staff accounts and checking logins, with a lockout after repeated failures."""

from __future__ import annotations

from datetime import timedelta

from ..extensions import db
from ..models import AuditEntry, Organisation, User
from ..models._types import utcnow
from .passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


class AccountError(ValueError):
    """A staff account cannot be created or changed as asked."""


def create_user(
    email: str,
    full_name: str,
    password: str,
    role: str,
    organisations: list[Organisation] | None = None,
    language: str | None = None,
) -> User:
    email = email.strip().lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.scalar(db.select(User).filter_by(email=email)) is not None:
        raise AccountError(f"a staff account with the e-mail {email} already exists")
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


def authenticate(email: str, password: str, remote_addr: str | None) -> tuple[User | None, str]:
    """The user if the password is right; otherwise None and why ("invalid" or "locked").

    Failed attempts are counted per account; after ``MAX_FAILED_LOGINS`` the account is locked
    for ``LOCKOUT`` even for the right password."""
    user = db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)
        return None, "locked"
    if user is None or not user.active or not verify_password(user.password_hash, password):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            db.session.add(
                AuditEntry(user_id=user.id, action="login_failed", remote_addr=remote_addr)
            )
        else:
            verify_password(None, password)
        return None, "invalid"
    user.failed_logins = 0
    user.locked_until = None
    db.session.add(AuditEntry(user_id=user.id, action="login", remote_addr=remote_addr))
    return user, "ok"
