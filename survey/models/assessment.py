"""Expert assessments of a body's project office: one period, the three expert dimensions rated
criterion by criterion with notes and evidence, reviewed by a second person and then locked.

The criteria, rubrics and weights are data (``questionnaires/expert_checklists.yaml`` and the
``criterion_weights`` of the maturity model); an assessment records which version it used
(``rubric_hash``), the body's context it was rated in, and each rating's weight, so that a
confirmed assessment keeps its score when the checklists change later.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, sql_in, utcnow
from .org import Organisation, Unit
from .user import User

STATUSES = ("draft", "submitted", "confirmed", "returned")
EXPERT_DIMENSIONS = ("strategic_management", "organisational_maturity", "technological_maturity")


class Assessment(db.Model):
    """The expert assessment of one body's project office for one period (dates inclusive).

    draft → submitted → confirmed, or → returned (with a reason) → submitted again. Only the
    author edits, and only a draft or a returned assessment; a confirmed one never changes.
    """

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("organisation_id", "period_start"),
        CheckConstraint(f"status IN ({sql_in(STATUSES)})", name="status"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    # The body's attributes the checklists were chosen by: governance_level, sector,
    # project_office (None when not recorded).
    context: Mapped[dict] = mapped_column(JSON)
    rubric_hash: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    unit: Mapped[Unit | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    ratings: Mapped[list[AssessmentRating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan",
        order_by="AssessmentRating.id",
    )

    @property
    def editable(self) -> bool:
        return self.status in ("draft", "returned")


class AssessmentRating(db.Model):
    """One criterion of an assessment: its level 1–5 (None while the draft has none yet), the
    assessor's note, and the criterion's weight in its dimension when it was last saved."""

    __tablename__ = "assessment_rating"
    __table_args__ = (
        UniqueConstraint("assessment_id", "criterion"),
        CheckConstraint(f"dimension IN ({sql_in(EXPERT_DIMENSIONS)})", name="dimension"),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint("weight IS NULL OR (weight > 0 AND weight <= 1)", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    dimension: Mapped[str] = mapped_column(String(40))
    criterion: Mapped[str] = mapped_column(String(64))
    level: Mapped[int | None] = mapped_column(Integer)
    weight: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="rating", cascade="all, delete-orphan", order_by="Evidence.id"
    )


class Evidence(db.Model):
    """What a rating rests on: a document's name, and a link or an interview's date."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_rating.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(1000))
    interview_date: Mapped[date | None] = mapped_column(Date)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rating: Mapped[AssessmentRating] = relationship(back_populates="evidence")
