"""Loading questionnaires/ into the database: idempotent, versioned, refused whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from survey.extensions import db
from survey.models import (
    Answer,
    Competence,
    Course,
    Item,
    QuestionnaireVersion,
    RequiredLevel,
    RoleProfile,
)
from survey.questionnaires.loader import latest_version, load_folder, maturity_model_content
from survey.questionnaires.schema import load_definitions
from tests.app.test_database import make_attempt

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture
def folder(tmp_path) -> Path:
    copy = tmp_path / "questionnaires"
    shutil.copytree(SHIPPED, copy)
    return copy


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_loading_the_shipped_files_fills_every_table(app):
    definitions = load_definitions(SHIPPED)
    report = load_folder(SHIPPED)
    db.session.commit()
    assert report.versions == {"digital_culture": (1, True), "digital_skills": (1, True)}
    assert count(Competence) == len(definitions.competences.competences)
    assert count(RoleProfile) == len(definitions.role_profiles.profiles)
    assert count(Course) == len(definitions.courses.courses)
    assert count(RequiredLevel) == sum(len(p.required) for p in definitions.role_profiles.profiles)
    survey = latest_version("digital_culture")
    ratings = definitions.survey.self_rating.items
    assert [i.code for i in survey.items] == [i.id for i in [*definitions.survey.items, *ratings]]
    assert {i.type for i in survey.items} == {"likert", "self_rating"}
    assert [i.competence.code for i in survey.items if i.type == "self_rating"] == [
        r.competence for r in ratings]
    test = latest_version("digital_skills")
    assert len(test.items) == len(definitions.test.items)
    first = definitions.test.items[0]
    assert test.items[0].key == first.key
    assert test.items[0].competence.code == first.competence
    assert maturity_model_content()["proficiency_rule"]["pass_share"] == (
        definitions.maturity_model.proficiency_rule.pass_share
    )


def test_loading_twice_changes_nothing(app):
    load_folder(SHIPPED)
    db.session.commit()
    rows = (count(QuestionnaireVersion), count(Item), count(RequiredLevel), count(Course))
    report = load_folder(SHIPPED)
    db.session.commit()
    assert report.versions == {"digital_culture": (1, False), "digital_skills": (1, False)}
    assert (count(QuestionnaireVersion), count(Item), count(RequiredLevel), count(Course)) == rows


def test_a_changed_file_becomes_a_new_version_and_answers_keep_their_items(app, folder):
    load_folder(folder)
    db.session.commit()
    attempt, _ = make_attempt()
    first = latest_version("digital_culture")
    answered = first.items[0]
    db.session.add(Answer(attempt_id=attempt.id, item_id=answered.id, value="4"))
    db.session.commit()
    old_text = dict(answered.texts)

    def reword(data):
        data["items"][0]["text"]["en"] = "I sign documents with my EDS without help."

    edit_yaml(folder / "digital_culture.yaml", reword)
    report = load_folder(folder)
    db.session.commit()
    assert report.versions["digital_culture"] == (2, True)
    assert report.versions["digital_skills"] == (1, False)
    second = latest_version("digital_culture")
    assert second.id != first.id
    assert second.items[0].texts["en"] == "I sign documents with my EDS without help."
    db.session.expire_all()
    answer = db.session.scalar(db.select(Answer))
    assert answer.item_id == answered.id
    assert db.session.get(Item, answered.id).texts == old_text


def test_a_bad_file_is_refused_whole_and_nothing_is_written(app, folder):
    def break_one_item(data):
        data["items"][5]["scale"] = "no_such_scale"

    edit_yaml(folder / "digital_culture.yaml", break_one_item)
    with pytest.raises(Exception, match="no_such_scale"):
        load_folder(folder)
    db.session.rollback()
    assert count(QuestionnaireVersion) == 0
    assert count(Competence) == 0


def test_required_levels_are_updated_in_place(app, folder):
    load_folder(folder)
    db.session.commit()

    def raise_leadership(data):
        profile = data["profiles"][0]
        first = next(iter(profile["required"]))
        profile["required"][first] = 5 if profile["required"][first] != 5 else 4

    edit_yaml(folder / "role_profiles.yaml", raise_leadership)
    expected = load_definitions(folder).role_profiles.profiles[0]
    load_folder(folder)
    db.session.commit()
    profile = db.session.scalar(db.select(RoleProfile).filter_by(code=expected.id))
    assert {r.competence.code: r.level for r in profile.required_levels} == expected.required
    assert count(RoleProfile) == len(load_definitions(folder).role_profiles.profiles)


def test_cli_validate_names_the_file_the_item_and_the_field(runner, folder):
    def drop_kazakh(data):
        del data["items"][2]["text"]["kk"]

    edit_yaml(folder / "digital_culture.yaml", drop_kazakh)
    item_id = yaml.safe_load((folder / "digital_culture.yaml").read_text())["items"][2]["id"]
    result = runner.invoke(args=["questionnaires", "validate", "--folder", str(folder)])
    assert result.exit_code == 1
    assert f"digital_culture.yaml: item {item_id}: field text" in result.output
    assert "nothing was loaded" in result.output


def test_cli_load_then_export_gives_back_the_same_definition(runner, folder):
    result = runner.invoke(args=["questionnaires", "load", "--folder", str(folder)])
    assert result.exit_code == 0, result.output
    assert "digital_skills: version 1 (new)" in result.output
    exported = runner.invoke(args=["questionnaires", "export", "digital_skills"])
    assert exported.exit_code == 0
    original = load_definitions(folder).test
    (folder / "digital_skills_test.yaml").write_text(exported.output, encoding="utf-8")
    assert load_definitions(folder).test == original
