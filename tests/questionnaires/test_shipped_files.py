"""The shipped definition files pass validation and hold what the product promises."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from survey.questionnaires.schema import (
    Definitions,
    load_definitions,
    validate_folder,
)

from .helpers import SHIPPED, TEST_FILE, shipped

COMPETENCES = [
    "information_data",
    "communication",
    "content_creation",
    "safety",
    "problem_solving",
    "egov_eds",
    "data_ai",
]
SCALES = ["self_competence", "engagement", "motivation", "openness", "support"]
TEST_SHIPPED = (SHIPPED / TEST_FILE).exists()
OPTIONAL = () if TEST_SHIPPED else (TEST_FILE,)


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    return load_definitions(SHIPPED, optional=OPTIONAL)


def test_the_shipped_folder_passes_validation():
    assert [str(problem) for problem in validate_folder(SHIPPED, optional=OPTIONAL)] == []


@pytest.mark.skipif(not TEST_SHIPPED, reason="the test file is not written yet")
def test_the_shipped_test_file_is_validated_with_the_rest(definitions):
    assert definitions.test is not None
    assert {item.competence for item in definitions.test.items} <= set(COMPETENCES)


def texts(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every mapping in parsed YAML that holds a text in at least one language."""
    if isinstance(node, dict):
        if {"kk", "ru", "en"} & set(node):
            yield path, node
            return
        for key, value in node.items():
            yield from texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("id", index) if isinstance(value, dict) else index
            yield from texts(value, f"{path}[{name}]")


@pytest.mark.parametrize(
    "file",
    [
        "competences.yaml",
        "digital_culture.yaml",
        "role_profiles.yaml",
        "courses.yaml",
        "maturity_model.yaml",
        *([TEST_FILE] if TEST_SHIPPED else []),
    ],
)
def test_every_text_is_in_kazakh_russian_and_english_and_translated(file):
    found = list(texts(shipped(file)))
    assert found
    for path, text in found:
        assert set(text) == {"kk", "ru", "en"}, f"{file}{path}"
        assert all(isinstance(v, str) and v.strip() for v in text.values()), f"{file}{path}"
        assert text["kk"] != text["en"], f"{file}{path}: kk is the English text"
        assert text["ru"] != text["en"], f"{file}{path}: ru is the English text"


def test_the_catalogue_has_the_seven_agreed_competences_with_glossary_names(definitions):
    catalogue = definitions.competences
    assert catalogue.ids() == COMPETENCES
    names = {c.id: (c.name.kk, c.name.ru, c.name.en) for c in catalogue.competences}
    assert names["egov_eds"] == (
        "Электрондық үкімет қызметтері және ЭЦҚ",
        "Услуги электронного правительства и ЭЦП",
        "E-government services and EDS",
    )
    assert names["data_ai"] == (
        "Мемлекеттік басқарудағы деректер мен жасанды интеллект",
        "Данные и искусственный интеллект в государственном управлении",
        "Data and AI in public administration",
    )


def test_the_survey_has_five_scales_of_eight_items_with_one_or_two_reverse_keyed(definitions):
    survey = definitions.survey
    assert survey.id == "digital_culture"
    assert [scale.id for scale in survey.scales] == SCALES
    for scale in SCALES:
        items = survey.items_of(scale)
        assert len(items) == 8, scale
        assert 1 <= sum(item.reverse for item in items) <= 2, scale


def test_the_survey_answers_on_the_glossary_agreement_scale(definitions):
    labels = [
        (o.value, o.label.kk, o.label.ru, o.label.en) for o in definitions.survey.response_scale
    ]
    assert labels == [
        (1, "Мүлдем келіспеймін", "Полностью не согласен(-на)", "Strongly disagree"),
        (2, "Келіспеймін", "Скорее не согласен(-на)", "Disagree"),
        (3, "Бейтараппын", "Ни да, ни нет", "Neither agree nor disagree"),
        (4, "Келісемін", "Скорее согласен(-на)", "Agree"),
        (5, "Толығымен келісемін", "Полностью согласен(-на)", "Strongly agree"),
    ]


def test_survey_items_speak_of_the_systems_civil_servants_use(definitions):
    english = " ".join(item.text.en for item in definitions.survey.items)
    for system in (
        "egov.kz",
        "eGov Mobile",
        "NCALayer",
        "EDS",
        "e-document flow",
        "e-Otinish",
        "E-qyzmet",
        "open data portal",
        "project office",
        "AI",
    ):
        assert system in english, system


def test_role_profiles_require_a_level_for_every_competence(definitions):
    profiles = {p.id: p.required for p in definitions.role_profiles.profiles}
    assert {"leadership", "middle_manager", "specialist", "it_specialist", "project_office"} <= set(
        profiles
    )
    for ident, required in profiles.items():
        assert list(required) == COMPETENCES, ident
        assert required["safety"] >= 2, ident
        assert required["egov_eds"] >= 2, ident
    it = profiles["it_specialist"]
    assert it["safety"] == max(p["safety"] for p in profiles.values())
    assert it["problem_solving"] == max(p["problem_solving"] for p in profiles.values())


def test_courses_cover_every_competence_from_the_start_to_the_top(definitions):
    courses = definitions.courses.courses
    assert len(courses) >= 15
    starts = Counter()
    for course in courses:
        assert 4 <= course.hours <= 40, course.id
        if course.format == "online":
            assert course.capacity >= 100, course.id
        else:
            assert 15 <= course.capacity <= 30, course.id
        for competence in course.competences:
            starts[competence, course.level_from] += 1
    for competence in COMPETENCES:
        for level_from in (1, 2, 3):
            assert starts[competence, level_from], (competence, level_from)


def test_the_maturity_model_uses_the_glossary_level_names(definitions):
    names = [(b.name.kk, b.name.ru, b.name.en) for b in definitions.maturity_model.levels]
    assert names == [
        ("бастапқы деңгей", "начальный уровень", "initial level"),
        ("негізгі деңгей", "базовый уровень", "basic level"),
        ("орташа деңгей", "средний уровень", "intermediate level"),
        ("жоғары деңгей", "высокий уровень", "high level"),
        ("жетілудің ең жоғары деңгейі", "высший уровень зрелости", "highest level of maturity"),
    ]


def test_a_score_falls_in_the_band_of_the_nearest_level(definitions):
    model = definitions.maturity_model
    assert [b.min_score for b in model.levels] == [1.0, 1.5, 2.5, 3.5, 4.5]
    assert [model.level_for(s) for s in (1.0, 1.49, 1.5, 2.49, 3.0, 4.49, 4.5, 5.0)] == [
        1,
        1,
        2,
        2,
        3,
        4,
        5,
        5,
    ]


def test_the_culture_score_weighs_measured_competence_most(definitions):
    subscores = {s.id: s for s in definitions.maturity_model.culture_subscores}
    assert subscores["tested_competence"].source == "test"
    assert {s.scale for s in subscores.values()} == {None, *SCALES}
    weights = {ident: s.weight for ident, s in subscores.items()}
    assert max(weights, key=weights.get) == "tested_competence"
    assert weights["engagement"] + weights["motivation"] >= weights["self_competence"] * 2


def test_the_proficiency_rule_takes_the_highest_level_passed_without_a_gap(definitions):
    rule = definitions.maturity_model.proficiency_rule
    assert (rule.pass_share, rule.multiple_choice, rule.missing_scale_items) == (
        0.6,
        "all_or_nothing",
        0.5,
    )
    assert rule.level({}) == 1
    assert rule.level({1: 0.5, 2: 1.0}) == 1
    assert rule.level({1: 1.0, 2: 0.6, 3: 0.4, 4: 1.0}) == 2
    assert rule.level({2: 0.75, 3: 0.6, 5: 0.6}) == 5


def test_new_campaigns_default_to_the_shipped_survey_and_test_by_their_ids(definitions):
    from survey.questionnaires.loader import SURVEY_CODE, TEST_CODE

    assert definitions.survey.id == SURVEY_CODE
    if TEST_SHIPPED:
        assert definitions.test.id == TEST_CODE
