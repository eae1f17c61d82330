"""An administrator runs a campaign in chromium: a new government body, a staff list refused for
one bad row and then accepted, the campaign opened, invitations e-mailed through a real SMTP
server, and the respondent following the e-mailed link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from survey.models._types import utcnow
from tests.admin import factories
from tests.admin.smtp import running_smtp_server

STAFF = ("organisation;unit;position;name;email;language\n"
         "moe;dept;specialist;Айгерим Садықова;aigerim@edu.gov.kz;kk\n"
         "moe;{unit};specialist;Иван Петров;ivan@edu.gov.kz;ru\n")


@pytest.fixture
def mailbox(live_server):
    with running_smtp_server() as (mailbox, port):
        live_server.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield mailbox


def upload(page, text: str) -> None:
    page.set_input_files("#file", files=[{"name": "staff.csv", "mimeType": "text/csv",
                                          "buffer": text.encode("utf-8")}])
    page.get_by_role("button", name="Check the file").click()


def test_an_admin_runs_a_campaign_from_a_new_body_to_an_emailed_link(
        app, page, base_url, live_server, mailbox):
    factories.world()  # position categories and the loaded survey and test versions
    admin = factories.staff("admin", "admin@qabilet.kz")

    page.goto(f"{base_url}/staff/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{base_url}/admin/organisations/new")
    page.get_by_label("Code").fill("moe")
    page.get_by_label("Name in Kazakh").fill("Білім министрлігі")
    page.get_by_label("Name in Russian").fill("Министерство образования")
    page.get_by_label("Name in English").fill("Ministry of Education")
    page.get_by_label("Sector").select_option("education")
    page.get_by_role("button", name="Save").click()
    page.locator("#unit-code").fill("dept")
    page.locator("#unit-name_kk").fill("Цифрландыру бөлімі")
    page.locator("#unit-name_ru").fill("Отдел цифровизации")
    page.locator("#unit-name_en").fill("Digitalisation department")
    page.get_by_role("button", name="Add the unit").click()
    assert page.locator(".unit-tree").get_by_text("Digitalisation department").is_visible()

    today = utcnow().date()
    page.goto(f"{base_url}/admin/campaigns/new")
    page.get_by_label("Code", exact=True).fill("moe-2026")
    page.get_by_label("Title in Kazakh").fill("2026 кезеңі")
    page.get_by_label("Title in Russian").fill("Волна 2026")
    page.get_by_label("Title in English").fill("Wave 2026")
    page.get_by_label("Ministry of Education (moe)").check()
    page.get_by_label("Opens on").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Closes at the end of").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Wave 2026").is_visible()

    upload(page, STAFF.format(unit="basement"))
    assert page.get_by_text("Nothing was imported").is_visible()
    row = page.locator("table.problems tbody tr")
    assert row.count() == 1
    assert row.inner_text().split("\t")[:2] == ["3", "Unit"]
    assert "no unit with the code “basement”" in row.inner_text()

    upload(page, STAFF.format(unit="dept"))
    assert page.get_by_text("The file is correct: 2 people.").is_visible()
    page.get_by_role("button", name="Import and create invitations").click()
    assert page.get_by_text("Imported: 2 new invitations").is_visible()

    # Opening asks first and says from when to when people can answer.
    page.get_by_role("link", name="Open the campaign").click()
    assert page.get_by_text("until the end of the closing day").is_visible()
    page.get_by_role("button", name="Open the campaign").click()
    page.get_by_role("button", name="Send invitations by e-mail").click()
    # Queued, then sent by the job (at once in the tests); the page shows the send's progress.
    assert page.get_by_text("2 e-mails are queued").is_visible()
    assert page.locator("#mail-progress").get_by_text("2 / 2").is_visible()

    by_recipient = {rcpts[0]: message for rcpts, message in mailbox.messages}
    assert set(by_recipient) == {"aigerim@edu.gov.kz", "ivan@edu.gov.kz"}
    assert by_recipient["aigerim@edu.gov.kz"]["Subject"] == "Шақыру: 2026 кезеңі"
    assert by_recipient["ivan@edu.gov.kz"]["Subject"] == "Приглашение: Волна 2026"
    body = by_recipient["ivan@edu.gov.kz"].get_content()
    link = next(word for word in body.split() if "/i/" in word)
    assert link.startswith(f"{base_url}/i/")

    # The respondent, in a browser of their own, follows the e-mailed link.
    respondent = page.context.browser.new_context(locale="ru-RU").new_page()
    response = respondent.goto(link)
    assert response.status == 200
    assert respondent.locator("html").get_attribute("lang") == "ru"
    assert respondent.locator("h1").inner_text() == "Волна 2026"
    assert respondent.locator("input[name=consent]").count() == 1
    respondent.context.close()
