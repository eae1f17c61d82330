"""Questionnaires and their versions, competences, role profiles and the course catalogue.

A questionnaire (the survey or the test) gets a new version whenever its file changes; a version
that has answers is never changed, so every answer keeps pointing to the items it was given for.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..languages import pick
from ._types import LocalizedText, UTCDateTime, sql_in, utcnow

QUESTIONNAIRE_KINDS = ("survey", "test")
ITEM_TYPES = ("likert", "single", "multiple", "true_false", "self_rating")
COURSE_FORMATS = ("online", "classroom", "blended")


class Competence(db.Model):
    """A digital competence area the test measures and role profiles require."""

    __tablename__ = "competence"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    names: Mapped[dict] = mapped_column(LocalizedText)
    descriptions: Mapped[dict] = mapped_column(LocalizedText)

    @property
    def name(self) -> str:
        return pick(self.names)


class RoleProfile(db.Model):
    """A position category and the proficiency it requires per competence."""

    __tablename__ = "role_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    names: Mapped[dict] = mapped_column(LocalizedText)
    rationales: Mapped[dict] = mapped_column(LocalizedText)

    required_levels: Mapped[list[RequiredLevel]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return pick(self.names)


class RequiredLevel(db.Model):
    __tablename__ = "required_level"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),)

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("role_profile.id", ondelete="CASCADE"), primary_key=True
    )
    competence_id: Mapped[int] = mapped_column(ForeignKey("competence.id"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)

    profile: Mapped[RoleProfile] = relationship(back_populates="required_levels")
    competence: Mapped[Competence] = relationship()


class Questionnaire(db.Model):
    __tablename__ = "questionnaire"
    __table_args__ = (CheckConstraint(f"kind IN ({sql_in(QUESTIONNAIRE_KINDS)})", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))

    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.number"
    )


class QuestionnaireVersion(db.Model):
    """One immutable content of a questionnaire, identified by the hash of its definition."""

    __tablename__ = "questionnaire_version"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "number"),
        UniqueConstraint("questionnaire_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The whole validated definition (titles, scales, response scale…) for export and display.
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    items: Mapped[list[Item]] = relationship(
        back_populates="version", order_by="Item.position", cascade="all, delete-orphan"
    )

    @property
    def title(self) -> str:
        return pick(self.definition.get("title"))


class Item(db.Model):
    """A survey statement (Likert), a self-rating of one competence (survey, values 1..5 = the
    proficiency levels) or a test question, as it stood in one version."""

    __tablename__ = "item"
    __table_args__ = (
        UniqueConstraint("version_id", "code"),
        UniqueConstraint("version_id", "position"),
        CheckConstraint(f"type IN ({sql_in(ITEM_TYPES)})", name="type"),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint("type = 'likert' OR reverse = false", name="reverse_only_likert"),
        CheckConstraint(
            "(type = 'likert' AND scale IS NOT NULL) OR (type <> 'likert' AND competence_id IS NOT NULL)",
            name="scale_or_competence",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(12))
    scale: Mapped[str | None] = mapped_column(String(64))
    competence_id: Mapped[int | None] = mapped_column(ForeignKey("competence.id"))
    level: Mapped[int | None] = mapped_column(Integer)
    reverse: Mapped[bool] = mapped_column(Boolean, default=False)
    texts: Mapped[dict] = mapped_column(LocalizedText)
    # [{"id": "a", "text": {...}}, ...] for choice items; None for Likert and true/false.
    options: Mapped[list | None] = mapped_column(JSON)
    # "b", ["a", "c"] or true/false; None for Likert.
    key: Mapped[object | None] = mapped_column(JSON)
    explanations: Mapped[dict | None] = mapped_column(LocalizedText)

    version: Mapped[QuestionnaireVersion] = relationship(back_populates="items")
    competence: Mapped[Competence | None] = relationship()

    @property
    def text(self) -> str:
        return pick(self.texts)


course_competences = Table(
    "course_competence",
    db.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column("competence_id", ForeignKey("competence.id"), primary_key=True),
)


class Course(db.Model):
    """A capacity-building course from the catalogue."""

    __tablename__ = "course"
    __table_args__ = (
        CheckConstraint("level_from BETWEEN 1 AND 5 AND level_to BETWEEN 1 AND 5", name="levels"),
        CheckConstraint("level_from < level_to", name="raises_level"),
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint(f"format IN ({sql_in(COURSE_FORMATS)})", name="format"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    titles: Mapped[dict] = mapped_column(LocalizedText)
    descriptions: Mapped[dict] = mapped_column(LocalizedText)
    level_from: Mapped[int] = mapped_column(Integer)
    level_to: Mapped[int] = mapped_column(Integer)
    hours: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(12))
    capacity: Mapped[int] = mapped_column(Integer)

    competences: Mapped[list[Competence]] = relationship(secondary=course_competences)

    @property
    def title(self) -> str:
        return pick(self.titles)


class ReferenceDocument(db.Model):
    """A validated definition that is not a questionnaire, kept as loaded (the maturity model:
    level bands, weights, the proficiency rule, recommendations)."""

    __tablename__ = "reference_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
