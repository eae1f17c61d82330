"""The HR report as a real PDF: A4, nothing cut at the right, the campaign, the reader's name and
the date on every page — checked by rendering the pages to images and reading their words."""

from __future__ import annotations

import pytest

from tests.pdfcheck import check_pdf


@pytest.mark.parametrize(("language", "footer"), [("kk", "жылғы"), ("ru", "г.")])
def test_the_report_pdf_is_a4_with_nothing_cut(world, client, auth, tmp_path, language, footer):
    auth.as_("hr@alpha.kz", language)
    response = client.get(f"/hr/campaigns/{world.current.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data[:5] == b"%PDF-"
    pages = check_pdf(response.data, tmp_path, footer, name=f"report-{language}")
    assert pages.count >= 2
    for text in pages.texts:
        flat = " ".join(text.split())
        assert world.current.title_kk[:10] in flat or world.current.title_ru[:10] in flat
        assert "Айгүл Сейітова" in flat
    # The widest table, units × competences, is there with its last column.
    whole = " ".join(" ".join(t.split()) for t in pages.texts)
    assert "%" in whole
    # The embedded charts are pictures, not refused fetches: the pages are not blank.
    assert all(image.stat().st_size > 2000 for image in pages.images)


def test_the_printable_page_links_its_pdf(world, client, auth):
    auth.as_("hr@alpha.kz", "ru")
    page = client.get(f"/hr/campaigns/{world.current.id}/report").get_data(as_text=True)
    assert f"/hr/campaigns/{world.current.id}/report.pdf" in page
    # Charts on the page carry the language, so a browser never reuses another language's.
    assert "lang=ru" in page
