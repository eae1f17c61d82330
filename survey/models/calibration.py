"""IRT calibrations of a test version: versioned, one row of parameters per item.

A calibration is made by ``questionnaires calibrate`` from finished attempts and never changed;
a new fit is a new number. Until a test version has one, adaptive campaigns use provisional
parameters from the items' levels (:func:`analysis.adaptive.default_item_parameters`).
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
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, sql_in, utcnow

IRT_MODELS = ("rasch", "2pl")


class Calibration(db.Model):
    """One fit of a test version's items, number 1, 2, … per version (the latest is used)."""

    __tablename__ = "calibration"
    __table_args__ = (
        UniqueConstraint("test_version_id", "number"),
        CheckConstraint(f"model IN ({sql_in(IRT_MODELS)})", name="model"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    test_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(8))
    campaign_codes: Mapped[list] = mapped_column(JSON)  # the campaigns whose attempts it used
    n_takers: Mapped[int] = mapped_column(Integer)
    log_likelihood: Mapped[float] = mapped_column(Float)
    iterations: Mapped[int] = mapped_column(Integer)
    converged: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parameters: Mapped[list[ItemParameter]] = relationship(
        back_populates="calibration", cascade="all, delete-orphan"
    )


class ItemParameter(db.Model):
    """An item's estimated discrimination a and difficulty b (with standard errors; null for an
    item nobody was shown, whose a and b stay the provisional ones from its level)."""

    __tablename__ = "item_parameter"

    calibration_id: Mapped[int] = mapped_column(
        ForeignKey("calibration.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), primary_key=True)
    discrimination: Mapped[float] = mapped_column(Float)
    difficulty: Mapped[float] = mapped_column(Float)
    discrimination_se: Mapped[float | None] = mapped_column(Float)
    difficulty_se: Mapped[float | None] = mapped_column(Float)
    n_presented: Mapped[int] = mapped_column(Integer)

    calibration: Mapped[Calibration] = relationship(back_populates="parameters")


class ExposureControl(db.Model):
    """The Sympson–Hetter eligibility of every item of a test version's bank (version item
    order) under the adaptive rules they were simulated for (:mod:`analysis.exposure`).

    Simulated once per bank and rules — when a calibration is stored, when an adaptive campaign
    opens, or by the scheduler — so no respondent waits for the simulation. ``key`` names the
    version, the calibration (0: the provisional parameters) and a digest of the rules."""

    __tablename__ = "exposure_control"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    test_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id"), index=True
    )
    calibration_id: Mapped[int | None] = mapped_column(
        ForeignKey("calibration.id", ondelete="CASCADE")
    )
    eligibility: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
