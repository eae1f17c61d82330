"""The test pages: intro, linear pages, adaptive items, the finish review and finishing.

The clock starts with the intro's button and never restarts; the server keeps the deadline
(``static/timer.js`` only shows it and, at zero, sends the page with action "timeout").
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from ..extensions import db
from ..models._types import utcnow
from ..responses import attempts as ops
from ..responses.adaptive import adaptive_state
from ..responses.layout import layout
from . import bp
from .pages import read_page, split_saved, test_length, unanswered_questions
from .views import (
    after_save,
    committed,
    language_for,
    next_page,
    notice,
    page_items,
    render_page,
    resume_url,
    seconds_left,
    with_attempt,
)

if TYPE_CHECKING:
    from ..models import Attempt, Campaign
    from .views import Pages

TIMER_SLACK_SECONDS = 5  # a page the timer posts this close to the deadline ends the test


@bp.route("/i/<token>/test", methods=["GET", "POST"])
@with_attempt()
def test_intro(token: str, attempt: Attempt, campaign: Campaign) -> ResponseReturnValue:
    """What the test is and how long it takes; the clock starts with the button."""
    if attempt.stage != "test" or attempt.test_started_at is not None:
        return redirect(resume_url(token, attempt))
    if request.method == "POST":
        ops.start_test(attempt, campaign, language_for(attempt, campaign))
        db.session.commit()
        return redirect(url_for(".test_page", token=token, page=1))
    test = layout(campaign.test_version_id)
    adaptive = campaign.test_mode == "adaptive"
    return render_template("respondent/test_intro.html", token=token, campaign=campaign,
                           test=test, adaptive=adaptive, item_count=test_length(test, campaign))


@bp.route("/i/<token>/test/<int:page>", methods=["GET", "POST"])
@with_attempt()
def test_page(token: str, attempt: Attempt, campaign: Campaign,
              page: int) -> ResponseReturnValue:
    """A page of the test. After the deadline nothing more is saved and the attempt finishes.

    "Finish the test" on the last page saves it and leads to the review, which asks to confirm
    and lists the questions left unanswered; "timeout" is what the timer sends at zero."""
    if attempt.stage != "test" or attempt.test_started_at is None:
        return redirect(resume_url(token, attempt))
    if ops.time_is_up(attempt, utcnow(),
                      current_app.config["RESPONDENT_DEADLINE_GRACE_SECONDS"]):
        if request.method == "POST":
            return finish_now(token, attempt, campaign, time_up=True)
        return notice("time_up", token, campaign, in_test=True)
    if campaign.test_mode == "adaptive":
        return adaptive_page(token, attempt, campaign, page)
    test = layout(campaign.test_version_id)
    pages = test.test_pages(attempt.seed)
    if not 1 <= page <= min(attempt.page, len(pages)):
        return redirect(resume_url(token, attempt))
    if request.method == "GET":
        return show_test_page(token, attempt, campaign, page, pages)
    items = page_items(test, pages, page)
    action = request.form.get("action", "next")
    posted = read_page(items, request.form, require_all=False)
    stay = bool(posted.errors) and action != "timeout"
    last = action in ("next", "finish") and page == len(pages)
    if not ops.hold_stage(attempt.id, "test", language_for(attempt, campaign),
                          page + 1 if action == "next" and not last and not stay else None):
        # Finished meanwhile (another tab, the timer, the campaign closing): not saved.
        db.session.rollback()
        return redirect(url_for(".result", token=token))
    ops.save_answers(attempt.id, posted.values, posted.cleared)
    if action == "timeout":
        return finish_now(token, attempt, campaign, time_up=True)
    if stay:
        return committed(render_page(token, attempt, campaign, "test", page, pages, items,
                                     posted.raw, posted.errors, 422))
    if not last and action in ("next", "back"):
        return committed(show_test_page(token, attempt, campaign, next_page(action, page),
                                        pages, reached=attempt.page))
    db.session.commit()
    if last:
        return redirect(url_for(".review", token=token))
    return after_save(token, action, "test", page, campaign)


def show_test_page(token: str, attempt: Attempt, campaign: Campaign, page: int,
                   pages: Pages, reached: int | None = None) -> tuple[str, int]:
    """A linear test page with its saved answers, as a GET shows it (``reached``: as for
    the survey's pages, a page beyond it has no saved answers to read)."""
    items = page_items(layout(campaign.test_version_id), pages, page)
    saved_values = (split_saved(ops.answers_for(attempt.id, [i.id for i in items]))
                    if reached is None or page <= reached else {})
    return render_page(token, attempt, campaign, "test", page, pages, items, saved_values, {})


def adaptive_page(token: str, attempt: Attempt, campaign: Campaign,
                  page: int) -> ResponseReturnValue:
    """One item of an adaptive test: the server picks it from the stored answers and the seed.

    Each item must be answered before the next is picked (there is no going back); the test
    ends when the rules say so — target standard error or maximum length — and then leads to
    the review, which asks to confirm. "timeout" (the timer at zero) saves a chosen answer and
    finishes."""
    state = adaptive_state(attempt, campaign)
    if state.item is None:
        return redirect(url_for(".review", token=token))
    current = state.answered + 1
    if page != current:
        return redirect(url_for(".test_page", token=token, page=current))
    items = [state.item]

    def render(saved_values: dict[int, list[str]], errors: dict[int, object],
               status: int = 200) -> tuple[str, int]:
        return render_page(token, attempt, campaign, "test", current, (), items, saved_values,
                           errors, status, adaptive_of=state.max_items)

    if request.method == "GET":
        return render({}, {})
    action = request.form.get("action", "next")
    posted = read_page(items, request.form, require_all=action != "later")
    if posted.errors and action not in ("later", "timeout"):
        if ops.time_is_up(attempt, utcnow() + timedelta(seconds=TIMER_SLACK_SECONDS)):
            # The page's timer submitted it at zero with no answer: the test ends.
            return finish_now(token, attempt, campaign, time_up=True)
        return render(posted.raw, posted.errors, 422)
    if not ops.hold_stage(attempt.id, "test", language_for(attempt, campaign),
                          None if action == "later" else current + 1):
        db.session.rollback()
        return redirect(url_for(".result", token=token))
    if not posted.errors:
        ops.save_answers(attempt.id, posted.values, [])
    if action == "timeout":
        return finish_now(token, attempt, campaign, time_up=True)
    if action != "later":
        # The next item, picked from the answers this transaction has just saved.
        after = adaptive_state(attempt, campaign)
        if after.item is not None:
            return committed(render_page(token, attempt, campaign, "test", after.answered + 1,
                                         (), [after.item], {}, {},
                                         adaptive_of=after.max_items))
    db.session.commit()
    if action == "later":
        return redirect(url_for(".saved", token=token))
    return redirect(url_for(".review", token=token))


@bp.get("/i/<token>/test/review")
@with_attempt()
def review(token: str, attempt: Attempt, campaign: Campaign) -> ResponseReturnValue:
    """Before finishing: how many of the presented questions are unanswered, each with a link
    to its page. An adaptive test comes here once its rules have ended it (every presented
    item is answered, and there is no going back)."""
    if attempt.stage != "test" or attempt.test_started_at is None:
        return redirect(resume_url(token, attempt))
    if ops.time_is_up(attempt, utcnow(),
                      current_app.config["RESPONDENT_DEADLINE_GRACE_SECONDS"]):
        return notice("time_up", token, campaign, in_test=True)
    left = seconds_left(attempt) if attempt.test_deadline is not None else None
    if campaign.test_mode == "adaptive":
        state = adaptive_state(attempt, campaign)
        if state.item is not None:  # not over yet: the current item
            return redirect(url_for(".test_page", token=token, page=state.answered + 1))
        return render_template("respondent/review.html", token=token, campaign=campaign,
                               unanswered=[], item_count=state.answered, adaptive=True,
                               page_count=state.answered, seconds_left=left)
    test = layout(campaign.test_version_id)
    pages = test.test_pages(attempt.seed)
    presented = [test.items[index].id for page in pages for index in page]
    unanswered = unanswered_questions(test, pages, ops.answers_for(attempt.id, presented))
    return render_template("respondent/review.html", token=token, campaign=campaign,
                           unanswered=unanswered, item_count=len(presented), adaptive=False,
                           page_count=len(pages), seconds_left=left)


@bp.post("/i/<token>/finish")
@with_attempt(allow_closed=True)
def finish(token: str, attempt: Attempt, campaign: Campaign) -> ResponseReturnValue:
    """Finish once the time has run out (or when the person chooses to), with what was saved;
    also after the campaign closed, when nothing more can be answered anyway."""
    if attempt.stage != "test" or attempt.test_started_at is None:
        return redirect(resume_url(token, attempt))
    return finish_now(token, attempt, campaign,
                      time_up=ops.time_is_up(attempt, utcnow())
                      or request.form.get("action") == "timeout")


def finish_now(token: str, attempt: Attempt, campaign: Campaign,
               time_up: bool = False) -> Response:
    ops.finish_attempt(attempt, token, language_for(attempt, campaign))
    db.session.commit()
    return redirect(url_for(".result", token=token, time_up=1 if time_up else None))
