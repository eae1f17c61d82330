"""Each kind of mistake in a file is refused with the exact message its author will read."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import TEST_FILE, copy_folder, folder_refusal, item, refusal

SURVEY = "digital_culture.yaml"
COMPETENCES = "competences.yaml"
PROFILES = "role_profiles.yaml"
COURSES = "courses.yaml"
MODEL = "maturity_model.yaml"
SCALES = "self_competence, engagement, motivation, openness, support"


def course(data: dict[str, Any], ident: str = "cyber-hygiene") -> dict[str, Any]:
    return next(entry for entry in data["courses"] if entry["id"] == ident)


def profile(data: dict[str, Any], ident: str = "leadership") -> dict[str, Any]:
    return next(entry for entry in data["profiles"] if entry["id"] == ident)


def entry(data: dict[str, Any], field: str, ident: str) -> dict[str, Any]:
    return next(each for each in data[field] if each["id"] == ident)


def copy_english(text: dict[str, str], lang: str) -> None:
    """Put the English text in place of ``lang`` (an untranslated copy)."""
    text[lang] = text["en"]


CASES = [
    # --- languages ---
    pytest.param(
        SURVEY,
        lambda d: item(d, "sc-03")["text"].pop("kk"),
        "digital_culture.yaml: item sc-03: field text: missing language kk",
        id="missing-language",
    ),
    pytest.param(
        SURVEY,
        lambda d: d.update(title={"en": "Digital culture survey"}),
        "digital_culture.yaml: field title: missing languages kk, ru",
        id="missing-languages",
    ),
    pytest.param(
        COMPETENCES,
        lambda d: entry(d, "competences", "safety")["name"].update(kz="Қауіпсіздік"),
        'competences.yaml: competence safety: field name: unknown language "kz"; '
        "the languages are kk, ru, en",
        id="unknown-language",
    ),
    pytest.param(
        COURSES,
        lambda d: course(d)["title"].update(ru="   "),
        "courses.yaml: course cyber-hygiene: field title: empty text in ru",
        id="empty-text",
    ),
    pytest.param(
        SURVEY,
        lambda d: copy_english(item(d, "sc-03")["text"], "kk"),
        "digital_culture.yaml: item sc-03: field text: "
        "the kk text is identical to the en text; translate it",
        id="kk-identical-to-en",
    ),
    pytest.param(
        PROFILES,
        lambda d: copy_english(profile(d)["name"], "ru"),
        "role_profiles.yaml: profile leadership: field name: "
        "the ru text is identical to the en text; translate it",
        id="ru-identical-to-en",
    ),
    pytest.param(
        SURVEY,
        lambda d: item(d, "sc-01")["text"].update(
            kk=item(d, "sc-01")["text"]["kk"].replace("қол ", "қ\u006fл ")
        ),
        "digital_culture.yaml: item sc-01: field text: "
        'the kk text mixes Latin and Cyrillic letters in "қ\u006fл"',  # a Latin o
        id="latin-look-alike-in-kk",
    ),
    pytest.param(
        SURVEY,
        lambda d: item(d, "sc-01")["text"].update(kk=item(d, "sc-01")["text"]["ru"]),
        "digital_culture.yaml: item sc-01: field text: "
        "the kk text has none of the Kazakh letters ә ғ қ ң ө ұ ү һ і; is it Russian?",
        id="russian-in-place-of-kk",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01")["options"][1]["text"].pop("kk"),
        "digital_skills_test.yaml: item inf-01: field options[b].text: missing language kk",
        id="missing-language-in-an-option",
    ),
    # --- ids ---
    pytest.param(
        SURVEY,
        lambda d: item(d, "sc-04").update(id="sc-03"),
        'digital_culture.yaml: item sc-03: field id: duplicate id "sc-03" (used 2 times)',
        id="duplicate-survey-item",
    ),
    pytest.param(
        COMPETENCES,
        lambda d: d["competences"][1].update(id="information_data"),
        "competences.yaml: competence information_data: field id: "
        'duplicate id "information_data" (used 2 times)',
        id="duplicate-competence",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "saf-01").update(id="inf-01"),
        'digital_skills_test.yaml: item inf-01: field id: duplicate id "inf-01" (used 2 times)',
        id="duplicate-test-item",
    ),
    pytest.param(
        SURVEY,
        lambda d: item(d, "sc-03").update(id="SC-03"),
        "digital_culture.yaml: item SC-03: field id: must be lower-case ASCII letters, "
        'digits, _ or -, starting with a letter, not "SC-03"',
        id="malformed-id",
    ),
    # --- survey structure ---
    pytest.param(
        SURVEY,
        lambda d: item(d, "sc-03").update(scale="self"),
        f'digital_culture.yaml: item sc-03: field scale: unknown scale "self"; '
        f"the scales are {SCALES}",
        id="unknown-scale",
    ),
    pytest.param(
        SURVEY,
        lambda d: d.update(
            items=[i for i in d["items"] if i["id"] not in {"mo-01", "mo-02", "mo-03"}]
        ),
        "digital_culture.yaml: scale motivation: field items: "
        "the scale has 5 items; it needs at least 6",
        id="scale-with-too-few-items",
    ),
    pytest.param(
        SURVEY,
        lambda d: [item(d, ident).update(reverse=False) for ident in ("op-06", "op-07")],
        "digital_culture.yaml: scale openness: field items: "
        "the scale has no reverse-keyed item; it needs at least one",
        id="scale-without-reverse-item",
    ),
    pytest.param(
        SURVEY,
        lambda d: item(d, "sc-03").update(reverse="yes"),
        "digital_culture.yaml: item sc-03: field reverse: must be true or false",
        id="reverse-not-a-boolean",
    ),
    pytest.param(
        SURVEY,
        lambda d: d["response_scale"].pop(),
        "digital_culture.yaml: field response_scale: "
        "the values must be 1, 2, 3, 4, 5 in this order, not 1, 2, 3, 4",
        id="response-scale-incomplete",
    ),
    pytest.param(
        SURVEY,
        lambda d: d.update(kind="test"),
        "digital_culture.yaml: field kind: must be one of 'survey', not \"test\"",
        id="wrong-kind",
    ),
    # --- test items: keys, options, reverse ---
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01").update(key="e"),
        "digital_skills_test.yaml: item inf-01: field key: "
        'option "e" is not one of the item\'s options',
        id="single-key-not-an-option",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "saf-01").update(key=["a", "x"]),
        "digital_skills_test.yaml: item saf-01: field key: "
        'option "x" is not one of the item\'s options',
        id="multiple-key-not-an-option",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "saf-01").update(key=["a", "b", "c", "d"]),
        "digital_skills_test.yaml: item saf-01: field key: "
        "the key lists every option; leave at least one wrong option",
        id="multiple-key-lists-every-option",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "saf-01").update(key="a"),
        "digital_skills_test.yaml: item saf-01: field key: "
        "a multiple item's key must be a list of option ids",
        id="multiple-key-not-a-list",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01").update(key=["a"]),
        "digital_skills_test.yaml: item inf-01: field key: "
        "a single item's key must be one option id",
        id="single-key-is-a-list",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "eds-01").update(key="false"),
        "digital_skills_test.yaml: item eds-01: field key: "
        "a true_false item's key must be true or false",
        id="true-false-key-not-a-boolean",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "eds-01").update(options=item(d, "inf-01")["options"]),
        "digital_skills_test.yaml: item eds-01: field options: a true_false item has no options",
        id="true-false-with-options",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01")["options"].pop(),
        "digital_skills_test.yaml: item inf-01: field options: "
        "a single item needs 3 to 5 options; it has 2",
        id="too-few-options",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01")["options"][1].update(id="a"),
        'digital_skills_test.yaml: item inf-01: field options: duplicate option id "a"',
        id="duplicate-option-id",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01").update(reverse=True),
        "digital_skills_test.yaml: item inf-01: field reverse: "
        "reverse keying is only for Likert survey items, not test items",
        id="reverse-on-a-test-item",
    ),
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01").update(reverse=False),
        "digital_skills_test.yaml: item inf-01: field reverse: "
        "reverse keying is only for Likert survey items, not test items",
        id="reverse-false-on-a-test-item",
    ),
    # --- levels ---
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01").update(level=6),
        "digital_skills_test.yaml: item inf-01: field level: level 6 is outside 1–5",
        id="test-item-level-outside-1-5",
    ),
    pytest.param(
        PROFILES,
        lambda d: profile(d)["required"].update(safety=7),
        "role_profiles.yaml: profile leadership: field required.safety: level 7 is outside 1–5",
        id="required-level-outside-1-5",
    ),
    pytest.param(
        PROFILES,
        lambda d: profile(d)["required"].update(safety="high"),
        "role_profiles.yaml: profile leadership: field required.safety: must be a whole number",
        id="required-level-not-a-number",
    ),
    pytest.param(
        COURSES,
        lambda d: course(d).update(level_to=6),
        "courses.yaml: course cyber-hygiene: field level_to: level 6 is outside 1–5",
        id="course-level-outside-1-5",
    ),
    pytest.param(
        COURSES,
        lambda d: course(d).update(level_from=3),
        "courses.yaml: course cyber-hygiene: field level_to: "
        "level_to (3) must be above level_from (3)",
        id="course-raises-no-level",
    ),
    # --- other fields ---
    pytest.param(
        COURSES,
        lambda d: course(d).update(format="webinar"),
        "courses.yaml: course cyber-hygiene: field format: "
        "must be one of 'online', 'classroom' or 'blended', not \"webinar\"",
        id="unknown-course-format",
    ),
    pytest.param(
        COURSES,
        lambda d: course(d).pop("capacity"),
        "courses.yaml: course cyber-hygiene: field capacity: required field is missing",
        id="missing-field",
    ),
    pytest.param(
        COURSES,
        lambda d: course(d).update(hours=0),
        "courses.yaml: course cyber-hygiene: field hours: must be greater than 0",
        id="zero-hours",
    ),
    pytest.param(
        COURSES,
        lambda d: course(d).update(colour="red"),
        "courses.yaml: course cyber-hygiene: field colour: "
        "unknown field; see questionnaires/README.md for the format",
        id="unknown-field",
    ),
    pytest.param(
        PROFILES,
        lambda d: profile(d)["rationale"].update(en=profile(d)["rationale"]["en"] + "\nMore."),
        "role_profiles.yaml: profile leadership: field rationale: the en text must be one line",
        id="rationale-on-two-lines",
    ),
    # --- maturity model ---
    pytest.param(
        MODEL,
        lambda d: entry(d, "culture_subscores", "openness").update(weight=0.05),
        "maturity_model.yaml: field culture_subscores: the weights sum to 0.95; they must sum to 1",
        id="culture-weights-not-summing-to-1",
    ),
    pytest.param(
        MODEL,
        lambda d: entry(d, "dimensions", "digital_culture").update(weight=0.3),
        "maturity_model.yaml: field dimensions: the weights sum to 1.05; they must sum to 1",
        id="dimension-weights-not-summing-to-1",
    ),
    pytest.param(
        MODEL,
        lambda d: entry(d, "culture_subscores", "engagement").update(source="survey"),
        "maturity_model.yaml: sub-score engagement: field source: "
        'must be "test" or "scale:" followed by a scale id, not "survey"',
        id="malformed-source",
    ),
    pytest.param(
        MODEL,
        lambda d: d["levels"][2].update(min_score=1.2),
        "maturity_model.yaml: field levels: min_score must increase from level to level",
        id="bands-out-of-order",
    ),
    pytest.param(
        MODEL,
        lambda d: d["levels"][4].update(level=6),
        "maturity_model.yaml: level 6: field level: level 6 is outside 1–5",
        id="band-level-outside-1-5",
    ),
    pytest.param(
        MODEL,
        lambda d: d["recommendations"]["by_dimension"]["digital_culture"].pop(5),
        "maturity_model.yaml: field recommendations.by_dimension.digital_culture: "
        "no text for level 5",
        id="missing-recommendation",
    ),
    pytest.param(
        MODEL,
        lambda d: d["proficiency_rule"].update(multiple_choice="partial"),
        "maturity_model.yaml: field proficiency_rule.multiple_choice: "
        "must be one of 'all_or_nothing', not \"partial\"",
        id="unknown-scoring-rule",
    ),
]


@pytest.mark.parametrize(("file", "mutate", "message"), CASES)
def test_a_broken_file_is_refused_with_the_exact_message(file, mutate, message):
    assert refusal(file, mutate) == [message]


CROSS_FILE_CASES = [
    pytest.param(
        TEST_FILE,
        lambda d: item(d, "inf-01").update(competence="info"),
        'digital_skills_test.yaml: item inf-01: field competence: unknown competence "info"; '
        "see competences.yaml",
        id="test-item-with-unknown-competence",
    ),
    pytest.param(
        PROFILES,
        lambda d: profile(d)["required"].update(digital_pm=3),
        "role_profiles.yaml: profile leadership: field required.digital_pm: "
        'unknown competence "digital_pm"; see competences.yaml',
        id="profile-with-unknown-competence",
    ),
    pytest.param(
        PROFILES,
        lambda d: profile(d)["required"].pop("data_ai"),
        "role_profiles.yaml: profile leadership: field required: "
        'no required level for competence "data_ai"',
        id="profile-missing-a-competence",
    ),
    pytest.param(
        COURSES,
        lambda d: course(d).update(competences=["security"]),
        'courses.yaml: course cyber-hygiene: field competences: unknown competence "security"; '
        "see competences.yaml",
        id="course-with-unknown-competence",
    ),
    pytest.param(
        MODEL,
        lambda d: entry(d, "culture_subscores", "support").update(source="scale:climate"),
        'maturity_model.yaml: sub-score support: field source: unknown scale "climate"; '
        f"the scales of digital_culture.yaml are {SCALES}",
        id="sub-score-with-unknown-scale",
    ),
]


@pytest.mark.parametrize(("file", "mutate", "message"), CROSS_FILE_CASES)
def test_a_reference_to_another_file_must_exist(tmp_path, file, mutate, message):
    folder = copy_folder(tmp_path, sample=True)
    assert folder_refusal(folder, file, mutate) == [message]


def test_removing_a_competence_is_reported_in_every_file_that_uses_it(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    messages = folder_refusal(
        folder,
        COMPETENCES,
        lambda d: d.update(competences=[c for c in d["competences"] if c["id"] != "safety"]),
    )
    assert (
        "digital_skills_test.yaml: item saf-01: field competence: "
        'unknown competence "safety"; see competences.yaml' in messages
    )
    assert (
        "role_profiles.yaml: profile it_specialist: field required.safety: "
        'unknown competence "safety"; see competences.yaml' in messages
    )
    assert (
        "courses.yaml: course cyber-hygiene: field competences: "
        'unknown competence "safety"; see competences.yaml' in messages
    )
