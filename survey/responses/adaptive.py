"""The adaptive test of a campaign: which item comes next, from what is stored.

The next item is :func:`analysis.adaptive.next_item` of the version's bank, the items the
attempt has answered (each scored right or wrong) and the attempt's seed — nothing kept in a
session — so an attempt resumes on any device exactly where it stopped. Every presented item
must be answered before the next one is picked, so "answered" and "presented" are the same set.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from flask import current_app
from numpy.typing import NDArray

from analysis.adaptive import AdaptiveRules, next_item
from analysis.exposure import sympson_hetter
from analysis.model import MaturityModel
from analysis.testscoring import score_item

from ..extensions import cache, db
from ..models import Answer, Attempt, Campaign
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


def exposure_parameters(
    version_id: int, bank: Bank, rules: AdaptiveRules
) -> NDArray[np.float64] | None:
    """The Sympson–Hetter parameters of the bank under the rules (None without
    ``max_exposure``), simulated once per calibration and rules: the simulation is seeded, so
    every process would get the same ones. The shared cache (Redis with ``REDIS_URL``) carries
    them to every worker and node, so a deployment pays the seconds of simulation once; each
    process keeps its copy beside."""
    if rules.max_exposure is None:
        return None
    local = current_app.extensions.setdefault("test_exposure", {})
    key = f"test-exposure:{version_id}:{bank.calibration_id}:{rules!r}"
    found = local.get(key)
    if found is None:
        with _lock:
            found = local.get(key)
            if found is None:
                found = cache.get(key)
                if found is None:
                    found = sympson_hetter(bank.bank, rules)
                    cache.set(key, found, timeout=0)  # a calibration never changes
                local[key] = found
    return found
