"""Every validator message reads in Kazakh, Russian and English, with its parameters filled in.

The command line keeps the English wording (``str(problem)``); a page renders the same problem in
its reader's language, file names, ids, field paths and values unchanged.
"""

from __future__ import annotations

import copy
from typing import Annotated

import pytest
from flask_babel import force_locale
from pydantic import BaseModel, Field, ValidationError

from survey import create_app
from survey.problems import render
from survey.questionnaires.messages import KINDS, MESSAGES, Message, describe
from survey.questionnaires.problems import Problem, problems_from_validation_error
from survey.questionnaires.schema import DefinitionError, parse_file, read_yaml
from tests.conftest import make_config

from .helpers import TEST_FILE, sample_test, shipped
from .test_messages import CASES

LOCALES = ("kk", "ru", "en")

# Parameters for every message code; each value must show up in the rendered text.
SAMPLES: dict[str, dict[str, object]] = {
    "not_utf8": {},
    "unreadable": {"reason": "Permission denied"},
    "yaml_invalid": {"reason": Message.of("yaml_syntax")},
    "yaml_invalid_at": {"line": 7, "column": 12, "reason": Message.of("yaml_mapping_values")},
    "yaml_syntax": {},
    "yaml_duplicate_key": {"key": "items"},
    "yaml_mapping_values": {},
    "yaml_bad_character": {},
    "not_a_mapping": {},
    "file_missing": {},
    "unknown_file": {"files": "competences.yaml, courses.yaml"},
    "not_a_questionnaire": {},
    "other_definition_file": {"file": "competences.yaml"},
    "missing": {},
    "extra_forbidden": {},
    "must_be_text": {},
    "must_be_whole_number": {},
    "must_be_number": {},
    "must_be_true_or_false": {},
    "must_be_list": {},
    "must_be_mapping": {},
    "key_problem": {"problem": Message.of("must_be_whole_number")},
    "id_pattern": {"value": '"Sc 01"'},
    "option_id_pattern": {"value": '"AB"'},
    "source_pattern": {"value": '"scales:x"'},
    "pattern": {"pattern": "^[0-9]+$", "value": '"x"'},
    "one_of": {
        "expected": Message.of("alternatives", first="'online', 'classroom'", last="'blended'"),
        "value": '"remote"',
    },
    "alternatives": {"first": "'single', 'multiple'", "last": "'true_false'"},
    "too_short": {"count": 1},
    "too_long": {"count": 9},
    "greater_than": {"limit": 0},
    "at_least": {"limit": 1},
    "at_most": {"limit": 5},
    "less_than": {"limit": 6},
    "invalid_value": {},
    "reverse_on_test_item": {},
    "level_outside": {"level": 7},
    "text_not_mapping": {},
    "unknown_language": {"languages": '"kz"'},
    "missing_language": {"languages": "kk"},
    "missing_languages": {"languages": "kk, ru"},
    "text_not_text": {"lang": "ru"},
    "empty_text": {"lang": "ru"},
    "same_as_english": {"lang": "kk"},
    "mixed_letters": {"lang": "kk", "word": "қoл"},
    "no_kazakh_letters": {},
    "not_one_line": {"lang": "ru"},
    "duplicate_id": {"id": "sc-03", "count": 2},
    "weights_sum": {"total": "0.9"},
    "response_values": {"values": "1, 2, 4"},
    "unknown_scale": {"scale": "trust", "scales": "engagement, openness"},
    "scale_too_small": {"count": 4, "minimum": 6},
    "scale_not_reversed": {},
    "duplicate_option": {"option": "b"},
    "true_false_options": {},
    "true_false_key": {},
    "option_count": {"type": "single", "low": 3, "high": 5, "count": 2},
    "single_key": {},
    "multiple_key": {},
    "key_empty": {},
    "key_twice": {"option": "a"},
    "key_all": {},
    "key_unknown_option": {"option": "e"},
    "competence_twice": {"competence": "safety"},
    "unknown_item": {"item": "inf-99"},
    "item_twice": {"item": "inf-01"},
    "cut_scores_order": {},
    "course_levels": {"level_to": 2, "level_from": 3},
    "levels_order": {"levels": "1, 3, 2"},
    "levels_none": {},
    "first_min_score": {},
    "min_score_order": {},
    "unknown_dimension_of": {"dimension": "ethics", "dimensions": "strategic_management"},
    "dimension_missing": {"dimension": "digital_culture"},
    "source_repeated": {"source": "test", "count": 2},
    "unknown_dimension": {"dimension": "ethics"},
    "dimension_texts_missing": {"dimension": "digital_culture"},
    "level_texts_missing": {"levels": "4, 5"},
    "variant_never_used": {},
    "criterion_not_applicable": {"criterion": "sm-sector", "context": "governance_level local"},
    "unknown_competence": {"competence": "ethics", "file": "competences.yaml"},
    "required_level_missing": {"competence": "safety"},
    "unknown_survey_scale": {"scale": "trust", "file": "digital_culture.yaml", "scales": "a, b"},
    "competence_not_loaded": {"competence": "ethics"},
}


@pytest.fixture(scope="module")
def app():
    """An app for its translations only (no database is touched)."""
    application = create_app(make_config("sqlite://"))
    with application.app_context():
        yield application


def in_locale(locale: str, function, *args) -> str:
    with force_locale(locale):
        return function(*args)


def shown(value: object) -> str:
    return str(value) if not isinstance(value, Message) else ""


def test_every_message_code_has_sample_parameters():
    assert set(SAMPLES) == set(MESSAGES)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_message_renders_in_every_language_with_its_parameters(app, code):
    message = Message.of(code, **SAMPLES[code])
    texts = {locale: in_locale(locale, render, message) for locale in LOCALES}
    assert texts["en"] == str(message)
    for locale, text in texts.items():
        assert "%(" not in text, (locale, text)
        for value in SAMPLES[code].values():
            assert shown(value) in text, (locale, text)
    assert texts["kk"] != texts["en"]
    assert texts["ru"] != texts["en"]
    assert texts["kk"] != texts["ru"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_of_entry_is_named_in_every_language(app, kind):
    problem = Problem.of("a.yaml", kind, "x-1", "name", "missing")
    english = in_locale("en", describe, problem)
    assert english == str(problem)
    for locale in ("kk", "ru"):
        text = in_locale(locale, describe, problem)
        assert text.startswith("a.yaml: ")
        assert "x-1" in text
        assert "name" in text
        assert kind not in text.split(": ")[1]
        assert text != english


@pytest.mark.parametrize(("file", "mutate", "message"), CASES)
def test_every_refusal_reads_in_kazakh_and_russian(app, file, mutate, message):
    data = sample_test() if file == TEST_FILE else copy.deepcopy(shipped(file))
    mutate(data)
    with pytest.raises(DefinitionError) as caught:
        parse_file(file, data)
    for problem in caught.value.problems:
        assert problem.reasons, problem
        assert in_locale("en", describe, problem) == str(problem)
        for locale in ("kk", "ru"):
            text = in_locale(locale, describe, problem)
            assert text.startswith(f"{file}: ")
            assert text != str(problem)
            if problem.id is not None:
                assert problem.id in text
            if problem.field is not None:
                assert problem.field in text


def test_a_problem_in_russian_names_file_item_and_field(app):
    data = sample_test()
    data["items"][0]["key"] = "e"
    with pytest.raises(DefinitionError) as caught:
        parse_file(TEST_FILE, data)
    [problem] = caught.value.problems
    assert str(problem) == (
        "digital_skills_test.yaml: item inf-01: field key: option \"e\" is not one of the item's "
        "options"
    )
    assert in_locale("ru", describe, problem) == (
        "digital_skills_test.yaml: вопрос inf-01: поле key: "
        "варианта «e» нет среди вариантов этого вопроса"
    )
    assert in_locale("kk", describe, problem) == (
        "digital_skills_test.yaml: inf-01 сұрағы: key өрісі: "
        "«e» нұсқасы бұл сұрақтың нұсқаларының арасында жоқ"
    )


class _Unforeseen(BaseModel):
    name: Annotated[str, Field(max_length=2)]


def test_an_unforeseen_pydantic_error_reads_as_a_general_sentence(app):
    raw = {"name": "long"}
    with pytest.raises(ValidationError) as caught:
        _Unforeseen.model_validate(raw)
    [problem] = problems_from_validation_error("a.yaml", raw, caught.value)
    assert str(problem) == "a.yaml: field name: String should have at most 2 characters"
    assert in_locale("en", describe, problem) == str(problem)
    assert in_locale("ru", describe, problem) == (
        "a.yaml: поле name: недопустимое значение; формат описан в questionnaires/README.md"
    )
    assert "String" not in in_locale("kk", describe, problem)


@pytest.mark.parametrize(("text", "russian"), [
    ("a: b: c\n", "не допускается пара «ключ: значение»"),
    ("a:\n\t- b\n", "табуляция в отступе"),
    ("a: 1\na: 2\n", "ключ «a» повторяется"),
    ("a: [1, 2\n", "текст не соответствует синтаксису YAML"),  # any other: a general sentence
])
def test_yaml_errors_read_in_the_readers_language(app, tmp_path, text, russian):
    path = tmp_path / "courses.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        read_yaml(path)
    [problem] = caught.value.problems
    english = str(problem)
    assert english.startswith("courses.yaml: not valid YAML: line ")
    assert in_locale("en", describe, problem) == english
    reason = english.rsplit(": ", 1)[1]  # PyYAML's own words
    ru = in_locale("ru", describe, problem)
    assert ru.startswith("courses.yaml: некорректный YAML: строка ")
    assert russian in ru
    assert reason not in ru
    assert reason not in in_locale("kk", describe, problem)


def test_a_message_code_must_be_in_the_table():
    with pytest.raises(KeyError):
        Message.of("no_such_message")
