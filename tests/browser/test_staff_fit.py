"""In Debian chromium: what only a browser shows on the HR, trainer and admin pages — the heatmap
tables fit their box with no header cut, the browser's own print of the report carries the
campaign, the reader and the date on every page and cuts no column, the trainer's plan fits a
1366 px screen, and a campaign's locked settings are disabled with the reason beside them."""

from __future__ import annotations

import re

import pytest

from survey.extensions import db
from survey.i18n import format_day
from survey.models import Attempt
from survey.models._types import utcnow
from tests.browser.test_staff_walk import DESKTOP, log_in
from tests.hr.conftest import world as world  # noqa: F401  (the shared HR fixture)
from tests.pdfcheck import check_pdf

# Elements whose content is wider than the element itself (text cut or pushed out), and
# tables wider than the box that holds them.
OVERFLOW = """(selector) => [...document.querySelectorAll(selector)].flatMap(table => {
    const box = table.closest('.table-scroll') || table.parentElement;
    const out = [];
    if (box.scrollWidth > box.clientWidth + 1) out.push('table wider than its box: '
        + box.scrollWidth + ' > ' + box.clientWidth);
    for (const cell of table.querySelectorAll('th, td')) {
        if (cell.scrollWidth > cell.clientWidth + 1) out.push('cut: ' + cell.innerText);
    }
    return out;
})"""


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_heatmap_tables_fit_their_box_and_no_header_is_cut(page, base_url, world,
                                                               language):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base_url}/language/{language}")
    log_in(page, base_url, "hr@alpha.kz")
    page.goto(f"{base_url}/hr/campaigns/{world.current.id}")
    for box in ("#t-gaps-units", "#t-gaps-positions"):
        assert page.locator(f"{box} table thead th").count() >= 8  # a unit and 7 competences
        problems = page.evaluate(OVERFLOW, f"{box} table")
        assert problems == [], (box, problems)


def test_the_browser_prints_the_report_with_a_header_on_every_page(page, base_url, world,
                                                                   tmp_path):
    page.goto(base_url + "/language/ru")
    log_in(page, base_url, "hr@alpha.kz")
    page.goto(f"{base_url}/hr/campaigns/{world.current.id}/report")
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    from flask_babel import force_locale

    with force_locale("ru"):
        day = format_day(utcnow())
    pages = check_pdf(pdf, tmp_path, footer=day, name="browser-print")
    assert pages.count >= 2
    header = f"{world.current.title_ru} · {world.users['hr_alpha'].full_name}"
    for number, text in enumerate(pages.texts, start=1):
        flat = " ".join(text.split())
        assert header in flat, f"no header on page {number}"
        assert re.search(rf"\b{number}\s*/\s*{pages.count}\b", flat), f"no page number on {number}"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_trainer_plan_fits_a_1366_px_screen(page, base_url, world, language):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base_url}/language/{language}")
    log_in(page, base_url, "trainer@alpha.kz")
    page.goto(f"{base_url}/trainer/campaigns/{world.current.id}")
    assert page.locator("table.results").count() == 2
    problems = page.evaluate(OVERFLOW, "table.results")
    assert problems == []
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_locked_campaign_settings_are_disabled_in_the_browser(page, base_url, world):
    campaign = world.current  # it has answers
    assert db.session.scalar(db.select(Attempt.id).filter_by(campaign_id=campaign.id).limit(1))
    page.set_viewport_size(DESKTOP)
    page.goto(base_url + "/language/ru")
    log_in(page, base_url, "admin@example.kz")
    page.goto(f"{base_url}/admin/campaigns/{campaign.id}/edit")
    for name in ("survey_version", "test_version", "time_limit"):
        assert page.locator(f"[name={name}]").is_disabled(), name
    for name in ("anonymous", "test_mode"):
        radios = page.locator(f"input[name={name}]")
        assert all(radios.nth(i).is_disabled() for i in range(radios.count())), name
    assert page.locator("#questionnaires-locked").is_visible()
    assert "Изменить нельзя" in page.locator("#questionnaires-locked").inner_text()
    # The title can still be changed, and saving keeps every locked setting.
    page.locator("[name=title_en]").fill("Spring wave 2026, revised")
    page.locator("form.narrow-wide button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/admin/campaigns/{campaign.id}")
    db.session.expire_all()
    assert campaign.title_en == "Spring wave 2026, revised"
