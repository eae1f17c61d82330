"""The checklists travel through `questionnaires load` into the database and back through
reference.py only; a body's project office is recorded on the admin page and chooses weights."""

from __future__ import annotations

import pytest

from survey.extensions import db
from survey.models import Organisation, ReferenceDocument
from survey.questionnaires import reference
from survey.questionnaires.checklist_schema import Context
from tests import factories as f

from .conftest import login


def test_questionnaires_load_stores_the_checklists_and_loading_twice_changes_nothing(
        app, runner):
    assert runner.invoke(args=["questionnaires", "load"]).exit_code == 0
    row = db.session.scalar(db.select(ReferenceDocument).filter_by(key="expert_checklists"))
    assert row is not None
    digest = reference.expert_checklists().digest
    assert runner.invoke(args=["questionnaires", "load"]).exit_code == 0
    assert reference.expert_checklists().digest == digest
    assert len(reference.expert_checklists().expert.criteria(
        "technological_maturity", Context("republican", "health", None))) == 5


def test_checklists_never_loaded_are_a_clear_error(app):
    with pytest.raises(reference.ReferenceDataMissing) as missing:
        reference.expert_checklists()
    assert missing.value.code == "expert_checklists"


def test_the_project_office_is_part_of_a_bodys_context(app):
    body = f.organisation(governance_level="regional", sector="health",
                          project_office="decentralised")
    assert Context.of(body) == Context("regional", "health", "decentralised")
    assert Context.of(f.organisation()).project_office is None


def test_the_admin_records_how_the_project_office_works(app, client):
    from survey.accounts.users import create_user

    create_user("admin@example.kz", "Admin", "correct-horse-battery", "admin")
    body = f.organisation("gamma")
    db.session.commit()
    login(client, "admin@example.kz")
    response = client.post(f"/admin/organisations/{body.id}", data={
        "name_kk": "Гамма органы", "name_ru": "Орган Гамма", "name_en": "Gamma",
        "governance_level": "local", "sector": "social", "project_office": "decentralised"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, body.id).project_office == "decentralised"
    client.post(f"/admin/organisations/{body.id}", data={
        "name_kk": "Гамма органы", "name_ru": "Орган Гамма", "name_en": "Gamma",
        "governance_level": "local", "sector": "social", "project_office": ""})
    db.session.expire_all()
    assert db.session.get(Organisation, body.id).project_office is None
