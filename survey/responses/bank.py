"""The item bank of a test version as the adaptive test and IRT scoring take it.

Parameters come from the version's latest calibration (``questionnaires calibrate``); an item
the calibration has no parameters for, and every item of a version not yet calibrated, gets the
provisional parameters of its level (:func:`analysis.adaptive.default_item_parameters`). The
bank is cached per process with the calibration it was built from, so a new calibration is
picked up on the next request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from flask import current_app

from analysis.adaptive import ItemBank, default_item_parameters, item_bank
from analysis.model import MaturityModel

from ..extensions import db
from ..models import Calibration, Competence, ItemParameter
from .layout import layout


@dataclass(frozen=True)
class Bank:
    """A version's bank: ``bank`` in version item order, and the calibration behind it."""

    bank: ItemBank
    calibration_id: int | None  # None: provisional parameters from the levels
    competence_codes: tuple[str, ...]  # bank competence index → competence code


def latest_calibration(version_id: int) -> Calibration | None:
    """The version's newest calibration, or None."""
    return db.session.scalar(
        db.select(Calibration).where(Calibration.test_version_id == version_id)
        .order_by(Calibration.number.desc()).limit(1)
    )


_lock = threading.Lock()


def version_bank(version_id: int) -> Bank:
    """The bank of a test version with its current parameters (one small query when cached)."""
    calibration_id = db.session.scalar(
        db.select(Calibration.id).where(Calibration.test_version_id == version_id)
        .order_by(Calibration.number.desc()).limit(1)
    )
    cache = current_app.extensions.setdefault("test_banks", {})
    found = cache.get(version_id)
    if found is not None and found.calibration_id == calibration_id:
        return found
    with _lock:
        found = cache[version_id] = _build(version_id, calibration_id)
    return found


def _build(version_id: int, calibration_id: int | None) -> Bank:
    items = layout(version_id).items
    competences = db.session.execute(
        db.select(Competence.id, Competence.code).order_by(Competence.position)
    ).all()
    index = {cid: i for i, (cid, _code) in enumerate(competences)}
    a, b = default_item_parameters([item.level or 1 for item in items])
    if calibration_id is not None:
        rows = db.session.execute(
            db.select(ItemParameter.item_id, ItemParameter.discrimination,
                      ItemParameter.difficulty, ItemParameter.n_presented)
            .where(ItemParameter.calibration_id == calibration_id)
        ).all()
        by_item = {row.item_id: row for row in rows}
        for position, item in enumerate(items):
            row = by_item.get(item.id)
            if row is not None and row.n_presented > 0:
                a[position], b[position] = row.discrimination, row.difficulty
    bank = item_bank(a, b, np.array([index[item.competence_id] for item in items]),
                     len(competences))
    return Bank(bank, calibration_id, tuple(code for _cid, code in competences))


def cut_scores(model: MaturityModel | None) -> tuple[float, ...]:
    """The cut scores of the loaded maturity model (its defaults without one)."""
    return model.cut_scores if model is not None else MaturityModel.cut_scores
