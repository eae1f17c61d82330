"""The maturity model (`questionnaires/maturity_model.yaml`) as a frozen, validated dataclass.

The web layer reads the YAML file and passes the resulting plain dict to
:func:`parse_maturity_model`; nothing here reads files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.adaptive import AdaptiveRules

N_LEVELS = 5
CULTURE_DIMENSION = "digital_culture"  # the dimension the culture score feeds
WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class CultureSubscore:
    """One component of the digital-culture dimension score."""

    id: str
    source: str  # "test" or "scale:<scale id>"
    weight: float

    @property
    def scale_id(self) -> str | None:
        """The survey scale this sub-score is read from, or None for the test."""
        return self.source.split(":", 1)[1] if self.source.startswith("scale:") else None


@dataclass(frozen=True)
class ProficiencyRule:
    """How test answers become levels and how many answers a scale score needs."""

    pass_share: float = 0.6
    multiple_choice: str = "all_or_nothing"
    missing_scale_items: float = 0.5


@dataclass(frozen=True)
class MaturityModel:
    """Level bands, weights and scoring rules of the digital maturity model.

    ``min_scores`` holds the lower bound of bands 1..5 on the 1–5 scale (the first is 1.0);
    ``dimension_weights`` and the sub-score weights each sum to 1.
    """

    min_scores: tuple[float, ...]
    dimension_weights: tuple[tuple[str, float], ...]
    culture_subscores: tuple[CultureSubscore, ...]
    proficiency_rule: ProficiencyRule
    # The adaptive test: θ where levels 2..5 begin (4,), and how items are chosen.
    cut_scores: tuple[float, ...] = (-0.595, 0.405, 1.405, 2.405)
    adaptive_rules: AdaptiveRules = AdaptiveRules()

    def level_for(self, score: ArrayLike) -> Any:
        """Band 1..5 of a score on the 1–5 scale (a score equal to a band's min_score is in it).

        Accepts a float or an array. A nan score gives level 0 (no score); scores below 1
        or above 5 are refused, since no score of the model can be outside the scale.
        """
        values = np.asarray(score, dtype=float)
        finite = values[np.isfinite(values)]
        # A small tolerance so that a mean such as 2.9999999999999996 still counts as 3.
        if finite.size and (finite.min() < 1 - 1e-9 or finite.max() > 5 + 1e-9):
            raise ValueError("scores must lie on the 1–5 scale")
        bounds = np.asarray(self.min_scores) - 1e-9
        levels = np.searchsorted(bounds, np.where(np.isnan(values), 0.0, values), side="right")
        levels = np.where(np.isnan(values), 0, levels).astype(np.int8)
        return int(levels) if levels.ndim == 0 else levels

    @property
    def culture_weights(self) -> NDArray[np.float64]:
        """Weights of the culture sub-scores, in the order of ``culture_subscores``."""
        return np.array([s.weight for s in self.culture_subscores])


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"maturity_model.yaml: {where}: must be a number")
    return float(value)


def _check_weights(weights: list[float], where: str) -> None:
    if any(w <= 0 for w in weights):
        raise ValueError(f"maturity_model.yaml: {where}: weights must be positive")
    if abs(sum(weights) - 1.0) > WEIGHT_TOLERANCE:
        raise ValueError(f"maturity_model.yaml: {where}: weights sum to {sum(weights):g}, not 1")


def parse_maturity_model(data: dict[str, Any]) -> MaturityModel:
    """Build a :class:`MaturityModel` from the plain dict of ``maturity_model.yaml``.

    Checks what scoring depends on: five levels 1..5 in order whose ``min_score`` starts at
    1.0 and increases within 1..5; dimension weights and culture sub-score weights positive and
    summing to 1; sub-score sources ``test`` or ``scale:<id>``; a ``pass_share`` and a
    ``missing_scale_items`` share in (0, 1]; ``multiple_choice: all_or_nothing``.
    Texts and recommendations are the web layer's business and are not read here.
    Raises ValueError naming the field.
    """
    levels = data.get("levels")
    if not isinstance(levels, list) or len(levels) != N_LEVELS:
        raise ValueError("maturity_model.yaml: levels: exactly five levels are required")
    min_scores: list[float] = []
    for position, level in enumerate(levels, start=1):
        if level.get("level") != position:
            raise ValueError(f"maturity_model.yaml: levels: level {position} is out of order")
        min_scores.append(_number(level.get("min_score"), f"level {position}: field min_score"))
    if min_scores[0] != 1.0:
        raise ValueError("maturity_model.yaml: level 1: field min_score: must be 1.0")
    if any(b <= a for a, b in zip(min_scores, min_scores[1:], strict=False)) or min_scores[-1] > 5:
        raise ValueError("maturity_model.yaml: levels: min_score must increase within 1..5")

    dimensions = data.get("dimensions") or []
    dimension_weights = tuple(
        (str(d["id"]), _number(d.get("weight"), f"dimension {d.get('id')}: field weight"))
        for d in dimensions
    )
    if len({d for d, _ in dimension_weights}) != len(dimension_weights) or not dimension_weights:
        raise ValueError("maturity_model.yaml: dimensions: ids must be present and unique")
    _check_weights([w for _, w in dimension_weights], "dimensions")

    subscores = []
    for item in data.get("culture_subscores") or []:
        source = str(item.get("source", ""))
        if source != "test" and not (source.startswith("scale:") and len(source) > 6):
            raise ValueError(
                f"maturity_model.yaml: culture sub-score {item.get('id')}: field source: "
                f"{source!r} is neither 'test' nor 'scale:<id>'"
            )
        weight = _number(item.get("weight"), f"culture sub-score {item.get('id')}: field weight")
        subscores.append(CultureSubscore(str(item["id"]), source, weight))
    if not subscores:
        raise ValueError("maturity_model.yaml: culture_subscores: at least one is required")
    _check_weights([s.weight for s in subscores], "culture_subscores")

    rule_data = data.get("proficiency_rule") or {}
    rule = ProficiencyRule(
        pass_share=_number(rule_data.get("pass_share", 0.6), "proficiency_rule: pass_share"),
        multiple_choice=str(rule_data.get("multiple_choice", "all_or_nothing")),
        missing_scale_items=_number(
            rule_data.get("missing_scale_items", 0.5), "proficiency_rule: missing_scale_items"
        ),
    )
    for name in ("pass_share", "missing_scale_items"):
        if not 0 < getattr(rule, name) <= 1:
            raise ValueError(f"maturity_model.yaml: proficiency_rule: {name}: must be in (0, 1]")
    if rule.multiple_choice != "all_or_nothing":
        raise ValueError(
            "maturity_model.yaml: proficiency_rule: multiple_choice: only all_or_nothing is defined"
        )
    cuts, rules = _adaptive(data.get("adaptive_test"))
    return MaturityModel(tuple(min_scores), dimension_weights, tuple(subscores), rule, cuts, rules)


def _adaptive(data: Any) -> tuple[tuple[float, ...], AdaptiveRules]:
    """Cut scores and rules of ``adaptive_test`` (the defaults when the block is absent)."""
    if not data:
        return MaturityModel.cut_scores, AdaptiveRules()
    where = "adaptive_test"
    cuts = tuple(_number(c, f"{where}: cut_scores") for c in data.get("cut_scores") or ())
    if len(cuts) != N_LEVELS - 1 or any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
        raise ValueError(f"maturity_model.yaml: {where}: cut_scores: four increasing numbers")
    exposure = data.get("exposure", "randomesque")
    if exposure not in ("randomesque", "progressive"):
        raise ValueError(f"maturity_model.yaml: {where}: exposure: randomesque or progressive")
    rules = AdaptiveRules(
        max_items=int(data.get("max_items", 25)),
        target_se=_number(data.get("target_se", 0.3), f"{where}: target_se"),
        min_per_competence=int(data.get("min_per_competence", 3)),
        randomesque=int(data.get("randomesque", 5)),
        exposure=exposure,
        max_exposure=(None if data.get("max_exposure") is None
                      else _number(data["max_exposure"], f"{where}: max_exposure")),
    )
    if rules.max_items < 1 or rules.target_se <= 0 or rules.randomesque < 1:
        raise ValueError(f"maturity_model.yaml: {where}: limits must be positive")
    if rules.max_exposure is not None and not (
        0 < rules.max_exposure <= 1 and exposure == "randomesque"
    ):
        raise ValueError(
            f"maturity_model.yaml: {where}: max_exposure: in (0, 1], with exposure randomesque"
        )
    return cuts, rules
