"""Packing a finished attempt: bytes per item in version order, scores computed by analysis/."""

from __future__ import annotations

import pytest

from survey.extensions import db
from survey.models import AttemptResult, Person, ReferenceDocument
from tests.respondent import factories as f
from tests.respondent.walk import complete_survey, complete_test, consent


def finish(client, world, token, survey_value="4", answers=None):
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES, survey_value)
    complete_test(client, token, f.right_answers(world.campaign.test_version)
                  if answers is None else answers)
    return db.session.scalars(db.select(AttemptResult)).one()


def test_survey_answers_are_packed_one_byte_per_item_and_scored_with_reverse_keying(client):
    world = f.world()
    result = finish(client, world, world.invite(), survey_value="5")
    assert result.survey_answers == bytes([5] * 2 * f.SURVEY_ITEMS_PER_SCALE)
    # One reverse-keyed item per scale: (1 + 5 + 5) / 3.
    assert result.scale_scores == {"engagement": pytest.approx(11 / 3, abs=1e-4),
                                   "motivation": pytest.approx(11 / 3, abs=1e-4)}


def test_test_choices_are_packed_by_item_type_in_version_order(client):
    world = f.world()
    version = world.campaign.test_version
    answers = {}
    for item in version.items:
        answers[f"q{item.id}"] = {"single": ["c"], "multiple": ["a", "e"],
                                  "true_false": ["false"]}[item.type]
    result = finish(client, world, world.invite(), answers=answers)
    expected = [{"single": 3, "multiple": 0b10001, "true_false": 1}[i.type] for i in version.items]
    assert result.test_choices == bytes(expected)
    assert result.test_correct == bytes(len(version.items))
    # Nothing right: every competence is measured at the initial level.
    assert result.competence_levels == {"information_data": 1, "safety": 1}


def test_all_right_gives_the_highest_level_and_the_culture_score_is_the_weighted_mean(client):
    world = f.world()
    result = finish(client, world, world.invite(), survey_value="4")
    assert result.test_correct == bytes([1] * len(world.campaign.test_version.items))
    assert result.competence_levels == {"information_data": 5, "safety": 5}
    scale = (2 + 4 + 4) / 3  # reverse-keyed 4 counts 2
    assert result.culture_score == pytest.approx(0.5 * 5 + 0.3 * scale + 0.2 * scale, abs=1e-4)
    assert result.culture_level == 4


def test_levels_stop_at_the_first_level_not_passed(client):
    world = f.world()
    answers = f.right_answers(world.campaign.test_version)
    for item in world.campaign.test_version.items:
        if item.level == 3 and item.competence.code == "safety":
            answers[f"q{item.id}"] = ["false"] if item.type == "true_false" else ["d"]
    result = finish(client, world, world.invite(), answers=answers)
    assert result.competence_levels == {"information_data": 5, "safety": 2}


def test_unanswered_items_count_as_missing_and_wrong(client):
    world = f.world()
    result = finish(client, world, world.invite(), answers={})
    assert result.test_choices == bytes(len(world.campaign.test_version.items))
    assert result.competence_levels == {"information_data": 1, "safety": 1}


def test_anonymous_results_carry_no_person(client):
    world = f.world(anonymous=True)
    person = Person(organisation=world.organisation, unit=world.unit,
                    position_category=world.role, full_name="Айгүл Сейітқызы")
    db.session.add(person)
    db.session.commit()
    result = finish(client, world, world.invite(person_id=person.id))
    assert result.person_id is None


def test_identified_results_carry_the_person_and_the_groups(client):
    world = f.world(anonymous=False)
    person = Person(organisation=world.organisation, unit=world.unit,
                    position_category=world.role, full_name="Айгүл Сейітқызы")
    db.session.add(person)
    db.session.commit()
    result = finish(client, world, world.invite(person_id=person.id))
    assert result.person_id == person.id
    assert (result.organisation_id, result.unit_id, result.position_category_id) == (
        world.organisation.id, world.unit.id, world.role.id)
    assert result.survey_version_id == world.campaign.survey_version_id
    assert result.language == "kk"


def test_without_a_loaded_maturity_model_a_result_has_levels_but_no_culture_score(client):
    world = f.world()
    db.session.execute(db.delete(ReferenceDocument))
    db.session.commit()
    result = finish(client, world, world.invite())
    assert result.competence_levels == {"information_data": 5, "safety": 5}
    assert result.culture_score is None
