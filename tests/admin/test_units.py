"""Units are renamed on their own page and removed after a confirmation, only while nothing
refers to them; a refusal says what refers to the unit, in the page's language; both changes
are in the audit log."""

from __future__ import annotations

import pytest

from survey.extensions import db
from survey.models import AuditEntry, Unit

from .factories import staff, upload_and_confirm
from .test_pages import GOOD


@pytest.fixture
def admin_client(auth, world):
    return auth.as_(staff("admin", "admin@qabilet.kz"))


def _unit(world, code: str) -> Unit:
    return next(u for u in world.ministry.units if u.code == code)


NAMES = {"name_kk": "Цифрландыру басқармасы", "name_ru": "Управление цифровизации",
         "name_en": "Digitalisation office"}


def test_a_unit_is_renamed_and_the_change_is_in_the_audit_log(admin_client, world):
    unit = _unit(world, "it")
    base = f"/admin/organisations/{world.ministry.id}"
    assert f'href="{base}/units/{unit.id}"' in admin_client.get(base).get_data(as_text=True)
    old_ru = unit.name_ru
    response = admin_client.post(f"{base}/units/{unit.id}", data=NAMES)
    assert response.status_code == 302
    db.session.refresh(unit)
    assert (unit.name_kk, unit.name_ru, unit.name_en, unit.code) == (
        *NAMES.values(), "it")
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="unit_renamed"))
    assert entry.target == "organisation:mdd/unit:it"
    assert entry.details["changed"]["name_ru"] == [old_ru, NAMES["name_ru"]]
    audit = admin_client.get("/admin/audit", headers={"Accept-Language": "ru"}).get_data(
        as_text=True)
    assert "Подразделение переименовано" in audit
    assert f"Наименование на русском: {old_ru} → Управление цифровизации" in audit


def test_a_rename_with_an_empty_name_shows_every_empty_field(admin_client, world):
    unit = _unit(world, "it")
    response = admin_client.post(f"/admin/organisations/{world.ministry.id}/units/{unit.id}",
                                 data={"name_kk": "", "name_ru": "", "name_en": "X"})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count('class="error"') == 2


def test_an_unused_unit_is_removed_after_a_confirmation(admin_client, world):
    unit = _unit(world, "hr")
    base = f"/admin/organisations/{world.ministry.id}/units/{unit.id}"
    confirm = admin_client.get(f"{base}/remove", headers={"Accept-Language": "kk"})
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert f'action="{base}/remove"' in page
    assert db.session.get(Unit, unit.id) is not None  # asking removes nothing
    response = admin_client.post(f"{base}/remove")
    assert response.status_code == 302
    assert db.session.get(Unit, unit.id) is None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="unit_removed"))
    assert entry.target == "organisation:mdd/unit:hr"


def test_a_unit_people_refer_to_is_kept_and_the_refusal_says_why(admin_client, world, draft):
    upload_and_confirm(admin_client, draft, GOOD)  # one person in mdd/it, with an invitation
    unit = _unit(world, "it")
    base = f"/admin/organisations/{world.ministry.id}/units/{unit.id}"
    page = admin_client.get(base, headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Людей в списках сотрудников: 1" in page
    assert "Приглашений: 1" in page
    assert f'href="{base}/remove"' not in page
    confirm = admin_client.get(f"{base}/remove", headers={"Accept-Language": "kk"})
    text = confirm.get_data(as_text=True)
    assert "Қызметкерлер тізіміндегі адамдар: 1" in text
    assert f'action="{base}/remove"' not in text  # no button to press
    refused = admin_client.post(f"{base}/remove", headers={"Accept-Language": "ru"},
                                follow_redirects=True)
    assert "Подразделение «" in refused.get_data(as_text=True)
    assert "нельзя удалить" in refused.get_data(as_text=True)
    assert db.session.get(Unit, unit.id) is not None
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="unit_removed")) is None


def test_a_unit_with_sub_units_is_kept(admin_client, world):
    parent = _unit(world, "it")
    db.session.add(Unit(organisation=world.ministry, code="it-sec", name_kk="Қ", name_ru="Б",
                        name_en="Security", parent=parent))
    db.session.commit()
    response = admin_client.post(
        f"/admin/organisations/{world.ministry.id}/units/{parent.id}/remove",
        headers={"Accept-Language": "kk"}, follow_redirects=True)
    assert "Ішкі бөлімшелер: 1" in response.get_data(as_text=True)
    assert db.session.get(Unit, parent.id) is not None


def test_a_unit_of_another_body_is_not_found_under_this_one(admin_client, world):
    finance = world.akimat.units[0]
    for path in ("", "/remove"):
        url = f"/admin/organisations/{world.ministry.id}/units/{finance.id}{path}"
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url).status_code == 404


def test_only_administrators_rename_or_remove_units(auth, world):
    client = auth.as_(staff("hr", "hr@mdd.kz", [world.ministry]))
    unit = _unit(world, "hr")
    base = f"/admin/organisations/{world.ministry.id}/units/{unit.id}"
    assert client.post(base, data=NAMES).status_code == 403
    assert client.post(f"{base}/remove").status_code == 403
    assert db.session.get(Unit, unit.id) is not None


def test_every_problem_of_the_unit_and_body_forms_is_shown_at_once(admin_client, world):
    response = admin_client.post(f"/admin/organisations/{world.ministry.id}/units",
                                 headers={"Accept-Language": "ru"},
                                 data={"unit-code": "it", "unit-name_kk": "",
                                       "unit-name_ru": "Отдел", "unit-name_en": "Office",
                                       "unit-parent": 0})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Этот код уже используется." in page or "Этот код уже занят." in page
    assert page.count('class="error"') == 2  # the code taken and the empty Kazakh name
    response = admin_client.post("/admin/organisations/new", headers={"Accept-Language": "en"},
                                 data={"code": "mdd", "name_kk": "", "name_ru": "", "name_en": "X",
                                       "governance_level": "republican",
                                       "sector": "general_administration"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This code is already used." in page
    assert page.count('class="error"') == 3
