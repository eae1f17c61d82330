"""Questionnaire files taken by their content under any name, each problem with its file, line,
place and reason in the page's language; the preview marks the right answers; one e-mail rule
for staff accounts and staff lists; every problem of the account form at once."""

from __future__ import annotations

import io

import pytest
import yaml

from survey import emails
from survey.extensions import db
from survey.models import AuditEntry, Questionnaire, User
from tests.questionnaires.helpers import sample_test

from .factories import staff
from .test_pages import GOOD, upload


@pytest.fixture
def admin_client(auth, world):
    return auth.as_(staff("admin", "admin@qabilet.kz"))


def post_file(client, content: bytes, name: str, lang: str = "en"):
    return client.post("/admin/questionnaires", content_type="multipart/form-data",
                       headers={"Accept-Language": lang},
                       data={"file": (io.BytesIO(content), name)})


def _dump(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def test_a_test_file_under_another_name_is_loaded_by_its_content(admin_client, world, app):
    from pathlib import Path

    from survey.questionnaires.loader import load_folder

    load_folder(Path(app.config["QUESTIONNAIRES_DIR"]))  # the competences the items refer to
    db.session.commit()
    data = sample_test()
    data["id"] = "skills_2027"
    response = post_file(admin_client, _dump(data), "тест нұсқасы 2027 (2).yml")
    assert response.status_code == 302, response.get_data(as_text=True)
    questionnaire = db.session.scalar(db.select(Questionnaire).filter_by(code="skills_2027"))
    assert questionnaire is not None
    assert questionnaire.kind == "test"
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="questionnaire_uploaded")
                              .order_by(AuditEntry.id.desc()))
    assert entry.details["file"] == "тест нұсқасы 2027 (2).yml"


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", "вопрос saf-01, поле options[c].text"),
    ("kk", "saf-01 сұрағы, options[c].text өрісі"),
])
def test_each_problem_says_file_line_place_and_reason_in_the_page_language(
        admin_client, lang, expected):
    data = sample_test()
    data["items"][1]["options"][2]["text"] = {"kk": "Мәтін", "ru": "Текст"}
    data["items"][2]["level"] = 9
    content = _dump(data)
    lines = content.decode().splitlines()
    response = post_file(admin_client, content, "upload.yaml", lang)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    rows = page.split('<table class="problems upload-problems">', 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr>") == 3  # the header and both problems, at once
    assert "<td>upload.yaml</td>" in rows
    # The first problem's line is the line of the option's text in the file.
    first = rows.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    line = int(first.split('<td class="num">', 1)[1].split("<", 1)[0])
    assert lines[line - 1].strip().startswith("text:")
    assert lines[line - 2].strip() == "- id: c"
    assert expected in first
    assert "missing language" not in page  # no English reason on a kk or ru page


def test_a_syntax_error_is_given_with_its_line(admin_client):
    content = b"id: x\nkind: test\ntitle: [unclosed\nitems: []\n"
    response = post_file(admin_client, content, "broken.yaml", "ru")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<td>broken.yaml</td><td class="num">4</td>' in page


@pytest.mark.parametrize(("content", "expected"), [
    (b"competences:\n  - id: x\n", "это содержимое competences.yaml, а не анкета"),
    (b"title: something\n", "это не анкета: у опроса указано «kind: survey»"),
    (b"- a\n- b\n", "это не анкета"),
])
def test_a_file_that_is_no_questionnaire_is_named_for_what_it_is(admin_client, content,
                                                                 expected):
    response = post_file(admin_client, content, "file.yaml", "ru")
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)


def test_the_preview_of_a_test_marks_the_right_answers(admin_client, world):
    page = admin_client.get(f"/admin/questionnaires/versions/{world.test.id}/preview/ru",
                            headers={"Accept-Language": "kk"}).get_data(as_text=True)
    keyed = [item for item in world.test.items if item.key is not None]
    assert keyed
    marks = page.count('class="key-mark"')
    expected = sum(len(item.key) if isinstance(item.key, list) else 1 for item in keyed)
    assert marks == expected
    assert "дұрыс жауап" in page  # the mark in the administrator's language
    for item in keyed:
        block = page.split(f'name="{item.code}"', 1)[1].split("</fieldset>", 1)[0]
        assert "checked" in block


def test_the_preview_of_a_survey_marks_nothing(admin_client, world):
    page = admin_client.get(f"/admin/questionnaires/versions/{world.survey.id}/preview/en")
    assert 'class="key-mark"' not in page.get_data(as_text=True)


# One e-mail rule ----------------------------------------------------------------------------
@pytest.mark.parametrize(("address", "valid"), [
    ("aigerim@gov.kz", True), ("Aigerim.B@Mail.Gov.Local", True), ("hr@akimat.local", True),
    ("=1+2@evil.kz", True), ("a@b", False), ("a b@gov.kz", False), ("a@@gov.kz", False),
    ("a@gov..kz", False), ("@gov.kz", False), ("a@gov.kz\n", True), ("a@gov.kz\nb", False),
    ("x" * 310 + "@gov.kz", True), ("x" * 320 + "@gov.kz", False),
])
def test_one_rule_for_every_address(address, valid):
    assert emails.is_valid(address) is valid


@pytest.mark.parametrize("address", ["hr@akimat.local", "b@gov", "Ivan.P@Mail.Gov.Kz"])
def test_staff_accounts_and_staff_lists_accept_and_refuse_the_same_addresses(
        admin_client, world, draft, address):
    account = admin_client.post("/admin/users", data={
        "email": address, "full_name": "A", "role": "trainer", "language": "kk",
        "password": "long-enough-1"})
    row = GOOD.replace(b"aigerim@gov.kz", address.encode())
    listing = upload(admin_client, draft, row)
    listed_ok = "is not a valid e-mail address" not in listing.get_data(as_text=True)
    account_ok = account.status_code == 302
    assert account_ok == listed_ok == emails.is_valid(address)
    if account_ok:
        assert db.session.scalar(db.select(User).filter_by(email=address.lower())) is not None


def test_every_problem_of_the_account_form_is_shown_at_once(admin_client, world):
    admin_client.post("/admin/users", data={
        "email": "taken@gov.kz", "full_name": "A", "role": "trainer", "language": "kk",
        "password": "long-enough-1"})
    response = admin_client.post("/admin/users", headers={"Accept-Language": "ru"}, data={
        "email": "taken@gov.kz", "full_name": "", "role": "trainer", "language": "kk",
        "password": "short"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Пароль должен содержать не менее 10 символов." in page
    assert "Учётная запись сотрудника с этим адресом уже существует." in page
    assert page.count('class="error"') >= 3  # e-mail, name and password, in one answer
    bad = admin_client.post("/admin/users", headers={"Accept-Language": "kk"}, data={
        "email": "no-domain", "full_name": "A", "role": "trainer", "language": "kk",
        "password": "short"}).get_data(as_text=True)
    assert "«no-domain»" in bad
    assert "10 таңбадан" in bad
