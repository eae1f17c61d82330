"""Administration in the browser's place (the test client): each page does its job, in the
user's language, and refuses bad input whole."""

from __future__ import annotations

import io
import re

import pytest
import yaml

from survey.extensions import db
from survey.models import AuditEntry, Campaign, Invitation, Organisation, Person, Unit, User
from survey.tokens import hash_token
from tests.questionnaires.helpers import sample_test

from .factories import staff, upload_and_confirm

GOOD = b"organisation,unit,position,name,email\nmdd,it,specialist,Aigerim,aigerim@gov.kz\n"
BAD = GOOD + b"mdd,basement,specialist,Ivan,ivan@gov.kz\n"


@pytest.fixture
def admin_client(auth, world):
    return auth.as_(staff("admin", "admin@qabilet.kz"))


def upload(client, campaign, data, name="staff.csv", lang="en"):
    return client.post(f"/admin/campaigns/{campaign.id}/staff", headers={"Accept-Language": lang},
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def hidden(page: str, name: str) -> str:
    return page.split(f'name="{name}" type="hidden" value="', 1)[1].split('"', 1)[0]


def test_an_admin_adds_a_government_body_and_its_unit_tree(admin_client):
    response = admin_client.post("/admin/organisations/new", data={
        "code": "moe", "name_kk": "Білім министрлігі", "name_ru": "Министерство образования",
        "name_en": "Ministry of Education", "governance_level": "republican",
        "sector": "education"})
    assert response.status_code == 302
    org = db.session.scalar(db.select(Organisation).filter_by(code="moe"))
    for code, parent in (("dept", 0), ("po", None)):
        parent_id = parent if parent is not None else db.session.scalar(
            db.select(Unit.id).filter_by(code="dept"))
        response = admin_client.post(f"/admin/organisations/{org.id}/units", data={
            "unit-code": code, "unit-name_kk": "Бөлім", "unit-name_ru": "Отдел",
            "unit-name_en": "Department", "unit-parent": parent_id,
            "unit-is_project_office": "y" if code == "po" else ""})
        assert response.status_code == 302
    po = db.session.scalar(db.select(Unit).filter_by(code="po"))
    assert (po.parent.code, po.is_project_office) == ("dept", True)
    page = admin_client.get(f"/admin/organisations/{org.id}",
                            headers={"Accept-Language": "kk"}).get_data(as_text=True)
    assert "Білім министрлігі" in page
    assert "жобалық кеңсе" in page


def test_a_duplicate_organisation_code_is_refused_in_the_users_language(admin_client):
    response = admin_client.post("/admin/organisations/new", headers={"Accept-Language": "ru"},
                                 data={"code": "mdd", "name_kk": "а", "name_ru": "б",
                                       "name_en": "c", "governance_level": "local",
                                       "sector": "health"})
    assert response.status_code == 400
    assert "Этот код уже занят." in response.get_data(as_text=True)


def test_a_staff_list_with_a_bad_row_shows_the_row_and_reason_and_imports_nothing(
        admin_client, draft):
    response = upload(admin_client, draft, BAD, lang="ru")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<td class=\"num\">3</td><td>Структурное подразделение</td>" in page
    assert "В государственном органе нет структурного подразделения с кодом «basement»." in page
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0


def test_a_correct_staff_list_is_previewed_then_imported_on_confirmation(admin_client, draft):
    response = upload(admin_client, draft, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Aigerim" in page
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0
    assert "base64" not in page
    assert len(hidden(page, "digest")) == 64
    response = admin_client.post(f"/admin/campaigns/{draft.id}/staff/confirm", data={
        "digest": hidden(page, "digest"), "filename": hidden(page, "filename")})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 1
    # The same list again changes nothing.
    upload_and_confirm(admin_client, draft, GOOD)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 1


def test_new_links_are_downloaded_once_as_csv_and_then_reissued_on_request(admin_client, draft):
    upload_and_confirm(admin_client, draft, GOOD)
    first = admin_client.post(f"/admin/campaigns/{draft.id}/links.csv").get_data(as_text=True)
    token = first.split("/i/", 1)[1].split()[0]
    invitation = db.session.scalar(db.select(Invitation))
    assert invitation.token_hash == hash_token(token)
    # None new: no empty file, but the campaign page saying why.
    again = admin_client.post(f"/admin/campaigns/{draft.id}/links.csv", follow_redirects=True)
    assert again.mimetype == "text/html"
    assert "/i/" not in again.get_data(as_text=True)
    # Reissuing asks first, saying the old link stops working.
    asked = admin_client.get(f"/admin/invitations/{invitation.id}/reissue")
    assert asked.status_code == 200
    db.session.refresh(invitation)
    assert invitation.token_hash == hash_token(token)  # asking changed nothing
    printed = admin_client.post(f"/admin/invitations/{invitation.id}/reissue")
    new_token = re.search(r"/i/([A-Za-z0-9_-]+)", printed.get_data(as_text=True)).group(1)
    assert "<svg" in printed.get_data(as_text=True)  # the slip's QR code
    db.session.refresh(invitation)
    assert new_token != token
    assert invitation.token_hash == hash_token(new_token)


def test_invitations_are_emailed_only_while_the_campaign_is_open(admin_client, draft,
                                                                 smtp_server):
    upload_and_confirm(admin_client, draft, GOOD)
    admin_client.post(f"/admin/campaigns/{draft.id}/send")
    assert smtp_server.messages == []
    admin_client.post(f"/admin/campaigns/{draft.id}/status/open")
    response = admin_client.post(f"/admin/campaigns/{draft.id}/send", follow_redirects=True)
    page = response.get_data(as_text=True)
    # Queued, then sent by the job (at once in the tests); the page shows the send's progress.
    assert "1 хат кезекке қойылды" in page
    assert 'value="1"></progress> 1 / 1' in page
    assert smtp_server.messages[0][0] == ["aigerim@gov.kz"]


def test_a_campaign_is_created_opened_and_closed_from_its_page(admin_client, world):
    response = admin_client.post("/admin/campaigns/new", data={
        "code": "wave-web", "title_kk": "Кезең", "title_ru": "Волна", "title_en": "Wave",
        "organisations": [world.ministry.id], "opens": "2026-03-01", "closes": "2026-03-31",
        "anonymous": "identified", "time_limit": "40", "default_language": "kk",
        "survey_version": world.survey.id, "test_version": world.test.id})
    assert response.status_code == 302, response.get_data(as_text=True)
    campaign = db.session.scalar(db.select(Campaign).filter_by(code="wave-web"))
    assert (campaign.anonymous, campaign.status) == (False, "draft")
    for target in ("open", "closed"):
        admin_client.post(f"/admin/campaigns/{campaign.id}/status/{target}")
    db.session.refresh(campaign)
    assert campaign.status == "closed"
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"campaign_created", "campaign_status"} <= actions


def test_closing_before_opening_is_explained_next_to_the_field(admin_client, world):
    response = admin_client.post("/admin/campaigns/new", headers={"Accept-Language": "kk"}, data={
        "code": "w", "title_kk": "К", "title_ru": "В", "title_en": "W",
        "organisations": [world.ministry.id], "opens": "2026-03-31", "closes": "2026-03-01",
        "anonymous": "anonymous", "default_language": "kk",
        "survey_version": world.survey.id, "test_version": 0})
    assert response.status_code == 400
    assert "Жабылу күні ашылу күнінен кейін болуы керек." in response.get_data(as_text=True)


def test_settings_are_locked_once_a_campaign_has_answers(admin_client, world, draft):
    from survey.models import Attempt

    db.session.add(Attempt(campaign=draft, access_hash="x" * 64,
                           organisation_id=world.ministry.id, unit_id=world.ministry.units[0].id,
                           position_category_id=_any_profile_id(), language="kk", seed=1))
    db.session.commit()
    response = admin_client.post(f"/admin/campaigns/{draft.id}/edit", data={
        "code": draft.code, "title_kk": "К", "title_ru": "В", "title_en": "W",
        "organisations": [world.ministry.id, world.akimat.id], "opens": "2026-03-01",
        "closes": "2026-03-31", "anonymous": "identified", "time_limit": "45",
        "default_language": "kk", "survey_version": world.survey.id,
        "test_version": world.test.id})
    assert response.status_code == 400
    assert "сауалнама кезеңінде жауаптар бар" in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.anonymous is True


def _any_profile_id() -> int:
    from survey.models import RoleProfile

    return db.session.scalar(db.select(RoleProfile.id).limit(1))


def test_an_admin_creates_a_scoped_account_resets_its_password_and_deactivates_it(
        admin_client, world, client):
    response = admin_client.post("/admin/users", data={
        "email": "hr@mdd.kz", "full_name": "HR Analyst", "role": "hr",
        "organisations": [world.ministry.id], "language": "ru", "password": "long-enough-1"})
    assert response.status_code == 302
    account = db.session.scalar(db.select(User).filter_by(email="hr@mdd.kz"))
    assert [o.code for o in account.organisations] == ["mdd"]
    admin_client.post(f"/admin/users/{account.id}", data={"password-password": "another-long-2"})
    admin_client.post(f"/admin/users/{account.id}/active/0")
    db.session.refresh(account)
    assert account.active is False
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    for action in ("user_created", "user_password_reset", "user_deactivated"):
        assert action in page


def test_a_short_password_is_refused(admin_client, world):
    response = admin_client.post("/admin/users", headers={"Accept-Language": "ru"}, data={
        "email": "t@mdd.kz", "full_name": "T", "role": "trainer", "language": "kk",
        "password": "short"})
    assert response.status_code == 400
    assert "Пароль должен содержать не менее 10 символов." in response.get_data(as_text=True)


@pytest.mark.parametrize(("language", "expected"), [
    ("kk", "Which portal serves citizens? (kk"), ("ru", "Which portal serves citizens? (ru"),
    ("en", "Which portal serves citizens?</legend>")])
def test_a_version_is_previewed_in_each_language_as_a_respondent_sees_it(
        admin_client, world, language, expected):
    page = admin_client.get(f"/admin/questionnaires/versions/{world.test.id}/preview/{language}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert expected in text
    assert 'type="checkbox"' in text
    assert "<fieldset class=\"item\" disabled>" in text


def test_a_questionnaire_file_is_validated_and_refused_whole(admin_client):
    response = admin_client.post("/admin/questionnaires", content_type="multipart/form-data",
                                 data={"file": (io.BytesIO(b"id: digital_culture\nkind: survey\n"),
                                                "digital_culture.yaml")})
    assert response.status_code == 400
    assert "digital_culture.yaml" in response.get_data(as_text=True)


def test_a_refused_questionnaire_file_is_explained_in_the_page_language(admin_client):
    data = sample_test()
    data["items"][0]["key"] = "e"
    content = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    response = admin_client.post("/admin/questionnaires", content_type="multipart/form-data",
                                 headers={"Accept-Language": "ru"},
                                 data={"file": (io.BytesIO(content), "digital_skills_test.yaml")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert ("<td>digital_skills_test.yaml</td><td class=\"num\">{line}</td><td>вопрос inf-01, "
            "поле key</td><td>варианта «e» нет среди вариантов этого вопроса</td>").format(
        line=_line_of(content, "key: e")) in page
    assert "is not one of" not in page


def test_an_unknown_competence_in_an_uploaded_test_is_explained_in_kazakh(admin_client):
    data = sample_test()
    data["items"] = data["items"][:1]
    data["items"][0]["competence"] = "ethics"
    content = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    response = admin_client.post("/admin/questionnaires", content_type="multipart/form-data",
                                 headers={"Accept-Language": "kk"},
                                 data={"file": (io.BytesIO(content), "digital_skills_test.yaml")})
    assert response.status_code == 400
    assert ("<td>inf-01 сұрағы, competence өрісі</td><td>«ethics» "
            "құзыреті белгісіз; алдымен competences.yaml файлын жүктеңіз</td>"
            ) in response.get_data(as_text=True)


def _line_of(content: bytes, text: str) -> int:
    """The (1-based) line of ``content`` that holds ``text``."""
    return next(n for n, line in enumerate(content.decode().splitlines(), 1) if text in line)


def test_the_shipped_survey_file_is_loaded_as_a_new_version(admin_client, app):
    from pathlib import Path

    from survey.questionnaires.loader import load_folder

    load_folder(Path(app.config["QUESTIONNAIRES_DIR"]))  # competences and version 1
    db.session.commit()
    path = Path(app.config["QUESTIONNAIRES_DIR"]) / "digital_culture.yaml"
    text = path.read_text(encoding="utf-8").replace("\nitems:", "\n# revised\nitems:", 1)
    response = admin_client.post("/admin/questionnaires", content_type="multipart/form-data",
                                 data={"file": (io.BytesIO(text.encode()), path.name)},
                                 follow_redirects=True)
    assert response.status_code == 200


def test_every_recorded_action_has_a_name_in_the_audit_log():
    import re
    from pathlib import Path

    from survey.i18n import AUDIT_LABELS

    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in (Path(__file__).resolve().parents[2] / "survey").rglob("*.py"))
    recorded = set(re.findall(r'record\(\s*"([a-z_]+)"', source))
    recorded |= set(re.findall(r'action="([a-z_]+)"', source))
    assert recorded, "no recorded actions found"
    assert recorded <= set(AUDIT_LABELS), recorded - set(AUDIT_LABELS)
