"""Respondent pages: invitation landing, survey pages, and what the test pages share with them.

The token in the URL is the credential: no login and no session are needed, so the same link
resumes on any device. A GET never writes to the database; each POST is one transaction.
A page saved with "next" or "back" answers with the page it leads to, rendered in the same
transaction, rather than with a redirect to it: one request per page instead of two. The
page's form posts to its own address, and ``static/address.js`` puts that address in the
address bar, so that reloading, bookmarking and the language switcher act on the page shown.
These forms are exempt from CSRF tokens on purpose: a forged request would need the secret
link itself, and a CSRF token kept in the session would make an answer posted after the
browser was closed (or from another device) fail instead of being saved.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from flask import redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..errors import render_error
from ..extensions import csrf, db
from ..i18n import LANGUAGE_CODES, pick, select_locale
from ..models._types import utcnow
from ..responses import attempts as ops
from ..responses.layout import layout
from . import bp
from .pages import questions, read_page, split_saved, test_length, time_estimate
from .resultpage import show_result

if TYPE_CHECKING:
    from ..models import Attempt, Campaign, Invitation
    from ..responses.layout import ItemView, Layout

    Pages = tuple[tuple[int, ...], ...]
    AttemptView = Callable[..., ResponseReturnValue]  # (token, attempt, campaign, **kwargs)
    RoutedView = Callable[..., ResponseReturnValue]  # (token, **kwargs)

csrf.exempt(bp)

LIKERT_FALLBACK = (
    _l("Strongly disagree"), _l("Disagree"), _l("Neither agree nor disagree"), _l("Agree"),
    _l("Strongly agree"),
)
CONSENT_MISSING = _l("Please confirm that you agree to take part.")


def language_for(attempt: Attempt | None = None, campaign: Campaign | None = None,
                 invitation: Invitation | None = None) -> str:
    """The switcher's explicit choice, else the attempt's language, else the invitation's or
    the campaign's default (never a guess from the browser once a campaign is known).

    Once the test has started its language is fixed: the questions never change language
    half-way, whatever the switcher says (the test pages show no switcher)."""
    if attempt is not None and in_started_test(attempt):
        return attempt.language
    chosen = session.get("lang")
    if chosen in LANGUAGE_CODES:
        return chosen
    if attempt is not None:
        return attempt.language
    if invitation is not None and invitation.language:
        return invitation.language
    return campaign.default_language if campaign is not None else select_locale()


def not_found() -> tuple[str, int]:
    return render_error(404, str(_l("This invitation link is not valid. Please check that you "
                                    "copied the whole link, or ask your HR unit for a new one.")))


def notice(kind: str, token: str, campaign: Campaign, status: int = 200,
           **context: Any) -> tuple[str, int]:
    return render_template("respondent/notice.html", kind=kind, token=token,
                           campaign=campaign, **context), status


def resume_url(token: str, attempt: Attempt) -> str:
    """Where the person stopped."""
    if attempt.stage == "finished":
        return url_for(".result", token=token)
    if attempt.stage == "survey":
        return url_for(".survey_page", token=token, page=max(attempt.page, 1))
    if attempt.test_started_at is None:
        return url_for(".test_intro", token=token)
    return url_for(".test_page", token=token, page=max(attempt.page, 1))


def in_started_test(attempt: Attempt | None) -> bool:
    """Taking the test, not yet finished: after a close it can still be finished as it stands."""
    return attempt is not None and attempt.stage == "test" and attempt.test_started_at is not None


def with_attempt(allow_closed: bool = False) -> Callable[[AttemptView], RoutedView]:
    """Find the link's attempt (one query), pick the page language, refuse closed campaigns."""

    def decorate(view: AttemptView) -> RoutedView:
        @wraps(view)
        def wrapper(token: str, **kwargs: Any) -> ResponseReturnValue:
            found = ops.find_attempt(token)
            if found is None:
                if ops.find_invitation(token) is not None:
                    return redirect(url_for(".landing", token=token))
                with force_locale(language_for()):
                    return not_found()
            attempt, campaign = found
            with force_locale(language_for(attempt, campaign)):
                if not allow_closed and not campaign.is_open_at(utcnow()):
                    return notice("closed", token, campaign, 410,
                                  unfinished_test=in_started_test(attempt))
                return view(token, attempt, campaign, **kwargs)

        return wrapper

    return decorate


# --- landing and consent --------------------------------------------------------------------

@bp.route("/i/<token>", methods=["GET", "POST"])
def landing(token: str) -> ResponseReturnValue:
    """Purpose, time, privacy and consent; a started attempt goes straight back where it was."""
    found = ops.find_attempt(token)
    if found is not None:
        attempt, campaign = found
        if request.method == "GET" or attempt.stage == "finished":
            with force_locale(language_for(attempt, campaign)):
                if attempt.stage == "finished":
                    return notice("finished", token, campaign)
                if not campaign.is_open_at(utcnow()):
                    return notice("closed", token, campaign, 410,
                                  unfinished_test=in_started_test(attempt))
        return redirect(resume_url(token, attempt))
    invited = ops.find_invitation(token)
    if invited is None:
        with force_locale(language_for()):
            return not_found()
    invitation, campaign = invited
    language = language_for(campaign=campaign, invitation=invitation)
    with force_locale(language):
        now = utcnow()
        if not campaign.is_open_at(now):
            return notice("not_yet" if now < campaign.opens_at else "closed", token, campaign,
                          200 if now < campaign.opens_at else 410)
        error = None
        if request.method == "POST":
            if request.form.get("consent") == "yes":
                ops.start_attempt(invitation, campaign, token, language)
                attempt, campaign = ops.find_attempt(token)
                if attempt.stage != "survey":  # a test-only campaign: the test's intro
                    db.session.commit()
                    return redirect(resume_url(token, attempt))
                return committed(show_survey_page(token, attempt, campaign, 1, reached=0))
            error = CONSENT_MISSING
        survey = layout(campaign.survey_version_id) if campaign.survey_version_id else None
        test = layout(campaign.test_version_id) if campaign.test_version_id else None
        return render_template(
            "respondent/landing.html", token=token, campaign=campaign, error=error,
            survey=survey, estimate=time_estimate(survey, campaign), test=test,
            test_count=test_length(test, campaign) if test else 0,
            adaptive=campaign.test_mode == "adaptive",
        ), 422 if error else 200


@bp.get("/i/<token>/saved")
@with_attempt()
def saved(token: str, attempt: Attempt, campaign: Campaign) -> ResponseReturnValue:
    """Saved for later; during the test it says that the clock keeps running, and how long."""
    context: dict[str, object] = {}
    if in_started_test(attempt) and attempt.test_deadline is not None:
        context["seconds_left"] = seconds_left(attempt)
        context["deadline"] = attempt.test_deadline
    return notice("saved", token, campaign, resume=resume_url(token, attempt),
                  in_test=in_started_test(attempt), **context)


# --- survey ---------------------------------------------------------------------------------

def likert_labels(survey: Layout) -> list[str]:
    scale = survey.definition.get("response_scale") or []
    if len(scale) == 5:
        return [pick(point.get("label")) for point in scale]
    return [str(label) for label in LIKERT_FALLBACK]


def true_false_labels() -> tuple[str, str]:
    return str(_l("True")), str(_l("False"))


def seconds_left(attempt: Attempt) -> int:
    """Whole seconds to the test's deadline, rounded up, never below zero."""
    assert attempt.test_deadline is not None
    return max(0, math.ceil((attempt.test_deadline - utcnow()).total_seconds()))


def committed(page: tuple[str, int]) -> tuple[str, int]:
    """Commit the save, then answer with the page rendered inside its transaction (after the
    commit every loaded row would be read again just to render it). Nothing is acknowledged
    before the commit: if it fails, the person gets the error page, not the next page."""
    db.session.commit()
    return page


def render_page(token: str, attempt: Attempt, campaign: Campaign, kind: str, page: int,
                pages: Pages, items: list[ItemView], saved_values: dict[int, list[str]],
                errors: dict[int, object], status: int = 200,
                adaptive_of: int | None = None) -> tuple[str, int]:
    """A survey or test page; ``adaptive_of``: the adaptive test's maximum length (one item a
    page, numbered by how many came before). The form posts to the page's own address, which
    is not the request's when a save answers with the next page."""
    version = layout(campaign.survey_version_id if kind == "survey" else campaign.test_version_id)
    first = page if adaptive_of else sum(len(p) for p in pages[:page - 1]) + 1
    context = {}
    if kind == "test" and attempt.test_deadline is not None:
        context["seconds_left"] = seconds_left(attempt)
    scale_name = scale_intro = None
    rating = version.definition.get("self_rating") or {}
    if kind == "survey" and items and items[0].scale:
        scale_name = pick(version.scale_names().get(items[0].scale))
    elif kind == "survey" and items and items[0].type == "self_rating":
        scale_name, scale_intro = pick(rating.get("title")), pick(rating.get("intro"))
    return render_template(
        f"respondent/{kind}_page.html",
        token=token, campaign=campaign, attempt=attempt, page=page,
        address=url_for(f".{kind}_page", token=token, page=page),
        page_count=adaptive_of or len(pages), adaptive=bool(adaptive_of),
        title=version.definition.get("title"), intro=version.definition.get("intro"),
        scale_name=scale_name, errors=errors,
        questions=questions(items, saved_values, errors, attempt.seed, first,
                            likert_labels(version) if kind == "survey" else [],
                            true_false_labels(),
                            [pick(p.get("label")) for p in rating.get("response_scale") or []]),
        scale_intro=scale_intro,
        **context,
    ), status


def page_items(version: Layout, pages: Pages, page: int) -> list[ItemView]:
    return [version.items[i] for i in pages[page - 1]]


def show_survey_page(token: str, attempt: Attempt, campaign: Campaign, page: int,
                     reached: int | None = None) -> tuple[str, int]:
    """A survey page with its saved answers, as a GET shows it. ``reached``: the furthest
    page the person had reached before this save; answers are only ever saved on a page
    reached, so a page beyond it has none and they are not read."""
    survey = layout(campaign.survey_version_id)
    pages = survey.survey_pages
    items = page_items(survey, pages, page)
    saved_values = (split_saved(ops.answers_for(attempt.id, [i.id for i in items]))
                    if reached is None or page <= reached else {})
    return render_page(token, attempt, campaign, "survey", page, pages, items, saved_values, {})


@bp.route("/i/<token>/survey/<int:page>", methods=["GET", "POST"])
@with_attempt()
def survey_page(token: str, attempt: Attempt, campaign: Campaign,
                page: int) -> ResponseReturnValue:
    """A page of the survey (one scale); "next" needs every statement answered. Whatever
    the button, the answers given are saved: "next" with a statement left stays on the page,
    with the answered ones kept and the missing ones pointed out."""
    if attempt.stage != "survey":
        return redirect(resume_url(token, attempt))
    survey = layout(campaign.survey_version_id)
    pages = survey.survey_pages
    if not 1 <= page <= min(attempt.page, len(pages)):
        return redirect(resume_url(token, attempt))
    if request.method == "GET":
        return show_survey_page(token, attempt, campaign, page)
    items = page_items(survey, pages, page)
    action = request.form.get("action", "next")
    language = language_for(attempt, campaign)
    posted = read_page(items, request.form, require_all=action == "next")
    stay = action == "next" and bool(posted.errors)
    last = action == "next" and page == len(pages) and not stay
    if not ops.hold_stage(attempt.id, "survey", language,
                          page + 1 if action == "next" and not last and not stay else None):
        db.session.rollback()
        return redirect(resume_url(token, attempt))
    ops.save_answers(attempt.id, posted.values, posted.cleared)
    if stay:
        db.session.commit()
        return render_page(token, attempt, campaign, "survey", page, pages, items, posted.raw,
                           posted.errors, 422)
    if last:
        ops.finish_survey(attempt, campaign, token, language)
        if campaign.test_version_id is None:  # finished: the result itself
            return committed((show_result(token, attempt, campaign), 200))
    elif action in ("next", "back"):
        return committed(show_survey_page(token, attempt, campaign, next_page(action, page),
                                          reached=attempt.page))
    db.session.commit()
    done = action == "next" and page == len(pages)
    return after_save(token, action, "survey", None if done else page, campaign)


def next_page(action: str, page: int) -> int:
    """The page a saved "next" or "back" leads to."""
    return max(page - 1, 1) if action == "back" else page + 1


def after_save(token: str, action: str, kind: str, page: int | None,
               campaign: Campaign) -> Response:
    """Where a saved page leads, known without another query."""
    endpoint = ".survey_page" if kind == "survey" else ".test_page"
    if action == "back":
        return redirect(url_for(endpoint, token=token, page=max(page - 1, 1)))
    if action == "later":
        return redirect(url_for(".saved", token=token))
    if page is None:  # the survey is done
        endpoint = ".test_intro" if campaign.test_version_id else ".result"
        return redirect(url_for(endpoint, token=token))
    return redirect(url_for(endpoint, token=token, page=page + 1))
