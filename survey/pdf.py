"""Printable documents as real PDF files, rendered by WeasyPrint from the pages' own templates.

``render_pdf("respondent/result.html", **context)`` renders the template exactly as the page
does, with ``pdf=True`` in the context (templates leave out buttons and navigation with it), and
lays it out for A4 with ``survey/static/print.css``. The font is DejaVu Sans, which has every
Kazakh letter. Each page carries a running header and footer in the @page margin boxes:

* ``pdf_header`` — the top line, e.g. "Айгүл Серікқызы · Сауалнама кезеңі 2026";
* ``pdf_footer`` — the bottom-left line, e.g. "2026 жылғы 15 наурыз"; the page number
  ("2 / 5") is printed at the bottom right.

Nothing is fetched over the network: stylesheets and images are read from the static folder,
any other address is refused.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from flask import current_app, render_template

PRINT_CSS = "print.css"


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string (quotes, backslashes and line breaks escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(escaped.split()) + '"'


def margin_boxes(header: str, footer: str) -> str:
    """The @page rule printing ``header`` at the top, ``footer`` and "page / pages" at the
    bottom of every page (WeasyPrint, and the browser's print of the same page)."""
    return (
        "@page {"
        f" @top-left {{ content: {_css_string(header)}; }}"
        f" @bottom-left {{ content: {_css_string(footer)}; }}"
        ' @bottom-right { content: counter(page) " / " counter(pages); }'
        " }"
    )


def _static_fetcher(static_folder: Path) -> Any:
    """A WeasyPrint URL fetcher that serves ``/static/…`` from the app's static folder and
    ``data:`` URLs (embedded pictures); any other address is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = static_folder.resolve()

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            marker = "/static/"
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if marker in url:
                path = (root / url.split(marker, 1)[1].split("?", 1)[0]).resolve()
                if path.is_relative_to(root) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=path.read_bytes(),
                                              headers={"Content-Type": kind})
            raise ValueError(f"not fetched for a PDF: {url}")

    return StaticFetcher()


def render_pdf(template_name: str, **context: Any) -> bytes:
    """The template rendered with ``context`` (plus ``pdf=True``) as an A4 PDF document."""
    from weasyprint import CSS, HTML

    header = str(context.get("pdf_header") or "")
    footer = str(context.get("pdf_footer") or "")
    html = render_template(template_name, pdf=True, **context)
    static = Path(current_app.static_folder or "")
    fetcher = _static_fetcher(static)
    document = HTML(string=html, base_url=str(static) + "/", url_fetcher=fetcher)
    stylesheets = [
        CSS(filename=str(static / PRINT_CSS), url_fetcher=fetcher),
        CSS(string=margin_boxes(header, footer)),
    ]
    return document.write_pdf(stylesheets=stylesheets)
