"""The person's own result: as a page, and as a PDF document with their name (or "anonymous
participant"), the campaign and the date on every page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import make_response, redirect, request
from flask.typing import ResponseReturnValue

from ..pdf import render_pdf
from . import bp
from .resultpage import result_context, show_result
from .views import resume_url, with_attempt

if TYPE_CHECKING:
    from ..models import Attempt, Campaign


@bp.get("/i/<token>/result")
@with_attempt(allow_closed=True)
def result(token: str, attempt: Attempt, campaign: Campaign) -> ResponseReturnValue:
    """The person's own result: culture sub-scores and level, competences against the role,
    missed items explained, courses; printable and downloadable as a PDF document."""
    if attempt.stage != "finished":
        return redirect(resume_url(token, attempt))
    return show_result(token, attempt, campaign, time_up=request.args.get("time_up") == "1")


@bp.get("/i/<token>/result.pdf")
@with_attempt(allow_closed=True)
def result_pdf(token: str, attempt: Attempt, campaign: Campaign) -> ResponseReturnValue:
    """The same result as an A4 PDF document (every missed question written out)."""
    if attempt.stage != "finished":
        return redirect(resume_url(token, attempt))
    response = make_response(render_pdf("respondent/result.html", time_up=False,
                                        **result_context(token, attempt, campaign)))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = 'inline; filename="result.pdf"'
    return response
