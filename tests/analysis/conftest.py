"""Fixtures shared by the analysis tests: a maturity model dict shaped like the YAML file."""

import copy

import pytest

from analysis.model import parse_maturity_model

TEXT = {"kk": "мәтін", "ru": "текст", "en": "text"}

MODEL_DICT = {
    "levels": [
        {"level": i, "name": TEXT, "description": TEXT, "min_score": s}
        for i, s in zip(range(1, 6), [1.0, 1.8, 2.6, 3.4, 4.2], strict=True)
    ],
    "dimensions": [
        {"id": "strategic_management", "name": TEXT, "weight": 0.25},
        {"id": "organisational_maturity", "name": TEXT, "weight": 0.25},
        {"id": "technological_maturity", "name": TEXT, "weight": 0.2},
        {"id": "digital_culture", "name": TEXT, "weight": 0.3},
    ],
    "culture_subscores": [
        {"id": "tested_competence", "name": TEXT, "source": "test", "weight": 0.4},
        {"id": "engagement", "name": TEXT, "source": "scale:engagement", "weight": 0.3},
        {"id": "motivation", "name": TEXT, "source": "scale:motivation", "weight": 0.3},
    ],
    "proficiency_rule": {"pass_share": 0.6, "multiple_choice": "all_or_nothing", "missing_scale_items": 0.5},
    "recommendations": {"by_level": {1: TEXT}},
}


@pytest.fixture
def model_dict():
    """A fresh, valid maturity-model dict (tests may change it)."""
    return copy.deepcopy(MODEL_DICT)


@pytest.fixture
def model(model_dict):
    return parse_maturity_model(model_dict)
