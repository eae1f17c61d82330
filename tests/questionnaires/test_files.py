"""A folder is accepted or refused whole, and every problem names its file."""

from __future__ import annotations

import pytest

from survey.questionnaires.schema import (
    DefinitionError,
    Problem,
    load_definitions,
    validate_folder,
)

from .helpers import TEST_FILE, copy_folder, folder_refusal, item


def test_a_file_with_one_bad_item_is_refused_whole(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    folder_refusal(folder, "digital_culture.yaml", lambda d: item(d, "en-05")["text"].pop("ru"))
    with pytest.raises(DefinitionError) as caught:
        load_definitions(folder)
    assert [str(p) for p in caught.value.problems] == [
        "digital_culture.yaml: item en-05: field text: missing language ru"
    ]
    assert str(caught.value) == "digital_culture.yaml: item en-05: field text: missing language ru"


def test_problems_in_several_files_are_all_reported_at_once(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    folder_refusal(folder, "courses.yaml", lambda d: d["courses"][0].update(hours=-2))
    messages = folder_refusal(
        folder, "role_profiles.yaml", lambda d: d["profiles"][0]["required"].update(egov_eds=0)
    )
    assert messages == [
        "role_profiles.yaml: profile leadership: field required.egov_eds: level 0 is outside 1–5",
        "courses.yaml: course info-search-basics: field hours: must be greater than 0",
    ]


def test_invalid_yaml_is_refused_with_its_line(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    (folder / "courses.yaml").write_text("courses:\n  - id: a\n   title: [\n", encoding="utf-8")
    [message] = [str(p) for p in validate_folder(folder)]
    assert message.startswith("courses.yaml: not valid YAML: line 3, column ")


def test_a_key_repeated_in_one_mapping_is_refused(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    (folder / "competences.yaml").write_text(
        "competences:\n  - id: safety\n    name: {kk: Қауіпсіздік, kk: Безопасность, en: Safety}\n",
        encoding="utf-8",
    )
    assert [str(p) for p in validate_folder(folder)] == [
        'competences.yaml: not valid YAML: line 3, column 29: duplicate key "kk"'
    ]


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    (folder / "courses.yaml").write_text("- just a list\n", encoding="utf-8")
    assert [str(p) for p in validate_folder(folder)] == ["courses.yaml: must be a YAML mapping"]


def test_a_missing_file_is_reported(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    (folder / "courses.yaml").unlink()
    assert [str(p) for p in validate_folder(folder)] == ["courses.yaml: the file is missing"]


def test_the_test_file_may_be_absent_only_when_allowed(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    (folder / TEST_FILE).unlink()
    assert [str(p) for p in validate_folder(folder)] == [
        "digital_skills_test.yaml: the file is missing"
    ]
    definitions = load_definitions(folder, optional={TEST_FILE})
    assert definitions.test is None
    assert definitions.questionnaires() == [definitions.survey]


def test_an_unknown_file_is_reported(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    (folder / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    assert [str(p) for p in validate_folder(folder)] == [
        "notes.yaml: unknown file; the files of questionnaires/ are competences.yaml, "
        "digital_culture.yaml, digital_skills_test.yaml, role_profiles.yaml, courses.yaml, "
        "maturity_model.yaml, expert_checklists.yaml"
    ]


def test_a_problem_renders_only_the_parts_it_has():
    assert (
        str(Problem("a.yaml", "item", "x-1", "key", "wrong"))
        == "a.yaml: item x-1: field key: wrong"
    )
    assert str(Problem("a.yaml", None, None, "weights", "wrong")) == "a.yaml: field weights: wrong"
    assert str(Problem("a.yaml", None, None, None, "wrong")) == "a.yaml: wrong"
