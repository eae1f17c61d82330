"""An assessor rates a body in Kazakh in a real browser: opens an assessment, rates the
criteria, adds evidence, saves, submits; a second assessor confirms; the maturity page shows
the index and its radar; and the assessor's pages pass axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from survey.accounts.users import create_user
from survey.extensions import db

from .test_accessibility import violations

PASSWORD = "correct-horse-battery"


@pytest.fixture
def ministry(app, runner):
    result = runner.invoke(args=["demo", "--respondents", "60"])
    assert result.exit_code == 0, result.output
    from survey.models import Organisation

    mdd = db.session.scalar(db.select(Organisation).filter_by(code="mdd"))
    create_user("second@qabilet.demo", "Арман Беков", PASSWORD, "assessor", [mdd])
    db.session.commit()
    return mdd


def log_in(page, base_url, email, password):
    page.goto(base_url + "/language/kk")
    page.goto(base_url + "/staff/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/assessor/**")


def test_an_assessor_rates_submits_and_a_colleague_confirms_in_kazakh(browser, base_url,
                                                                      ministry):
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base_url, "assessor@qabilet.demo", "demo-assessor-2026")
    checked = {"index": violations(page)}
    later = date.today() + timedelta(days=800)
    page.goto(f"{base_url}/assessor/bodies/{ministry.id}/assessments/new")
    checked["new"] = violations(page)
    page.get_by_label("Кезеңнің басы").fill(later.isoformat())
    page.get_by_label("Кезеңнің соңғы күні (қоса алғанда)").fill(
        (later + timedelta(days=180)).isoformat())
    page.get_by_role("button", name="Бағалауды бастау").click()
    page.wait_for_selector("fieldset.criterion")
    checked["draft"] = violations(page)
    criteria = page.locator("fieldset.criterion")
    first = criteria.first
    first.locator("input[type=radio][value='4']").check()
    first.locator("textarea").fill("Жол картасы бекітілген")
    first.get_by_label("Құжат немесе сұхбат").fill("Цифрлық трансформация жол картасы")
    page.get_by_role("button", name="Жобаны сақтау").click()
    assert "Жоба сақталды." in page.content()
    assert page.locator("fieldset.criterion").first.locator(
        "input[type=radio][value='4']").is_checked()
    page.get_by_role("button", name="Тексеруге жіберу").click()  # the others are unrated
    assert page.locator("[role=alert]").inner_text().startswith("Жібермес бұрын")
    checked["error"] = violations(page)
    criteria = page.locator("fieldset.criterion")
    for index in range(1, criteria.count()):
        criteria.nth(index).locator("input[type=radio][value='3']").check()
    page.get_by_role("button", name="Тексеруге жіберу").click()
    assert "Бағалау тексеруге жіберілді." in page.content()
    url = page.url
    context.close()

    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base_url, "second@qabilet.demo", PASSWORD)
    page.goto(url)
    checked["review"] = violations(page)
    page.get_by_role("button", name="Бағалауды растау").click()
    assert "Бағалау расталды" in page.content()
    page.goto(f"{base_url}/assessor/bodies/{ministry.id}/maturity")
    assert page.locator("h1").inner_text().startswith("Цифрлық жетілудің жиынтық деңгейі")
    image = page.locator("figure.chart img")
    assert ".kk.png" in image.get_attribute("src")
    page.wait_for_function("() => document.querySelector('figure.chart img').complete")
    assert page.evaluate("() => document.querySelector('figure.chart img').naturalWidth") > 0
    checked["maturity"] = violations(page)
    for path in (f"/assessor/bodies/{ministry.id}/history", "/assessor/benchmark",
                 f"/assessor/bodies/{ministry.id}/report"):
        page.goto(base_url + path)
        assert page.locator("h1").count() == 1, path
        checked[path] = violations(page)
    context.close()
    assert checked == {name: [] for name in checked}
