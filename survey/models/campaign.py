"""Campaigns (survey waves) and the invitations that let civil servants take part."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..languages import pick
from ._types import LANGUAGE_CODES, UTCDateTime, sql_in, utcnow
from .org import Organisation

CAMPAIGN_STATUSES = ("draft", "open", "closed", "archived")
TEST_MODES = ("linear", "adaptive")
INVITATION_STATUSES = ("new", "sent", "started", "finished")

campaign_organisations = Table(
    "campaign_organisation",
    db.metadata,
    Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True),
)


class Campaign(db.Model):
    """A wave of the survey and test for some government bodies, between two dates."""

    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in(CAMPAIGN_STATUSES)})", name="status"),
        CheckConstraint(f"default_language IN ({sql_in(LANGUAGE_CODES)})", name="default_language"),
        CheckConstraint("closes_at > opens_at", name="dates_ordered"),
        CheckConstraint(
            "test_time_limit_minutes IS NULL OR test_time_limit_minutes > 0", name="time_limit"
        ),
        CheckConstraint(
            "survey_version_id IS NOT NULL OR test_version_id IS NOT NULL", name="has_questionnaire"
        ),
        CheckConstraint(f"test_mode IN ({sql_in(TEST_MODES)})", name="test_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title_kk: Mapped[str] = mapped_column(String(300))
    title_ru: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    test_time_limit_minutes: Mapped[int | None] = mapped_column(Integer, default=45)
    # "linear": the test's fixed form, paged; "adaptive": one item at a time from the whole bank.
    test_mode: Mapped[str] = mapped_column(String(8), default="linear", server_default="linear")
    default_language: Mapped[str] = mapped_column(String(2), default="kk")
    survey_version_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_version.id"))
    test_version_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_version.id"))
    # The earlier wave this one is compared with.
    previous_campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Reminders the scheduler sends, in whole days before the end ("7,2"); empty: none.
    reminder_days: Mapped[str] = mapped_column(String(40), default="7,2", server_default="7,2")

    survey_version = relationship("QuestionnaireVersion", foreign_keys=[survey_version_id])
    test_version = relationship("QuestionnaireVersion", foreign_keys=[test_version_id])
    previous_campaign: Mapped[Campaign | None] = relationship(remote_side=[id])
    organisations: Mapped[list[Organisation]] = relationship(secondary=campaign_organisations)

    @property
    def titles(self) -> dict[str, str]:
        return {"kk": self.title_kk, "ru": self.title_ru, "en": self.title_en}

    @property
    def title(self) -> str:
        return pick(self.titles)

    @property
    def reminder_schedule(self) -> list[int]:
        """The days before the end on which reminders go out, latest first (7, 2)."""
        days = {int(d) for d in (self.reminder_days or "").split(",") if d.strip().isdigit()}
        return sorted(days, reverse=True)

    def is_open_at(self, moment: datetime) -> bool:
        return self.status == "open" and self.opens_at <= moment < self.closes_at


class Invitation(db.Model):
    """One person's link to a campaign. Only the SHA-256 of the token is stored.

    In an anonymous campaign the invitation may carry an e-mail address (to send the link and
    reminders) but the attempt it leads to does not point back to it, and no timestamp is kept
    here that could pair the two."""

    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in(INVITATION_STATUSES)})", name="status"),
        CheckConstraint(
            f"language IS NULL OR language IN ({sql_in(LANGUAGE_CODES)})", name="language"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    position_category_id: Mapped[int] = mapped_column(ForeignKey("role_profile.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(10), default="new")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign: Mapped[Campaign] = relationship()
    organisation: Mapped[Organisation] = relationship()
    unit = relationship("Unit")
    position_category = relationship("RoleProfile")
    person = relationship("Person")
