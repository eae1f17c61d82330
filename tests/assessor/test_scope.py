"""An assessor of body A never reaches body B; HR reads the maturity pages but changes nothing;
trainers and visitors see nothing of it."""

from __future__ import annotations

import pytest

from survey.assessments import drafts
from survey.extensions import db
from survey.questionnaires.reference import expert_checklists

from .conftest import login


@pytest.fixture
def alpha_draft(world):
    assessment = drafts.open_assessment(world.alpha, world.start, world.end,
                                        world.users["assessor"], expert_checklists())
    db.session.commit()
    return assessment


def test_an_assessor_of_another_body_cannot_open_or_read_this_one(world, client, alpha_draft):
    login(client, "b1@beta.kz")
    alpha = world.alpha.id
    for url in (f"/assessor/assessments/{alpha_draft.id}", f"/assessor/bodies/{alpha}/maturity",
                f"/assessor/bodies/{alpha}/assessments/new", f"/assessor/bodies/{alpha}/history",
                f"/assessor/assessments/{alpha_draft.id}/radar.kk.png",
                f"/assessor/bodies/{alpha}/history.xlsx"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/assessor/assessments/{alpha_draft.id}",
                       data={"action": "save"}).status_code == 403
    assert client.post(f"/assessor/bodies/{alpha}/assessments/new", data={
        "period_start": "2030-01-01", "period_end": "2030-12-31"}).status_code == 403
    index = client.get("/assessor/").get_data(as_text=True)
    assert world.alpha.name_en not in index
    assert world.beta.name_en in index


def test_hr_reads_the_maturity_pages_but_cannot_edit(world, client, alpha_draft):
    login(client, "hr@alpha.kz")
    assert client.get(f"/assessor/bodies/{world.alpha.id}/maturity").status_code == 200
    assert client.get(f"/assessor/assessments/{alpha_draft.id}").status_code == 200
    assert client.post(f"/assessor/assessments/{alpha_draft.id}",
                       data={"action": "save"}).status_code == 403
    assert client.get(f"/assessor/bodies/{world.alpha.id}/assessments/new").status_code == 403
    assert client.post(f"/assessor/assessments/{alpha_draft.id}/review",
                       data={"decision": "confirm"}).status_code == 403
    assert client.get(f"/assessor/bodies/{world.beta.id}/maturity").status_code == 403


def test_another_assessor_of_the_same_body_reads_but_does_not_edit_a_draft(world, client,
                                                                           alpha_draft):
    login(client, "a2@alpha.kz")
    assert client.get(f"/assessor/assessments/{alpha_draft.id}").status_code == 200
    assert client.post(f"/assessor/assessments/{alpha_draft.id}",
                       data={"action": "save"}).status_code == 403


def test_trainers_and_visitors_are_kept_out(world, client, alpha_draft):
    response = client.get("/assessor/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]
    login(client, "tr@alpha.kz")
    assert client.get("/assessor/").status_code == 403
    assert client.get(f"/assessor/bodies/{world.alpha.id}/maturity").status_code == 403
