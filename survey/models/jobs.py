"""Background work: e-mail sends and the delivery of each message, and the scheduler's runs.

A *send* is one e-mail operation on a campaign (an administrator's click, or a scheduled
reminder, whose key makes it happen once: ``schedule:7`` is the reminder seven days before the
end). It has one *delivery* per invitation, whose status moves queued → sending → sent, or to
refused (the server rejected the address for good), failed (the retries ran out), skipped
(nothing left to send: the person finished meanwhile), bounced (reported back later) or uncertain
(the sender stopped between handing the message over and recording it: never sent again, so
nobody gets it twice)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, sql_in, utcnow

SEND_KINDS = ("invitation", "reminder")
DELIVERY_STATUSES = ("queued", "sending", "sent", "refused", "failed", "uncertain", "bounced",
                     "skipped")


class MailSend(db.Model):
    """One e-mail operation on a campaign."""

    __tablename__ = "mail_send"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(SEND_KINDS)})", name="kind"),
        UniqueConstraint("campaign_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[str] = mapped_column(String(12))
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign = relationship("Campaign")


class Delivery(db.Model):
    """One message of a send, to one invitation."""

    __tablename__ = "delivery"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in(DELIVERY_STATUSES)})", name="status"),
        UniqueConstraint("send_id", "invitation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    send_id: Mapped[int] = mapped_column(ForeignKey("mail_send.id", ondelete="CASCADE"),
                                         index=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"),
                                               index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation = relationship("Invitation")


class SchedulerRun(db.Model):
    """When each periodic task last ran (one row per task), so every node can tell if it is late."""

    __tablename__ = "scheduler_run"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime)
    details: Mapped[str | None] = mapped_column(Text)
