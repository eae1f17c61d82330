"""Calibrating a test version's items on finished attempts (``questionnaires calibrate``).

The arithmetic is :func:`analysis.irt.calibrate` (marginal maximum likelihood on every answer
presented, nan for items a person was not shown); this module gathers the packed answers of the
campaigns, stores the parameters as the version's next calibration, and says which cut scores
the new parameters imply.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.adaptive import cut_scores_from_levels, default_item_parameters
from analysis.irt import calibrate

from ..extensions import db
from ..models import Calibration, Campaign, ItemParameter
from .frames import read_frame

MIN_TAKERS = 2


class CalibrationError(ValueError):
    """The campaigns cannot be calibrated together (said in English, for the command line)."""


@dataclass(frozen=True)
class CalibrationReport:
    calibration: Calibration
    seconds: float
    cut_scores: dict[str, tuple[float, ...]]  # competence code → implied cuts into levels 2..5


def calibrate_campaigns(campaigns: Sequence[Campaign], model: str = "2pl") -> CalibrationReport:
    """Fit ``model`` ("2pl" or "rasch") on the finished attempts of ``campaigns`` (one test
    version) and add the version's next calibration to the session."""
    versions = {c.test_version_id for c in campaigns}
    if not campaigns or None in versions or len(versions) != 1:
        raise CalibrationError("the campaigns must all have the same test version")
    rows, layout = [], None
    for campaign in campaigns:
        frame = read_frame(campaign)
        layout = frame.layout
        rows.append(frame.correct_float[frame.took_test])
    assert layout is not None
    responses = np.vstack(rows)
    responses = responses[~np.all(np.isnan(responses), axis=1)]
    if responses.shape[0] < MIN_TAKERS:
        raise CalibrationError(f"at least {MIN_TAKERS} finished tests are needed, "
                               f"found {responses.shape[0]}")
    fit = calibrate(responses, "2pl" if model == "2pl" else "rasch")
    version_id = versions.pop()
    number = (db.session.scalar(db.select(db.func.max(Calibration.number))
                                .where(Calibration.test_version_id == version_id)) or 0) + 1
    calibration = Calibration(
        test_version_id=version_id, number=number, model=fit.model,
        campaign_codes=[c.code for c in campaigns], n_takers=fit.n_takers,
        log_likelihood=float(fit.log_likelihood), iterations=fit.iterations,
        converged=bool(fit.converged),
    )
    default_a, default_b = default_item_parameters(layout.test_level)
    for index, item in enumerate(layout.test_items):
        shown = int(fit.n_presented[index]) > 0
        calibration.parameters.append(ItemParameter(
            item_id=item.id,
            discrimination=float(fit.discrimination[index] if shown else default_a[index]),
            difficulty=float(fit.difficulty[index] if shown else default_b[index]),
            discrimination_se=_finite(fit.discrimination_se[index]) if shown else None,
            difficulty_se=_finite(fit.difficulty_se[index]) if shown else None,
            n_presented=int(fit.n_presented[index]),
        ))
    db.session.add(calibration)
    a = np.where(fit.n_presented > 0, fit.discrimination, default_a)
    b = np.where(fit.n_presented > 0, fit.difficulty, default_b)
    cuts = {}
    for c, competence in enumerate(layout.competences):
        own = layout.test_competence == c
        if set(layout.test_level[own].tolist()) >= {2, 3, 4, 5}:
            cuts[competence.code] = tuple(
                round(float(x), 3) for x in cut_scores_from_levels(a[own], b[own],
                                                                   layout.test_level[own]))
    return CalibrationReport(calibration, fit.seconds, cuts)


def _finite(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else float(value)
