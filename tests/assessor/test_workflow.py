"""An assessment goes draft → submitted → confirmed, or → returned with a reason and back;
the author never reviews their own; a confirmed assessment is locked; every step is audited."""

from __future__ import annotations

import pytest

from survey.assessments import drafts, review
from survey.assessments.errors import AssessmentError
from survey.extensions import db
from survey.models import Assessment, AuditEntry
from survey.questionnaires.reference import expert_checklists

from .conftest import login
from .helpers import rate_all


def opened(world):
    assessment = drafts.open_assessment(world.alpha, world.start, world.end,
                                        world.users["assessor"], expert_checklists())
    db.session.commit()
    return assessment


def test_an_assessment_opens_as_a_draft_with_every_criterion_that_applies(world):
    assessment = opened(world)
    assert assessment.status == "draft"
    assert assessment.context == {"governance_level": "republican",
                                  "sector": "digital_development",
                                  "project_office": "centralised"}
    assert assessment.unit.is_project_office
    criteria = {r.criterion for r in assessment.ratings}
    assert "sm-sector" in criteria  # republican bodies only
    assert len(criteria) == 16
    assert len(assessment.rubric_hash) == 64


def test_a_regional_body_is_not_rated_on_the_republican_criterion(world):
    assessment = drafts.open_assessment(world.beta, world.start, world.end,
                                        world.users["assessor_beta"], expert_checklists())
    assert "sm-sector" not in {r.criterion for r in assessment.ratings}
    weights = {r.criterion: r.weight for r in assessment.ratings
               if r.dimension == "strategic_management"}
    assert weights["sm-coordination"] == pytest.approx(0.25)  # the regional_local variant


def test_a_half_rated_draft_saves_but_does_not_submit(world):
    assessment = opened(world)
    user = world.users["assessor"]
    drafts.save_draft(assessment, user, {"sm-strategy": drafts.RatingInput(4, "Стратегия бар")},
                      expert_checklists())
    db.session.commit()
    with pytest.raises(AssessmentError) as refused:
        drafts.submit(assessment, user, expert_checklists())
    assert refused.value.code == "criteria_unrated"
    assert refused.value.params == {"count": 15}


def test_draft_submitted_returned_resubmitted_confirmed_and_locked(world):
    assessment = opened(world)
    author, other, admin = (world.users[k] for k in ("assessor", "assessor2", "admin"))
    loaded = expert_checklists()
    rate_all(assessment, author)
    drafts.submit(assessment, author, loaded)
    assert assessment.status == "submitted"
    with pytest.raises(AssessmentError) as own:
        review.confirm(assessment, author)
    assert own.value.code == "own_assessment"
    with pytest.raises(AssessmentError):
        drafts.save_draft(assessment, author, {}, loaded)  # submitted: nothing changes
    with pytest.raises(AssessmentError) as no_reason:
        review.return_to_author(assessment, other, "   ")
    assert no_reason.value.code == "reason_required"
    review.return_to_author(assessment, other, "Растайтын құжаттар жетіспейді")
    assert (assessment.status, assessment.return_reason) == (
        "returned", "Растайтын құжаттар жетіспейді")
    rate_all(assessment, author, {"sm-strategy": 4})
    drafts.submit(assessment, author, loaded)
    review.confirm(assessment, admin)
    db.session.commit()
    assert (assessment.status, assessment.reviewer_id) == ("confirmed", admin.id)
    with pytest.raises(AssessmentError) as locked:
        drafts.save_draft(assessment, author, {}, loaded)
    assert locked.value.code == "not_editable"
    with pytest.raises(AssessmentError):
        review.return_to_author(assessment, other, "again")
    actions = [e.action for e in db.session.scalars(
        db.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["assessment_opened", "assessment_saved", "assessment_submitted",
                       "assessment_returned", "assessment_saved", "assessment_submitted",
                       "assessment_confirmed"]


def test_a_new_period_starts_a_new_assessment_and_overlaps_are_refused(world):
    opened(world)
    with pytest.raises(AssessmentError) as overlap:
        drafts.open_assessment(world.alpha, world.end, world.end, world.users["assessor2"],
                               expert_checklists())
    assert overlap.value.code == "period_overlaps"
    later = drafts.open_assessment(world.alpha, world.end.replace(year=world.end.year + 1),
                                   world.end.replace(year=world.end.year + 2),
                                   world.users["assessor2"], expert_checklists())
    assert later.id is not None


def test_the_whole_workflow_through_the_pages(world, client, app):
    login(client, "a1@alpha.kz", "kk")
    response = client.post(f"/assessor/bodies/{world.alpha.id}/assessments/new",
                           data={"period_start": world.start.isoformat(),
                                 "period_end": world.end.isoformat()})
    assert response.status_code == 302
    assessment = db.session.scalar(db.select(Assessment))
    page = client.get(f"/assessor/assessments/{assessment.id}")
    assert "Жобаны сақтау" in page.get_data(as_text=True)
    form = {f"{r.criterion}-level": "3" for r in assessment.ratings}
    form["sm-strategy-evidence-name"] = "Цифрлық трансформация жол картасы"
    form["sm-strategy-evidence-link"] = "https://example.gov.kz/roadmap"
    form["sm-strategy-evidence-date"] = "2026-03-15"
    form["action"] = "submit"
    assert client.post(f"/assessor/assessments/{assessment.id}", data=form).status_code == 302
    db.session.expire_all()
    assessment = db.session.get(Assessment, assessment.id)
    assert assessment.status == "submitted"
    [evidence] = next(r for r in assessment.ratings if r.criterion == "sm-strategy").evidence
    assert (evidence.link, evidence.interview_date.isoformat()) == (
        "https://example.gov.kz/roadmap", "2026-03-15")
    review_url = f"/assessor/assessments/{assessment.id}/review"
    assert client.post(review_url, data={"decision": "confirm"}).status_code == 403  # the author
    client.post("/staff/logout")
    login(client, "a2@alpha.kz", "ru")
    refused = client.post(review_url, data={"decision": "return", "reason": ""})
    assert refused.status_code == 400
    assert "Укажите, почему оценка возвращается." in refused.get_data(as_text=True)
    assert client.post(review_url, data={"decision": "confirm"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).status == "confirmed"
    locked = client.post(f"/assessor/assessments/{assessment.id}", data=form)
    assert locked.status_code == 403
