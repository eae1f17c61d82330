"""Trainer pages: campaigns, the training plan of a campaign (filtered like the HR dashboard)
and its exports. Access is checked by :func:`survey.access.campaign_scope`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import exports
from ..access import Scope, campaign_scope, filter_args, scope_choices, visible_campaigns
from ..exports import HIDDEN, Table
from ..i18n import GOVERNANCE_LEVEL_LABELS, SECTOR_LABELS
from ..models.org import GOVERNANCE_LEVELS, SECTORS
from ..questionnaires.reference import catalogue_courses, maturity_model
from ..results import frames
from ..results.dashboard import safe_rows, scored
from ..results.plan import Plan, build_plan
from . import bp

if TYPE_CHECKING:
    from ..results.frames import CampaignFrame


def load_plan(scope: Scope) -> tuple[object, Plan]:
    """The campaign's frame and the plan for the scope and filters."""
    model = maturity_model().model
    frame = frames.load_campaign(scope.campaign)
    courses = catalogue_courses([c.id for c in frame.layout.competences])
    rows, _withheld = safe_rows(frame, scope.filters, scope.k)
    plan = build_plan(frame, scored(frame, model), rows, courses, scope.k)
    return frame, plan


def plan_tables(frame: CampaignFrame, plan: Plan) -> list[Table]:
    """The plan as two tables: courses (ordered by priority) and cohorts."""
    names = [c.name for c in frame.layout.competences]
    course_h = _("Course")
    courses = Table("plan", _("Training plan"), [
        (_("Order"), "int"), (course_h, "text"), (_("Competences"), "text"), (_("Levels"), "text"),
        (_("People"), "int"), (_("Class capacity"), "int"), (_("Classes"), "int"),
        (_("Hours per class"), "int"), (_("Teaching hours"), "int"), (_("Priority"), "score")])
    cohorts = Table("cohorts", _("Cohorts"), [
        (course_h, "text"), (_("Class"), "int"), (_("Units"), "text"), (_("People"), "int")])
    for order, item in enumerate(plan.courses, start=1):
        c = item.course
        courses.rows.append([order, c.title, ", ".join(names[i] for i in c.competences),
                             f"{c.level_from} → {c.level_to}",
                             HIDDEN if item.people is None else item.people, c.capacity,
                             item.classes, c.hours, item.hours, item.priority])
        for number, cohort in enumerate(item.cohorts, start=1):
            units = "; ".join(name if count is None else f"{name} ({count})"
                              for name, count in cohort.units)
            cohorts.rows.append([c.title, number, units,
                                 HIDDEN if cohort.size is None else cohort.size])
    courses.note = _("Total: %(classes)s classes, %(hours)s teaching hours.",
                     classes=plan.total_classes, hours=plan.total_hours)
    return [courses, cohorts]


@bp.get("/")
def index() -> ResponseReturnValue:
    """Campaigns of the organisations this user may see."""
    return render_template("trainer/index.html", campaigns=visible_campaigns())


@bp.get("/campaigns/<int:campaign_id>")
def plan(campaign_id: int) -> ResponseReturnValue:
    """The training plan of a campaign for the chosen filters."""
    scope = campaign_scope(campaign_id)
    frame, built = load_plan(scope)
    choices = {
        **scope_choices(scope, frame.layout),
        "governance_levels": [(c, GOVERNANCE_LEVEL_LABELS[c]) for c in GOVERNANCE_LEVELS],
        "sectors": [(c, SECTOR_LABELS[c]) for c in SECTORS],
    }
    return render_template("trainer/plan.html", scope=scope, campaign=scope.campaign, plan=built,
                           tables=plan_tables(frame, built), choices=choices,
                           args=filter_args(scope.filters))


@bp.get("/campaigns/<int:campaign_id>/plan.xlsx")
def plan_xlsx(campaign_id: int) -> ResponseReturnValue:
    """The plan as a workbook: courses and cohorts."""
    scope = campaign_scope(campaign_id)
    frame, built = load_plan(scope)
    about = [[_("Campaign"), scope.campaign.title]]
    data = exports.to_xlsx(plan_tables(frame, built), about)
    return exports.download(data, f"qabilet-plan-{scope.campaign.code}-{get_locale()}.xlsx")


@bp.get("/campaigns/<int:campaign_id>/plan.csv")
def plan_csv(campaign_id: int) -> ResponseReturnValue:
    """The plan's course table as CSV."""
    scope = campaign_scope(campaign_id)
    frame, built = load_plan(scope)
    data = exports.to_csv(plan_tables(frame, built)[0], [[_("Campaign"), scope.campaign.title]])
    return exports.download(data, f"qabilet-plan-{scope.campaign.code}-{get_locale()}.csv")
