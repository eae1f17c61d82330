import dataclasses

import numpy as np
import pytest

from analysis.model import parse_maturity_model


def test_the_model_is_parsed_into_a_frozen_dataclass(model):
    assert model.min_scores == (1.0, 1.8, 2.6, 3.4, 4.2)
    assert dict(model.dimension_weights)["digital_culture"] == 0.3
    assert [s.scale_id for s in model.culture_subscores] == [None, "engagement", "motivation"]
    assert model.proficiency_rule.pass_share == 0.6
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.min_scores = ()


@pytest.mark.parametrize(
    ("score", "level"),
    [(1.0, 1), (1.79, 1), (1.8, 2), (2.6, 3), (3.39, 3), (3.4, 4), (4.2, 5), (5.0, 5), (3 - 4e-16, 3)],
)
def test_a_score_on_a_band_boundary_belongs_to_the_band_above(model, score, level):
    assert model.level_for(score) == level


def test_level_for_accepts_arrays_and_gives_zero_for_nan(model):
    np.testing.assert_array_equal(model.level_for(np.array([1.0, np.nan, 4.5])), [1, 0, 5])


def test_scores_off_the_scale_are_refused(model):
    with pytest.raises(ValueError, match="1–5"):
        model.level_for(5.5)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["levels"].pop(), "exactly five"),
        (lambda d: d["levels"][0].update(min_score=1.2), "must be 1.0"),
        (lambda d: d["levels"][3].update(min_score=2.0), "increase"),
        (lambda d: d["dimensions"][0].update(weight=0.5), "sum to"),
        (lambda d: d["culture_subscores"][1].update(source="survey"), "neither"),
        (lambda d: d["proficiency_rule"].update(pass_share=1.5), "pass_share"),
        (lambda d: d["proficiency_rule"].update(multiple_choice="partial"), "all_or_nothing"),
        (lambda d: d["culture_subscores"][0].update(weight="heavy"), "must be a number"),
    ],
)
def test_an_inconsistent_model_is_refused_with_the_field_named(model_dict, change, message):
    change(model_dict)
    with pytest.raises(ValueError, match=message):
        parse_maturity_model(model_dict)
