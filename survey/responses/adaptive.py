"""The adaptive test of a campaign: which item comes next, from what is stored.

The next item is :func:`analysis.adaptive.next_item` of the version's bank, the items the
attempt has answered (each scored right or wrong) and the attempt's seed — nothing kept in a
session — so an attempt resumes on any device exactly where it stopped. Every presented item
must be answered before the next one is picked, so "answered" and "presented" are the same set.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass

import numpy as np
from flask import current_app
from numpy.typing import NDArray
from sqlalchemy.exc import IntegrityError

from analysis.adaptive import AdaptiveRules, next_item
from analysis.exposure import sympson_hetter
from analysis.model import MaturityModel
from analysis.testscoring import score_item

from ..extensions import db
from ..models import Answer, Attempt, Campaign, ExposureControl
from ..questionnaires.reference import loaded_maturity_model
from .bank import Bank, version_bank
from .layout import ItemView, layout
from .packing import chosen


@dataclass(frozen=True)
class AdaptiveState:
    """Where an adaptive attempt stands: ``item`` to show next (None: the test is over)."""

    answered: int
    item: ItemView | None
    stop_reason: str | None
    max_items: int


def adaptive_rules(model: MaturityModel | None = None) -> AdaptiveRules:
    """The rules of the loaded maturity model (``adaptive_test``), or the defaults."""
    if model is None:
        loaded = loaded_maturity_model()
        model = loaded.model if loaded else None
    return model.adaptive_rules if model is not None else AdaptiveRules()


def adaptive_state(attempt: Attempt, campaign: Campaign) -> AdaptiveState:
    """The attempt's next item, computed from its stored answers and seed."""
    test = layout(campaign.test_version_id)
    values = dict(db.session.execute(
        db.select(Answer.item_id, Answer.value).where(Answer.attempt_id == attempt.id)
    ).all())
    rules = adaptive_rules()
    # Bank order, not answering order: the estimate and the draw depend only on the set.
    answered = [item for item in test.items if item.id in values]
    correct = [
        float(score_item(item.type, item.key, chosen(item, values[item.id]))) for item in answered
    ]
    bank = version_bank(campaign.test_version_id)
    step = next_item(bank.bank, [item.index for item in answered], correct, attempt.seed, rules,
                     exposure_parameters(campaign.test_version_id, bank, rules))
    return AdaptiveState(len(answered), test.items[step.item] if step.item is not None else None,
                         step.stop_reason, rules.max_items)


_lock = threading.Lock()
log = logging.getLogger(__name__)


def exposure_key(version_id: int, calibration_id: int | None, rules: AdaptiveRules) -> str:
    """The ``exposure_control`` key of a bank (version and calibration) under the rules."""
    digest = hashlib.sha256(repr(rules).encode()).hexdigest()[:16]
    return f"{version_id}:{calibration_id or 0}:{digest}"


def exposure_parameters(
    version_id: int, bank: Bank, rules: AdaptiveRules
) -> NDArray[np.float64] | None:
    """The Sympson–Hetter parameters of the bank under the rules (None without
    ``max_exposure``), as :func:`prepare_exposure` stored them; each process keeps its copy.

    If none are stored (a calibration stored by other means, or rules changed since the last
    scheduler run), they are simulated here — seeded, so every process gets the same ones —
    and kept by this process only: the respondent's request writes nothing it did not ask
    for, and the scheduler's next run stores them."""
    if rules.max_exposure is None:
        return None
    key = exposure_key(version_id, bank.calibration_id, rules)
    local = current_app.extensions.setdefault("test_exposure", {})
    found = local.get(key)
    if found is None:
        with _lock:
            found = local.get(key)
            if found is None:
                row = db.session.get(ExposureControl, key)
                if row is not None:
                    found = np.asarray(row.eligibility, dtype=np.float64)
                else:
                    log.warning("exposure control of test version %s (%s) is not stored: "
                                "simulated on a respondent's request", version_id, key)
                    found = sympson_hetter(bank.bank, rules)
                local[key] = found
    return found


def exposure_needed_by(campaign: Campaign) -> int | None:
    """The test version whose exposure control the campaign needs now (open and adaptive)."""
    if campaign.status == "open" and campaign.test_mode == "adaptive":
        return campaign.test_version_id
    return None


def prepare_exposure(version_id: int) -> bool:
    """Simulate and store the exposure control of the version's current bank and rules unless
    it is stored already; commits. True when it was simulated now. Called when a calibration
    is stored, when an adaptive campaign opens and by the scheduler, so that no respondent
    waits for the simulation (about a second)."""
    rules = adaptive_rules()
    if rules.max_exposure is None:
        return False
    bank = version_bank(version_id)
    key = exposure_key(version_id, bank.calibration_id, rules)
    if db.session.get(ExposureControl, key) is not None:
        return False
    eligibility = sympson_hetter(bank.bank, rules)
    db.session.add(ExposureControl(key=key, test_version_id=version_id,
                                   calibration_id=bank.calibration_id,
                                   eligibility=eligibility.tolist()))
    try:
        db.session.commit()
    except IntegrityError:  # another process stored the same simulation first
        db.session.rollback()
        return False
    return True
