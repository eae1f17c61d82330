"""What respondents give: attempts, answers saved page by page, and packed results.

``Answer`` is the source of truth, written on every "next". When an attempt finishes, its answers
are packed once into an ``AttemptResult`` (one byte per item, item order fixed by the version)
with the scores, so that analyses read one short row per person instead of one row per answer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import LANGUAGE_CODES, UTCDateTime, sql_in, utcnow

ATTEMPT_STAGES = ("consent", "survey", "test", "finished")


class Attempt(db.Model):
    """One person's pass through a campaign's survey and test.

    ``access_hash`` (SHA-256 of a token-derived key) finds the attempt from the link. In identified
    campaigns ``invitation_id`` links the attempt to the invitation and so to the person; in
    anonymous campaigns it stays empty. Organisation, unit and position category are copied so
    group results never need the invitation."""

    __tablename__ = "attempt"
    __table_args__ = (
        CheckConstraint(f"stage IN ({sql_in(ATTEMPT_STAGES)})", name="stage"),
        CheckConstraint(f"language IN ({sql_in(LANGUAGE_CODES)})", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"), unique=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    position_category_id: Mapped[int] = mapped_column(ForeignKey("role_profile.id"))
    language: Mapped[str] = mapped_column(String(2))
    seed: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(10), default="consent")
    page: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    test_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    test_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign = relationship("Campaign")
    answers: Mapped[list[Answer]] = relationship(back_populates="attempt")


class Answer(db.Model):
    """One answer to one item, unique per attempt and item (enforced by the database).

    ``value``: Likert "1".."5"; single choice "b"; multiple choice "a,c" (sorted); true/false
    "true"/"false"."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("attempt_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    value: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    item = relationship("Item")


class AttemptResult(db.Model):
    """A finished attempt packed for bulk reading, written once when it finishes.

    ``survey_answers``: one byte per survey item in version order, 0 = missing, 1..5 = answer.
    ``test_choices``: one byte per test item, 0 = none, else option index + 1 (single choice),
    bit mask of chosen options (multiple choice), 1 = false / 2 = true (true/false).
    ``test_correct``: one byte per test item, 0 = wrong or unanswered, 1 = right, 2 = not
    presented (an item outside a linear campaign's form, or one an adaptive attempt never
    picked); ``survey.results.frames`` reads 2 as nan, which every analysis skips.
    ``survey_answers`` covers every item of the survey version, self-ratings (values 1..5 =
    levels) included. ``competence_estimates`` (adaptive campaigns): {"competence_code":
    {"theta", "se", "level", "probability", "n_items"}}, the level's posterior probability."""

    __tablename__ = "attempt_result"
    __table_args__ = (
        CheckConstraint("culture_level IS NULL OR culture_level BETWEEN 1 AND 5", name="level"),
    )

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    position_category_id: Mapped[int] = mapped_column(ForeignKey("role_profile.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    language: Mapped[str] = mapped_column(String(2))
    survey_version_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_version.id"))
    test_version_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_version.id"))
    survey_answers: Mapped[bytes | None] = mapped_column(LargeBinary)
    test_choices: Mapped[bytes | None] = mapped_column(LargeBinary)
    test_correct: Mapped[bytes | None] = mapped_column(LargeBinary)
    # {"scale_id": 3.75, ...}, {"competence_code": 3, ...}
    scale_scores: Mapped[dict | None] = mapped_column(JSON)
    competence_levels: Mapped[dict | None] = mapped_column(JSON)
    competence_estimates: Mapped[dict | None] = mapped_column(JSON)
    culture_score: Mapped[float | None] = mapped_column(Float)
    culture_level: Mapped[int | None] = mapped_column(Integer)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship()


class Release(db.Model):
    """One release of a campaign's figures: number 1, 2, … per campaign (unique, so two
    workers can never record two different releases with the same number)."""

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("campaign_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    results: Mapped[int] = mapped_column(Integer)  # results in the release's rows
    final: Mapped[bool] = mapped_column(Boolean, default=False)  # made at the campaign's close
    # What the release added to the gate's rows (survey/results/releases.py): the results it saw
    # first, in release-row order, with their atoms (−1 = pending), and the earlier results it
    # gave an atom — little-endian int32: [n_new, new ids, new atoms, changed ids, their atoms].
    members: Mapped[bytes | None] = mapped_column(LargeBinary)


class ReleaseAtom(db.Model):
    """An atom of the gate: a fixed group of at least k results, formed at one release."""

    __tablename__ = "release_atom"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    atom: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_number: Mapped[int] = mapped_column(Integer)
