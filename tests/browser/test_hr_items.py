"""In Debian chromium: from the dashboard an administrator opens the item-quality page in
Kazakh, sees the planted weak statement and language-biased question flagged, and downloads
the workbook."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from tests.browser.test_hr_views import log_in
from tests.hr.test_quality import BIASED, WEAK
from tests.hr.test_quality import planted as planted  # noqa: F401  (the item-quality fixture)


def test_the_item_quality_page_from_the_dashboard_in_kazakh(page, base_url, planted, tmp_path):
    campaign = planted[0]
    page.goto(base_url + "/language/kk")
    log_in(page, base_url, "admin@example.kz")
    page.goto(f"{base_url}/hr/campaigns/{campaign.id}")
    page.get_by_role("link", name="Сұрақтар сапасы").click()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("h1").inner_text().startswith("Сұрақтар сапасы")
    review = page.locator("section[aria-labelledby=review-title]")
    assert review.get_by_role("rowheader", name=WEAK).first.is_visible()
    biased = review.locator("tr", has=page.get_by_role("rowheader", name=BIASED)).first
    assert biased.inner_text().strip().endswith("орыс тілі.")
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX жүктеп алу").click()
    path = Path(tmp_path / "items.xlsx")
    info.value.save_as(path)
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert "Тест сұрақтары" in book.sheetnames
