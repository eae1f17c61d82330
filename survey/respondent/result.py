"""The person's own result: as a page, and as a PDF document with their name (or "anonymous
participant"), the campaign and the date on every page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from ..i18n import format_day
from ..pdf import render_pdf
from ..results.personal import personal_result
from . import bp
from .views import resume_url, with_attempt

if TYPE_CHECKING:
    from ..models import Attempt, Campaign

ANONYMOUS = _l("Anonymous participant")


def _context(token: str, attempt: Attempt, campaign: Campaign) -> dict[str, Any]:
    result = personal_result(attempt, campaign)
    who = result.person_name or str(ANONYMOUS)
    date = format_day(attempt.finished_at) if attempt.finished_at else ""
    return {
        "token": token, "campaign": campaign, "result": result, "who": who, "date": date,
        "pdf_header": f"{who} · {campaign.title}",
        "pdf_footer": f"{_l('My result')} · {date}",
    }


@bp.get("/i/<token>/result")
@with_attempt(allow_closed=True)
def result(token: str, attempt: Attempt, campaign: Campaign) -> ResponseReturnValue:
    """The person's own result: culture sub-scores and level, competences against the role,
    missed items explained, courses; printable and downloadable as a PDF document."""
    if attempt.stage != "finished":
        return redirect(resume_url(token, attempt))
    return show_result(token, attempt, campaign, time_up=request.args.get("time_up") == "1")


def show_result(token: str, attempt: Attempt, campaign: Campaign, time_up: bool = False) -> str:
    """The result page; also the answer to the save that finished the attempt, so it names
    its own address for the address bar (``static/address.js``)."""
    return render_template("respondent/result.html", time_up=time_up,
                           address=url_for(".result", token=token),
                           **_context(token, attempt, campaign))


@bp.get("/i/<token>/result.pdf")
@with_attempt(allow_closed=True)
def result_pdf(token: str, attempt: Attempt, campaign: Campaign) -> ResponseReturnValue:
    """The same result as an A4 PDF document (every missed question written out)."""
    if attempt.stage != "finished":
        return redirect(resume_url(token, attempt))
    response = make_response(render_pdf("respondent/result.html", time_up=False,
                                        **_context(token, attempt, campaign)))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = 'inline; filename="result.pdf"'
    return response
