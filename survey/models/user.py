"""Staff accounts (admin, HR analyst, trainer, assessor), their organisation scope, and the
audit log."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import LANGUAGE_CODES, UTCDateTime, sql_in, utcnow
from .org import Organisation

ROLES = ("admin", "hr", "trainer", "assessor")

user_organisations = db.Table(
    "user_organisation",
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    """A staff member who reviews results, runs campaigns or assesses bodies, scoped to
    ``organisations`` (what that scope lets them see is decided in :mod:`survey.access`)."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(f"role IN ({sql_in(ROLES)})", name="role"),
        CheckConstraint(
            f"language IS NULL OR language IN ({sql_in(LANGUAGE_CODES)})", name="language"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(300))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str | None] = mapped_column(String(2))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisations: Mapped[list[Organisation]] = relationship(secondary=user_organisations)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active


class AuditEntry(db.Model):
    """Who did what to which object, and when."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict | None] = mapped_column(JSON)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User | None] = relationship()
