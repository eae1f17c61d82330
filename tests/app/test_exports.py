"""The one download helper: every file a staff member saves gets the same headers."""

from __future__ import annotations

from survey.exports import download


def test_a_download_is_never_cached_or_sniffed_and_has_one_charset(app):
    with app.test_request_context():
        response = download(b"a,b\r\n", "qabilet-wave-kk.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename=qabilet-wave-kk.csv'
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_kazakh_filename_is_sent_in_utf8_with_an_ascii_fallback(app):
    with app.test_request_context():
        response = download(b"PK", "Толқын 2026.xlsx")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename=" 2026.xlsx"')
    assert "filename*=UTF-8''%D0%A2%D0%BE%D0%BB%D2%9B%D1%8B%D0%BD%202026.xlsx" in disposition
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")


def test_text_is_sent_as_utf8(app):
    with app.test_request_context():
        response = download("\ufeffаты,email\r\n", "links.csv")
    assert response.data == "\ufeffаты,email\r\n".encode()
