"""Campaign pages: list, create, edit, move through draft → open → closed → archived."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..access import (
    campaign_or_403,
    can_manage,
    in_scope,
    organisation_scope,
    scope_clauses,
    visible_campaigns,
)
from ..access import visible_organisations as _visible_organisations
from ..campaigns.delivery import problems as delivery_problems
from ..campaigns.delivery import progress
from ..campaigns.invitations import can_recover
from ..campaigns.lifecycle import (
    TRANSITIONS,
    CampaignSettings,
    change_status,
    check_settings,
    create_campaign,
    has_answers,
    update_campaign,
)
from ..campaigns.problems import ProblemsError
from ..extensions import db
from ..i18n import closing_day, format_day, label_of, local_zone, opening_day
from ..jobs.scheduler import scheduler_state
from ..jobs.tasks import prepare_test_exposure
from ..models import Campaign, Invitation, Questionnaire, QuestionnaireVersion
from ..params import MAX_ID, date_in_range
from ..questionnaires.loader import SURVEY_CODE, TEST_CODE, latest_version
from ..responses.adaptive import exposure_needed_by
from . import bp
from .forms import (
    ActionForm,
    CampaignForm,
    ConfirmImportForm,
    StaffListForm,
    choices,
    show_problems,
)
from .invitation_list import invitation_page


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=local_zone())


def _versions(kind: str) -> list[tuple[int, str]]:
    versions = db.session.scalars(
        db.select(QuestionnaireVersion).join(Questionnaire).where(Questionnaire.kind == kind)
        .order_by(Questionnaire.code, QuestionnaireVersion.number.desc()))
    return choices([(0, _("None"))] + [
        (v.id, f"{v.questionnaire.code} · {_('version %(number)s', number=v.number)}")
        for v in versions])


def _prepare(form: CampaignForm) -> None:
    form.organisations.choices = choices((o.id, f"{o.name} ({o.code})")
                                         for o in _visible_organisations())
    form.survey_version.choices = _versions("survey")
    form.test_version.choices = _versions("test")


def _settings(form: CampaignForm, dates: bool = True) -> CampaignSettings:
    """The form's settings; with ``dates`` False (a date could not be read) placeholder dates
    stand in, for checking the rest."""
    chosen = set(form.organisations.data or [])
    opens, closes = (form.opens.data, form.closes.data) if dates else (date(2000, 1, 1),) * 2
    return CampaignSettings(
        code=(form.code.data or "").strip(),
        titles={"kk": form.title_kk.data or "", "ru": form.title_ru.data or "",
                "en": form.title_en.data or ""},
        organisations=[o for o in _visible_organisations() if o.id in chosen],
        opens_at=start_of(opens), closes_at=start_of(closes + timedelta(days=1)),
        anonymous=form.anonymous.data == "anonymous",
        test_time_limit_minutes=form.time_limit.data,
        test_mode=form.test_mode.data or "linear",
        reminder_days=form.reminder_days.data or "",
        default_language=form.default_language.data,
        survey_version=_version(form.survey_version.data),
        test_version=_version(form.test_version.data))


def _version(value: object) -> QuestionnaireVersion | None:
    """The chosen questionnaire version; None for none chosen or an id no row can have (a
    refused choice is looked up only to check the rest of the form)."""
    if not isinstance(value, int) or not 0 < value <= MAX_ID:
        return None
    return db.session.get(QuestionnaireVersion, value)


def _fields(form: CampaignForm) -> dict:
    return {"code": form.code, "titles": form.title_kk, "dates": form.closes,
            "organisations": form.organisations, "questionnaires": form.survey_version,
            "time_limit": form.time_limit, "anonymous": form.anonymous,
            "test_mode": form.test_mode, "reminder_days": form.reminder_days}


def _show_problems(form: CampaignForm, error: ProblemsError) -> None:
    show_problems(form, error.problems, fields=_fields(form))


def _validate(form: CampaignForm, campaign: Campaign | None) -> bool:
    """Whether the submitted form is valid. When it is not, the campaign's own rules are
    checked too on what could be read (a code already used, no body chosen, closing before
    opening…), so that every problem of the form is shown at once, not one round at a time."""
    if not form.is_submitted():
        return False
    if form.validate():
        return True
    dates = date_in_range(form.opens.data) and date_in_range(form.closes.data)
    fields = _fields(form)
    found = [p for p in check_settings(_settings(form, dates), campaign)
             if (dates or p.where != "dates") and not fields[p.where].errors]
    show_problems(form, found, fields=fields)
    return False


@bp.get("/campaigns")
def campaigns() -> ResponseReturnValue:
    """The campaigns this user may see."""
    return render_template("admin/campaigns.html", campaigns=visible_campaigns())


@bp.route("/campaigns/new", methods=["GET", "POST"])
def new_campaign() -> ResponseReturnValue:
    form = CampaignForm()
    _prepare(form)
    if not form.is_submitted():
        for field, code in ((form.survey_version, SURVEY_CODE), (form.test_version, TEST_CODE)):
            version = latest_version(code)
            field.data = version.id if version else 0
        form.time_limit.data = 45
    if _validate(form, None):
        try:
            campaign = create_campaign(_settings(form))
        except ProblemsError as error:
            db.session.rollback()
            _show_problems(form, error)
        else:
            db.session.commit()
            flash(_("The campaign was created as a draft."), "success")
            return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    return render_template("admin/campaign_form.html", form=form, campaign=None,
                           locked=False), 400 if form.errors or form.is_submitted() else 200


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
def edit_campaign(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id, manage=True)
    form = CampaignForm()
    _prepare(form)
    if not form.is_submitted():
        form.process(data={
            "code": campaign.code, "title_kk": campaign.title_kk, "title_ru": campaign.title_ru,
            "title_en": campaign.title_en, "organisations": [o.id for o in campaign.organisations],
            "opens": opening_day(campaign),
            "closes": closing_day(campaign),
            "anonymous": "anonymous" if campaign.anonymous else "identified",
            "time_limit": campaign.test_time_limit_minutes,
            "test_mode": campaign.test_mode,
            "reminder_days": ", ".join(str(d) for d in campaign.reminder_schedule),
            "default_language": campaign.default_language,
            "survey_version": campaign.survey_version_id or 0,
            "test_version": campaign.test_version_id or 0})
    locked = has_answers(campaign)
    if locked and form.is_submitted():
        _keep_locked(form, campaign)
    if _validate(form, campaign):
        try:
            update_campaign(campaign, _settings(form))
        except ProblemsError as error:
            db.session.rollback()
            _show_problems(form, error)
        else:
            db.session.commit()
            flash(_("The campaign was saved."), "success")
            return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/campaign_form.html", form=form, campaign=campaign,
                           locked=locked,
                           fixed_bodies={o.id for o in campaign.organisations} if locked else set()
                           ), status


# The settings fixed once a campaign has answers: the form shows them disabled, so a browser
# does not send them back.
LOCKED_FIELDS = {"survey_version": lambda c: c.survey_version_id or 0,
                 "test_version": lambda c: c.test_version_id or 0,
                 "anonymous": lambda c: "anonymous" if c.anonymous else "identified",
                 "time_limit": lambda c: c.test_time_limit_minutes,
                 "test_mode": lambda c: c.test_mode}


def _keep_locked(form: CampaignForm, campaign: Campaign) -> None:
    """A locked setting not sent back (its field was disabled) keeps the campaign's value; the
    bodies already in the campaign stay (their boxes were disabled), new ones may be added. A
    locked setting sent back with another value is refused by :func:`update_campaign`."""
    sent = request.form
    for name, value in LOCKED_FIELDS.items():
        if name not in sent:
            field = getattr(form, name)
            field.data = value(campaign)
            field.raw_data = []
    form.organisations.data = sorted({*(form.organisations.data or []),
                                      *(o.id for o in campaign.organisations)})


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int) -> ResponseReturnValue:
    """A campaign: its settings, its invitations by status, and what can be done next."""
    campaign = campaign_or_403(campaign_id)
    clauses = scope_clauses(Invitation.organisation_id, organisation_scope())
    query = db.select(Invitation.status, db.func.count(Invitation.id)).where(
        Invitation.campaign_id == campaign.id, *clauses).group_by(Invitation.status)
    counts = dict(db.session.execute(query).all())
    return render_template(
        "admin/campaign.html", campaign=campaign, counts=counts,
        invitations=invitation_page(campaign), can_recover=can_recover,
        bodies=[o for o in campaign.organisations if in_scope(o.id, organisation_scope())],
        manage=can_manage(campaign), transitions=TRANSITIONS[campaign.status],
        locked=has_answers(campaign), action=ActionForm(), upload=StaffListForm(),
        confirm=ConfirmImportForm(), sends=progress(campaign.id),
        undelivered=delivery_problems(campaign.id), scheduler=scheduler_state())


STATUS_ACTIONS = {"open": _l("Open the campaign"), "closed": _l("Close the campaign"),
                  "archived": _l("Archive the campaign")}


def _status_consequence(campaign: Campaign, target: str) -> str:
    if target == "open":
        return _("Respondents can answer from the opening day until the end of the closing day "
                 "(%(opens)s – %(closes)s). Once anyone has answered, the questionnaires, the "
                 "anonymity mode, the time limit and the bodies can no longer be changed.",
                 opens=format_day(opening_day(campaign)), closes=format_day(closing_day(campaign)))
    if target == "closed":
        return _("Nobody can answer any more. Tests still in progress are finished with the "
                 "answers saved so far. The campaign can be opened again later.")
    return _("The campaign is kept read-only and can no longer be opened.")


@bp.get("/campaigns/<int:campaign_id>/status/<target>")
def confirm_status(campaign_id: int, target: str) -> ResponseReturnValue:
    """Ask before a campaign is opened, closed or archived, saying what follows."""
    campaign = campaign_or_403(campaign_id, manage=True)
    if target not in STATUS_ACTIONS or target not in TRANSITIONS[campaign.status]:
        abort(404)
    return render_template(
        "admin/confirm.html", campaign=campaign, title=str(STATUS_ACTIONS[target]),
        question=_("%(action)s «%(title)s»?", action=STATUS_ACTIONS[target],
                   title=campaign.title),
        consequence=_status_consequence(campaign, target), button=str(STATUS_ACTIONS[target]),
        action_url=url_for("admin.campaign_status", campaign_id=campaign.id, target=target),
        back=url_for("admin.campaign", campaign_id=campaign.id), form=ActionForm())


@bp.post("/campaigns/<int:campaign_id>/status/<target>")
def campaign_status(campaign_id: int, target: str) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id, manage=True)
    if target not in ("open", "closed", "archived"):
        abort(404)
    try:
        change_status(campaign, target)
    except ProblemsError as error:
        db.session.rollback()
        show_problems(None, error.problems[:1])
    else:
        db.session.commit()
        flash(_("The campaign is now: %(status)s.", status=label_of("status", target)), "success")
        version_id = exposure_needed_by(campaign)
        if version_id is not None:  # simulated by the consumer before respondents come
            prepare_test_exposure(version_id)
    return redirect(url_for("admin.campaign", campaign_id=campaign.id))
