"""In Debian chromium: an HR analyst opens the dashboard in Russian and downloads the XLSX; a
trainer builds and exports a plan; an analyst of one body gets 403 on another body's pages."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from tests.hr.conftest import PASSWORD
from tests.hr.conftest import world as world  # noqa: F401  (the shared HR fixture)


def log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/staff/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()


def test_an_hr_analyst_opens_the_dashboard_in_russian_and_downloads_the_xlsx(page, base_url, world, tmp_path):
    page.goto(base_url + "/language/ru")
    log_in(page, base_url, "hr@alpha.kz")
    page.get_by_role("link", name="Весенняя волна 2026").click()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Весенняя волна 2026"
    assert page.get_by_role("heading", name="Дефицит компенций").count() == 0
    assert page.get_by_role("heading", name="Дефицит компетенций").is_visible()
    # Every chart is drawn and has a text alternative.
    images = page.locator("figure.chart img")
    assert images.count() == 5
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        assert image.get_attribute("alt")
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle())
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать XLSX").click()
    path = Path(tmp_path / "dashboard.xlsx")
    info.value.save_as(path)
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert "Описание" in book.sheetnames
    assert "Дефицит по компетенциям" in book.sheetnames


def test_filters_work_with_the_keyboard_and_without_javascript(browser, base_url, world):
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    log_in(page, base_url, "hr@alpha.kz")
    page.goto(f"{base_url}/hr/campaigns/{world.current.id}")
    page.get_by_role("combobox", name="Position category").select_option(label=world.cat.profiles[0].names["en"])
    page.get_by_role("button", name="Apply filters").press("Enter")
    assert f"position={world.cat.profiles[0].id}" in page.url
    assert page.get_by_role("heading", name="Digital-culture score").first.is_visible()
    context.close()


def test_a_trainer_builds_and_exports_a_plan(page, base_url, world, tmp_path):
    log_in(page, base_url, "trainer@alpha.kz")
    page.get_by_role("link", name="Spring wave 2026").click()
    assert page.locator("h1").inner_text().startswith("Training plan")
    page.get_by_role("combobox", name="Government body").select_option(label="Ministry alpha")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("table", name="Training plan").is_visible()
    assert "teaching hours" in page.locator("p.lead").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the plan (XLSX)").click()
    path = Path(tmp_path / "plan.xlsx")
    info.value.save_as(path)
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert book.sheetnames[1:] == ["Training plan", "Cohorts"]
    assert book["Training plan"].max_row > 3


def test_an_hr_analyst_of_one_body_gets_403_on_another_bodys_pages_and_exports(page, base_url, world):
    log_in(page, base_url, "hr@beta.kz")
    for path in (f"/hr/campaigns/{world.alpha_only.id}",
                 f"/hr/campaigns/{world.alpha_only.id}/report",
                 f"/hr/campaigns/{world.alpha_only.id}/charts/subscores.png",
                 f"/hr/campaigns/{world.current.id}?organisation={world.alpha.id}"):
        response = page.goto(base_url + path)
        assert response.status == 403, path
        assert "Traceback" not in page.content()
    response = page.request.get(f"{base_url}/hr/campaigns/{world.alpha_only.id}/export.xlsx")
    assert response.status == 403
