"""Bad input gets a clear error in the reader's language, keeps what was typed, saves nothing
half-way and never answers 500."""

from __future__ import annotations

from survey.assessments import drafts
from survey.extensions import db
from survey.models import Assessment, AssessmentRating
from survey.questionnaires.reference import expert_checklists

from .conftest import login


def draft(world):
    assessment = drafts.open_assessment(world.alpha, world.start, world.end,
                                        world.users["assessor"], expert_checklists())
    db.session.commit()
    return assessment


def rating(assessment_id, criterion):
    db.session.expire_all()
    return db.session.scalar(db.select(AssessmentRating).filter_by(
        assessment_id=assessment_id, criterion=criterion))


def test_a_level_outside_the_rubric_is_refused_in_kazakh_and_the_note_kept(world, client):
    assessment = draft(world)
    login(client, "a1@alpha.kz", "kk")
    response = client.post(f"/assessor/assessments/{assessment.id}", data={
        "sm-strategy-level": "7", "sm-strategy-note": "Жол картасы бекітілген", "action": "save"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "1-ден 5-ке дейінгі деңгейді таңдаңыз." in text
    assert "Жол картасы бекітілген" in text
    assert rating(assessment.id, "sm-strategy").note is None


def test_evidence_with_a_bad_link_or_date_is_refused_and_nothing_is_saved(world, client):
    assessment = draft(world)
    login(client, "a1@alpha.kz", "ru")
    bad_link = client.post(f"/assessor/assessments/{assessment.id}", data={
        "sm-strategy-level": "3", "sm-strategy-evidence-name": "Приказ № 12",
        "sm-strategy-evidence-link": "ftp://files", "action": "save"})
    assert bad_link.status_code == 400
    assert "Ссылка должна начинаться с http:// или https://." in bad_link.get_data(as_text=True)
    assert rating(assessment.id, "sm-strategy").level is None
    bad_date = client.post(f"/assessor/assessments/{assessment.id}", data={
        "sm-strategy-evidence-name": "Интервью", "sm-strategy-evidence-date": "15.03.2026",
        "action": "save"})
    assert bad_date.status_code == 400
    assert "ГГГГ-ММ-ДД" in bad_date.get_data(as_text=True)
    nameless = client.post(f"/assessor/assessments/{assessment.id}", data={
        "sm-strategy-evidence-link": "https://example.kz", "action": "save"})
    assert nameless.status_code == 400
    assert "укажите название документа" in nameless.get_data(as_text=True)


def test_submitting_with_criteria_unrated_says_how_many_and_keeps_the_ratings(world, client):
    assessment = draft(world)
    login(client, "a1@alpha.kz", "en")
    response = client.post(f"/assessor/assessments/{assessment.id}", data={
        "sm-strategy-level": "4", "action": "submit"})
    assert response.status_code == 400
    assert "15 criteria have no level yet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).status == "draft"


def test_a_reversed_or_overlapping_period_is_refused(world, client):
    draft(world)
    login(client, "a2@alpha.kz", "kk")
    url = f"/assessor/bodies/{world.alpha.id}/assessments/new"
    reversed_ = client.post(url, data={"period_start": "2026-12-31", "period_end": "2026-01-01"})
    assert reversed_.status_code == 400
    assert "Кезең басталған күні немесе одан кейін аяқталуы керек." in \
        reversed_.get_data(as_text=True)
    overlap = client.post(url, data={"period_start": world.start.isoformat(),
                                     "period_end": world.end.isoformat()})
    assert overlap.status_code == 400
    assert "қиылысатын кезеңге бағалау бар" in overlap.get_data(as_text=True)
    assert client.post(url, data={"period_start": "not a date"}).status_code == 400


def test_malformed_urls_answer_400_or_404(world, client):
    login(client, "a1@alpha.kz")
    assert client.get(f"/assessor/bodies/{world.alpha.id}/maturity?assessment=x"
                      ).status_code == 400
    assert client.get(f"/assessor/bodies/{world.alpha.id}/maturity?assessment=999"
                      ).status_code == 404
    assert client.get("/assessor/assessments/999").status_code == 404
    assert client.get("/assessor/benchmark.xx.png").status_code == 404
