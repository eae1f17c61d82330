"""Government bodies, their units, and the people on their staff lists."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..languages import pick
from ._types import sql_in

GOVERNANCE_LEVELS = ("republican", "regional", "local")
SECTORS = (
    "general_administration",
    "economy_finance",
    "social",
    "health",
    "education",
    "digital_development",
    "justice_security",
    "agriculture_environment",
    "infrastructure_transport",
)
PROJECT_OFFICES = ("centralised", "decentralised")


class LocalizedName:
    """Mixin: ``name_kk``, ``name_ru``, ``name_en`` and ``name`` in the current locale."""

    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))

    @property
    def names(self) -> dict[str, str]:
        return {"kk": self.name_kk, "ru": self.name_ru, "en": self.name_en}

    @property
    def name(self) -> str:
        return pick(self.names)


class Organisation(LocalizedName, db.Model):
    """A government body (ministry, akimat, agency)."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(f"governance_level IN ({sql_in(GOVERNANCE_LEVELS)})", name="governance_level"),
        CheckConstraint(f"sector IN ({sql_in(SECTORS)})", name="sector"),
        CheckConstraint(
            f"project_office IS NULL OR project_office IN ({sql_in(PROJECT_OFFICES)})",
            name="project_office",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    governance_level: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(40))
    # How the body's project office works across its units; None = not recorded. The expert
    # checklists choose criteria, rubrics and weights by it (Context.of).
    project_office: Mapped[str | None] = mapped_column(String(20))

    units: Mapped[list[Unit]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Unit.id"
    )


class Unit(LocalizedName, db.Model):
    """A department, structural subdivision or project office, in a tree within one body."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    is_project_office: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class Person(db.Model):
    """A civil servant from a staff list. Identity stays here; anonymous answers never point to it."""

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("organisation_id", "personnel_number"),
        UniqueConstraint("organisation_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    position_category_id: Mapped[int] = mapped_column(ForeignKey("role_profile.id"))
    personnel_number: Mapped[str | None] = mapped_column(String(64))
    full_name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str | None] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    organisation: Mapped[Organisation] = relationship()
    unit: Mapped[Unit] = relationship()
    position_category = relationship("RoleProfile")
