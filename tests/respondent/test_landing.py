"""The invitation link: landing page, consent, languages, privacy notices, bad and closed links."""

from __future__ import annotations

from datetime import timedelta

from survey.extensions import db
from survey.models import Answer, Attempt, Invitation
from survey.models._types import utcnow
from survey.tokens import attempt_key
from tests.respondent import factories as f
from tests.respondent.walk import consent, form_address, survey_page_form


def test_landing_speaks_the_campaign_language_and_says_the_survey_is_anonymous(client):
    token = f.world(anonymous=True, default_language="kk").invite()
    page = client.get(f"/i/{token}")
    assert page.status_code == 200
    assert '<html lang="kk">' in page.text
    assert "Бұл сауалнама анонимді." in page.text
    assert "Тест: 10 сұрақ, уақыт шегі — 45 минут." in page.text


def test_identified_campaigns_say_answers_are_linked_to_the_person(client):
    token = f.world(anonymous=False, default_language="ru").invite()
    page = client.get(f"/i/{token}")
    assert "Этот опрос не анонимный." in page.text


def test_the_language_chosen_on_the_landing_page_is_kept_on_the_attempt(client):
    token = f.world(default_language="kk").invite()
    switched = client.get(f"/language/en?next=/i/{token}")
    assert switched.location == f"/i/{token}"
    assert "This survey is anonymous." in client.get(f"/i/{token}").text
    consent(client, token)
    assert db.session.scalar(db.select(Attempt.language)) == "en"


def test_consent_is_required_and_asked_for_in_the_page_language(client):
    token = f.world(default_language="ru").invite()
    refused = client.post(f"/i/{token}", data={})
    assert refused.status_code == 422
    assert "Пожалуйста, подтвердите согласие на участие." in refused.text
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0


def test_anonymous_attempts_keep_no_link_to_the_invitation(client):
    world = f.world(anonymous=True)
    token = world.invite(email="a@example.kz")
    started = consent(client, token)
    assert started.status_code == 200  # the survey's first page itself
    assert form_address(started.text) == f"/i/{token}/survey/1"
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert attempt.invitation_id is None
    assert attempt.access_hash == attempt_key(token)
    assert token not in (attempt.access_hash, db.session.scalars(db.select(Invitation)).one().token_hash)
    assert db.session.scalars(db.select(Invitation.status)).one() == "started"


def test_identified_attempts_point_to_their_invitation(client):
    world = f.world(anonymous=False)
    token = world.invite()
    consent(client, token)
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert attempt.invitation_id == db.session.scalars(db.select(Invitation.id)).one()


def test_a_second_consent_keeps_the_first_attempt(client):
    token = f.world().invite()
    consent(client, token)
    seed = db.session.scalar(db.select(Attempt.seed))
    again = consent(client, token)
    assert again.status_code == 302
    assert db.session.scalars(db.select(Attempt.seed)).all() == [seed]


def test_opening_the_link_again_resumes_where_the_person_stopped(client):
    world = f.world()
    token = world.invite()
    consent(client, token)
    client.post(f"/i/{token}/survey/1",
                data=survey_page_form(world.campaign.survey_version, "engagement"))
    other_device = client.application.test_client()
    assert other_device.get(f"/i/{token}").location == f"/i/{token}/survey/2"


def test_a_tampered_token_gets_a_not_found_page_in_the_chosen_language(client):
    token = f.world().invite()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    client.get("/language/ru?next=/")
    page = client.get(f"/i/{tampered}")
    assert page.status_code == 404
    assert "Эта ссылка-приглашение недействительна." in page.text
    for path in (f"/i/{tampered}/survey/1", f"/i/{tampered}/result", "/i/not-a-token/test/1"):
        assert client.get(path).status_code == 404


def test_a_closed_campaign_says_so_politely(client):
    now = utcnow()
    token = f.world(opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=1),
                    default_language="en").invite()
    page = client.get(f"/i/{token}")
    assert page.status_code == 410
    assert "This survey closed on" in page.text
    assert consent(client, token).status_code == 410


def test_answers_posted_after_the_close_date_are_not_saved(client):
    world = f.world()
    token = world.invite()
    consent(client, token)
    world.campaign.closes_at = utcnow() - timedelta(seconds=1)
    world.campaign.opens_at = utcnow() - timedelta(days=1)
    db.session.commit()
    posted = client.post(f"/i/{token}/survey/1",
                         data=survey_page_form(world.campaign.survey_version, "engagement"))
    assert posted.status_code == 410
    assert db.session.scalar(db.select(db.func.count(Answer.id))) == 0


def test_landing_gives_the_closing_date_help_and_one_time_estimate(client, app):
    world = f.world(default_language="kk")
    year = utcnow().year + 1
    world.campaign.closes_at = world.campaign.closes_at.replace(year=year, month=3, day=15,
                                                                hour=12)
    db.session.commit()
    token = world.invite()
    page = client.get(f"/i/{token}").text
    assert f"Жабылу күні: {year} жылғы 15 наурыз" in page
    assert "Көмек керек пе?" in page
    # 6 statements at 4.5 a minute (2 minutes) and the 45-minute test: 47 in all.
    assert "Барлығы шамамен 47 минут." in page
    app.config["RESPONDENT_HELP_EMAIL"] = "help@example.kz"
    assert 'href="mailto:help@example.kz"' in client.get(f"/i/{token}").text


def test_a_refused_consent_gives_the_consent_box_the_focus(client):
    token = f.world(default_language="en").invite()
    page = client.post(f"/i/{token}", data={})
    assert page.status_code == 422
    assert 'aria-invalid="true" autofocus' in page.text
    assert 'id="consent-error" role="alert"' in page.text
