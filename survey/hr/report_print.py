"""The running header and footer of the printable report when the browser prints it: the same
@page margin boxes as the PDF file (:func:`survey.pdf.margin_boxes`) — the campaign and the
reader's name at the top of every page, the date and "page / pages" at the bottom — served as a
print stylesheet of the campaign's own (the Content-Security-Policy allows no inline style)."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from ..access import campaign_scope
from ..i18n import format_day
from ..models._types import utcnow
from ..pdf import margin_boxes
from . import bp

# Room for the header and footer lines, and the font they are printed in.
PAGE = ("@page { size: A4; margin: 18mm 12mm 16mm;"
        " @top-left { font: 8pt sans-serif; color: #4a5361; vertical-align: bottom;"
        " padding-bottom: 3mm; }"
        " @bottom-left { font: 8pt sans-serif; color: #4a5361; vertical-align: top; }"
        " @bottom-right { font: 8pt sans-serif; color: #4a5361; vertical-align: top; } }\n")


def report_header(campaign_title: str) -> tuple[str, str]:
    """(the header line, the footer line) of the report: campaign · reader, today's date."""
    return f"{campaign_title} · {current_user.full_name}", format_day(utcnow())


@bp.get("/campaigns/<int:campaign_id>/report-print.css")
def report_print_css(campaign_id: int) -> Response:
    scope = campaign_scope(campaign_id)
    header, footer = report_header(scope.campaign.title)
    response = Response(PAGE + margin_boxes(header, footer), mimetype="text/css")
    response.headers["Cache-Control"] = "private, no-store"  # the reader's name and the day
    return response
