"""In Debian chromium: every HR, trainer and administration page, in Kazakh on a phone
(360×740) and in Russian on a desktop (1366×768), saved as screenshots under the test's tmp
dir; nothing is wider than the screen. Charts follow the language switcher in the same tab, a
heatmap is shown at its own size on a desktop, and the printed report fits the paper."""

from __future__ import annotations

import re

import pytest

from survey.extensions import db
from survey.models import Invitation
from tests.hr.conftest import PASSWORD
from tests.hr.conftest import world as world  # noqa: F401  (the shared HR fixture)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
PAGES = [  # (name, path) — every GET page of the staff blueprints that is not a file
    ("hr-index", "/hr/"),
    ("hr-dashboard", "/hr/campaigns/{c}"),
    ("hr-dashboard-filtered", "/hr/campaigns/{c}?organisation={alpha}"),
    ("hr-report", "/hr/campaigns/{c}/report"),
    ("hr-items", "/hr/campaigns/{c}/items"),
    ("trainer-index", "/trainer/"),
    ("trainer-plan", "/trainer/campaigns/{c}"),
    ("admin-index", "/admin/"),
    ("admin-campaigns", "/admin/campaigns"),
    ("admin-campaign-new", "/admin/campaigns/new"),
    ("admin-campaign", "/admin/campaigns/{c}"),
    ("admin-campaign-edit", "/admin/campaigns/{c}/edit"),
    ("admin-campaign-close", "/admin/campaigns/{c}/status/closed"),
    ("admin-reissue", "/admin/invitations/{invitation}/reissue"),
    ("admin-questionnaires", "/admin/questionnaires"),
    ("admin-organisations", "/admin/organisations"),
    ("admin-organisation-new", "/admin/organisations/new"),
    ("admin-organisation", "/admin/organisations/{alpha}"),
    ("admin-unit", "/admin/organisations/{alpha}/units/{unit}"),
    ("admin-unit-remove", "/admin/organisations/{alpha}/units/{unit}/remove"),
    ("admin-users", "/admin/users"),
    ("admin-user", "/admin/users/{user}"),
    ("admin-audit", "/admin/audit"),
]


def log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/staff/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("language", "viewport"), [("kk", PHONE), ("ru", DESKTOP)],
                         ids=["kk-phone", "ru-desktop"])
def test_every_staff_page_fits_the_screen(browser, base_url, world, tmp_path, language,
                                          viewport):
    invitation = db.session.scalar(db.select(Invitation).filter_by(
        campaign_id=world.current.id, status="sent")) or db.session.scalar(
        db.select(Invitation).filter_by(campaign_id=world.current.id))
    if invitation.status not in ("new", "sent"):
        invitation.status = "sent"
        db.session.commit()
    ids = {"c": world.current.id, "alpha": world.alpha.id, "invitation": invitation.id,
           "user": world.users["hr_alpha"].id, "unit": world.alpha.units[0].id}
    context = browser.new_context(locale="en-US", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base_url}/language/{language}")
    log_in(page, base_url, "admin@example.kz")
    too_wide = []
    for name, path in PAGES:
        response = page.goto(base_url + path.format(**ids))
        assert response.status == 200, (name, response.status)
        assert page.locator("html").get_attribute("lang") == language
        page.wait_for_load_state("networkidle")
        shot = tmp_path / f"{language}-{viewport['width']}-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 0
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"] + 1:
            culprits = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1
                        && !e.closest('.table-scroll'))
                .slice(0, 3).map(e => e.tagName + '.' + e.className)""", viewport["width"])
            too_wide.append((name, width, culprits))
        # No English word of the interface on a kk or ru page (names and codes aside).
        text = page.locator("main").inner_text()
        for english in ("Campaign", "Invitations", "Status", "Download", "Audit log"):
            assert english not in text, (name, english)
    context.close()
    assert too_wide == [], too_wide


def test_charts_follow_the_language_switcher_in_the_same_tab(page, base_url, world):
    page.set_viewport_size(DESKTOP)
    page.goto(base_url + "/language/kk")
    log_in(page, base_url, "hr@alpha.kz")
    page.goto(f"{base_url}/hr/campaigns/{world.current.id}")
    sources = {}
    for language in ("kk", "ru", "kk"):
        page.locator(f'.language-switcher a[hreflang="{language}"], '
                     f'.language-switcher a[lang="{language}"]').first.click()
        page.wait_for_load_state("networkidle")
        chart = page.locator("figure.chart img").first
        chart.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                               arg=chart.element_handle())
        src = chart.get_attribute("src")
        assert f"lang={language}" in src
        page.reload()
        assert f"lang={language}" in page.locator("figure.chart img").first.get_attribute("src")
        sources.setdefault(language, src)
    assert sources["kk"] != sources["ru"]


def test_a_heatmap_is_shown_at_its_own_size_on_a_desktop(page, base_url, world):
    page.set_viewport_size(DESKTOP)
    page.goto(base_url + "/language/ru")
    log_in(page, base_url, "hr@alpha.kz")
    page.goto(f"{base_url}/hr/campaigns/{world.current.id}")
    heatmap = page.locator('figure.chart img[src*="gaps_units"]')
    heatmap.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                           arg=heatmap.element_handle())
    shown, natural = heatmap.evaluate("(img) => [img.clientWidth, img.naturalWidth]")
    assert shown / natural >= 0.95, (shown, natural)


def test_the_printed_report_cuts_no_column(page, base_url, world, tmp_path):
    page.goto(base_url + "/language/ru")
    log_in(page, base_url, "hr@alpha.kz")
    page.goto(f"{base_url}/hr/campaigns/{world.current.id}/report")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 700, "height": 1000})  # about A4's printable width
    overflowing = page.evaluate("""() => [...document.querySelectorAll('table')]
        .filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(t => t.querySelector('caption')?.innerText || '?')""")
    assert overflowing == []
    pdf = page.pdf(format="A4")
    (tmp_path / "report-print.pdf").write_bytes(pdf)
    assert re.match(rb"%PDF-", pdf)
