"""The person's own result as rendered: the page (also the answer to the save that finished
the attempt) and the context the PDF shares with it. No routes here, so the survey pages and
the result routes can both build on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from ..i18n import format_day
from ..results.personal import personal_result

if TYPE_CHECKING:
    from ..models import Attempt, Campaign

ANONYMOUS = _l("Anonymous participant")


def result_context(token: str, attempt: Attempt, campaign: Campaign) -> dict[str, Any]:
    result = personal_result(attempt, campaign)
    who = result.person_name or str(ANONYMOUS)
    date = format_day(attempt.finished_at) if attempt.finished_at else ""
    return {
        "token": token, "campaign": campaign, "result": result, "who": who, "date": date,
        "pdf_header": f"{who} · {campaign.title}",
        "pdf_footer": f"{_l('My result')} · {date}",
    }


def show_result(token: str, attempt: Attempt, campaign: Campaign, time_up: bool = False) -> str:
    """The result page; also the answer to the save that finished the attempt, so it names
    its own address for the address bar (``static/address.js``)."""
    return render_template("respondent/result.html", time_up=time_up,
                           address=url_for("respondent.result", token=token),
                           **result_context(token, attempt, campaign))
