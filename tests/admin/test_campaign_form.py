"""The campaign form shows every problem at once (the form's own and the campaign's rules), and
once a campaign has answers its locked settings are shown disabled, with the reason, and an
edit sent as a browser sends it (without the disabled fields) is saved."""

from __future__ import annotations

import re

import pytest

from survey.extensions import db
from survey.models import Attempt, Campaign, RoleProfile

from .factories import staff


@pytest.fixture
def admin_client(auth, world):
    return auth.as_(staff("admin", "admin@qabilet.kz"))


@pytest.fixture
def answered(world, draft):
    db.session.add(Attempt(campaign=draft, access_hash="y" * 64,
                           organisation_id=world.ministry.id, unit_id=world.ministry.units[0].id,
                           position_category_id=db.session.scalar(db.select(RoleProfile.id)),
                           language="kk", seed=1))
    draft.organisations = [world.ministry]
    db.session.commit()
    return draft


def _errors(page: str) -> list[str]:
    return re.findall(r'class="error"[^>]*>(.*?)</p>', page, re.S)


def test_every_problem_of_the_campaign_form_is_shown_at_once(admin_client, world, draft):
    response = admin_client.post("/admin/campaigns/new", headers={"Accept-Language": "ru"}, data={
        "code": draft.code, "title_kk": "", "title_ru": "Волна", "title_en": "Wave",
        "opens": "2026-03-31", "closes": "2026-03-01", "anonymous": "anonymous",
        "default_language": "kk", "survey_version": world.survey.id, "test_version": 0})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = " ".join(_errors(page))
    assert "Обязательное поле." in errors or "Это поле обязательно." in errors  # the title
    assert f"Код «{draft.code}» уже занят." in errors  # the campaign's rules, in the same answer
    assert "Дата закрытия должна быть позже даты открытия." in errors
    assert "Выберите хотя бы один государственный орган." in errors
    assert "4" in page.split('role="alert"', 1)[1].split("</p>", 1)[0]


def test_a_date_that_cannot_be_read_is_shown_with_the_rest(admin_client, world):
    response = admin_client.post("/admin/campaigns/new", headers={"Accept-Language": "en"}, data={
        "code": "Bad Code", "title_kk": "К", "title_ru": "В", "title_en": "W",
        "opens": "31.03.2026", "closes": "2026-03-01", "anonymous": "anonymous",
        "default_language": "kk", "survey_version": 0, "test_version": 0})
    assert response.status_code == 400
    errors = " ".join(_errors(response.get_data(as_text=True)))
    assert "Use lower-case Latin letters" in errors
    assert "Choose at least one government body." in errors
    assert "Choose a survey version, a test version or both." in errors
    assert "closing day must be after" not in errors  # no order of an unreadable date


def test_locked_settings_are_disabled_with_the_reason(admin_client, world, answered):
    page = admin_client.get(f"/admin/campaigns/{answered.id}/edit",
                            headers={"Accept-Language": "kk"}).get_data(as_text=True)
    for legend_id in ("anonymous-locked", "questionnaires-locked", "test-mode-locked"):
        tag = re.search(rf'<fieldset[^>]*aria-describedby="{legend_id}"[^>]*>', page)
        assert tag, legend_id
        assert " disabled" in tag.group(0)
        assert f'id="{legend_id}"' in page
    ministry = re.search(rf'<input[^>]*value="{world.ministry.id}"[^>]*>', page).group(0)
    assert "disabled" in ministry
    assert "checked" in ministry
    akimat = re.search(rf'<input[^>]*value="{world.akimat.id}"[^>]*>', page).group(0)
    assert "disabled" not in akimat  # a body can still be added
    assert "жауаптар осы баптаумен берілді" in page  # the reason, in the page's language


def test_an_edit_sent_without_the_disabled_fields_is_saved(admin_client, world, answered):
    # What a browser sends: no disabled field, so no questionnaire, anonymity, time limit,
    # test mode or body already in the campaign; one body added.
    response = admin_client.post(f"/admin/campaigns/{answered.id}/edit", data={
        "code": answered.code, "title_kk": "Жаңа атау", "title_ru": "Новое название",
        "title_en": "New title", "organisations": [world.akimat.id], "opens": "2026-03-01",
        "closes": "2026-04-30", "default_language": "ru"})
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    campaign = db.session.get(Campaign, answered.id)
    assert campaign.title_en == "New title"
    assert {o.code for o in campaign.organisations} == {"mdd", "akimat"}
    assert campaign.anonymous is True
    assert campaign.test_version_id == world.test.id
    assert campaign.test_time_limit_minutes == answered.test_time_limit_minutes
