"""The shipped item bank (questionnaires/digital_skills_test.yaml): size, balance and cues.

A test-wise person should gain nothing from the form of the options: the key is not the
longest option more often than chance, the keys' positions and the number of keys of a
multiple-choice item are spread, and the types are spread over the levels."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
import yaml

from survey.questionnaires.schema import parse_file
from tests.questionnaires.helpers import SHIPPED

LANGUAGES = ("kk", "ru", "en")


@pytest.fixture(scope="module")
def bank():
    raw = yaml.safe_load((SHIPPED / "digital_skills_test.yaml").read_text(encoding="utf-8"))
    return parse_file("digital_skills_test.yaml", raw)


def test_every_competence_has_at_least_six_items_at_every_level(bank):
    cells = Counter((item.competence, item.level) for item in bank.items)
    competences = {item.competence for item in bank.items}
    assert len(competences) == 7
    assert len(bank.items) >= 210
    assert all(cells[(c, level)] >= 6 for c in competences for level in range(1, 6))


def test_the_linear_form_has_two_items_per_competence_and_level(bank):
    by_id = {item.id: item for item in bank.items}
    cells = Counter((by_id[i].competence, by_id[i].level) for i in bank.linear_form)
    assert len(bank.linear_form) == 70
    assert set(cells.values()) == {2}
    assert len(cells) == 35


def key_is(item, lang, compare):
    key = next(o for o in item.options if o.id == item.key)
    others = [len(getattr(o.text, lang)) for o in item.options if o.id != item.key]
    return compare(len(getattr(key.text, lang)), others)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_key_is_the_longest_option_no_more_often_than_by_chance(bank, lang):
    singles = [item for item in bank.items if item.type == "single"]
    longest = sum(key_is(i, lang, lambda k, o: k > max(o)) for i in singles)
    shortest = sum(key_is(i, lang, lambda k, o: k < min(o)) for i in singles)
    # Chance with four options is 25 %; a bank whose keys stand out by length is above it.
    assert longest / len(singles) <= 0.25
    assert shortest / len(singles) <= 0.25


def test_single_keys_sit_in_every_position_equally_in_every_competence(bank):
    singles = [item for item in bank.items if item.type == "single"]
    for competence in {item.competence for item in singles}:
        positions = Counter(i.key for i in singles if i.competence == competence)
        assert set(positions) == {"a", "b", "c", "d"}
        assert max(positions.values()) - min(positions.values()) <= 1


def test_multiple_choice_items_mix_two_and_three_keys_and_every_option_is_a_key(bank):
    multiples = [item for item in bank.items if item.type == "multiple"]
    counts = Counter(len(item.key) for item in multiples)
    assert set(counts) == {2, 3}
    assert max(counts.values()) / len(multiples) <= 0.6
    options = Counter(key for item in multiples for key in item.key)
    expected = sum(options.values()) / 5
    assert all(0.7 * expected <= options[o] <= 1.3 * expected for o in "abcde")


def test_true_false_keys_are_balanced(bank):
    keys = Counter(item.key for item in bank.items if item.type == "true_false")
    assert abs(keys[True] - keys[False]) <= 2


def test_true_false_and_multiple_response_are_spread_over_the_levels(bank):
    for kind in ("multiple", "true_false"):
        levels = Counter(item.level for item in bank.items if item.type == kind)
        assert set(levels) == {1, 2, 3, 4, 5}, kind


def test_no_question_tells_the_person_to_select_all_that_apply(bank):
    # The page prints that instruction once under every multiple-choice question.
    phrases = ("select all", "отметьте все", "барлық дұрыс жауапты")
    for item in bank.items:
        for lang in LANGUAGES:
            text = getattr(item.text, lang).lower()
            assert not any(p in text for p in phrases), item.id


def test_no_two_questions_are_near_duplicates(bank):
    """No two questions share most of their words (Jaccard similarity of the English words
    above 0.6; the closest pair of the bank is at 0.5)."""
    words = {item.id: set(re.findall(r"[a-z']+", item.text.en.lower())) for item in bank.items}
    close = [
        (a, b) for a, b in itertools.combinations(words, 2)
        if len(words[a] & words[b]) / len(words[a] | words[b]) > 0.6
    ]
    assert close == []
