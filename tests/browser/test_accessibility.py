"""Every kind of page passes axe-core's WCAG 2.1 A and AA rules (labels, landmarks, ARIA,
contrast…) in a real browser, on the demo's data: public pages, a civil servant's survey and
test pages (also with a validation error) and result, and the staff pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo_links(runner):
    result = runner.invoke(args=["demo", "--respondents", "40"])
    assert result.exit_code == 0, result.output
    return {line.split()[0]: line.split()[-1] for line in result.output.splitlines()
            if "/i/" in line}


def violations(page) -> list[str]:
    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}" for v in found]


def test_public_and_respondent_pages_meet_wcag_aa(browser, base_url, demo_links):
    page = browser.new_context(locale="kk-KZ").new_page()
    path = demo_links["kk"].split("/i/", 1)[1]
    checked = {}
    for url in ("/", "/staff/login", f"/i/{path}"):
        page.goto(base_url + url)
        checked[url] = violations(page)
    page.get_by_role("button", name="Бастау").click()  # without consent: an error
    checked["consent error"] = violations(page)
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Бастау").click()
    checked["survey page"] = violations(page)
    page.get_by_role("button", name="Келесі").click()  # nothing answered: errors
    checked["survey page with errors"] = violations(page)
    assert page.locator("[aria-invalid=true]").count() > 0
    assert checked == {name: [] for name in checked}


def test_staff_pages_meet_wcag_aa(browser, base_url, demo_links, app):
    from survey.extensions import db
    from survey.models import Campaign

    open_wave = db.session.scalar(db.select(Campaign.id).filter_by(status="open"))
    page = browser.new_context(locale="ru-RU").new_page()
    page.goto(base_url + "/staff/login")
    page.get_by_label("Электронная почта").fill("admin@qabilet.demo")
    page.get_by_label("Пароль").fill("wrong password")
    page.get_by_role("button", name="Войти").click()
    checked = {"login error": violations(page)}
    page.get_by_label("Пароль").fill("demo-admin-2026")
    page.get_by_role("button", name="Войти").click()
    for url in ("/admin/", f"/admin/campaigns/{open_wave}", "/admin/organisations",
                "/admin/users", "/admin/audit", f"/hr/campaigns/{open_wave}",
                f"/hr/campaigns/{open_wave}/items", f"/trainer/campaigns/{open_wave}"):
        page.goto(base_url + url)
        assert page.locator("h1").count() == 1, url
        checked[url] = violations(page)
    assert checked == {name: [] for name in checked}
