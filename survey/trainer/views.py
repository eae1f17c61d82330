"""Trainer pages: campaigns, the training plan of a campaign (filtered like the HR dashboard)
and its exports. Access is checked by :func:`survey.access.campaign_scope`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import g, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from .. import exports
from ..access import Scope, campaign_scope, filter_args, scope_choices, visible_campaigns
from ..exports import HIDDEN, Table
from ..extensions import db
from ..i18n import GOVERNANCE_LEVEL_LABELS, SECTOR_LABELS
from ..models import Person
from ..models.org import GOVERNANCE_LEVELS, SECTORS
from ..questionnaires.reference import catalogue_courses, maturity_model
from ..results.dashboard import row_mask, scored
from ..results.plan import Plan, build_plan, roster
from ..results.releases import release_note, released_figures, waiting_in
from . import bp

if TYPE_CHECKING:
    from ..questionnaires.reference import CatalogueCourse
    from ..results.frames import CampaignFrame


def load_plan(scope: Scope) -> tuple[CampaignFrame, Plan, Table | None]:
    """The campaign's frame, the plan for the scope and filters, and in an identified
    campaign the roster of people to enrol per course (names only, never a score)."""
    model = maturity_model().model
    frame, gate, _invited = released_figures(scope.campaign, scope.k)
    courses = catalogue_courses([c.id for c in frame.layout.competences])
    rows = row_mask(frame, scope.filters)
    scores = scored(frame, model)
    plan = build_plan(frame, scores, gate.partition, rows, courses)
    g.release_note = release_note(gate.released_at, waiting_in(gate, rows))
    names = None
    if not scope.campaign.anonymous:
        names = roster_table(frame, courses, roster(frame, scores, gate.partition, rows, courses))
    return frame, plan, names


def roster_table(frame: CampaignFrame, courses: list[CatalogueCourse],
                 entries: list[tuple[int, int, int]]) -> Table:
    """The roster as a table: course, person, unit."""
    people = {p.id: p.full_name or p.personnel_number or str(p.id) for p in db.session.scalars(
        select(Person).where(Person.id.in_({person for _c, person, _u in entries})))}
    table = Table("roster", _("People to enrol"),
                  [(_("Course"), "text"), (_("Name"), "text"), (_("Unit"), "text")])
    for course, person, unit in entries:
        table.rows.append([courses[course].title, people.get(person, ""),
                           frame.layout.units[unit].name if unit >= 0 else ""])
    table.note = _("Names only, to enrol people in courses: no one's scores are shown.")
    return table


def plan_tables(frame: CampaignFrame, plan: Plan, k: int) -> list[Table]:
    """The plan as two tables: courses (ordered by priority) and cohorts."""
    names = [c.name for c in frame.layout.competences]
    course_h = _("Course")
    courses = Table("plan", _("Training plan"), [
        (_("Order"), "int"), (course_h, "text"), (_("Competences"), "text"), (_("Levels"), "text"),
        (_("People"), "int"), (_("Class capacity"), "int"), (_("Classes"), "int"),
        (_("Hours per class"), "int"), (_("Teaching hours"), "int"), (_("Priority"), "int")])
    cohorts = Table("cohorts", _("Cohorts"), [
        (course_h, "text"), (_("Class"), "int"), (_("Units"), "text"), (_("People"), "int")])
    for order, item in enumerate(plan.courses, start=1):
        c = item.course
        courses.rows.append([order, c.title, ", ".join(names[i] for i in c.competences),
                             f"{c.level_from} → {c.level_to}",
                             HIDDEN if item.people is None else item.people, c.capacity,
                             item.classes, c.hours, item.hours, item.priority])
        for number, cohort in enumerate(item.cohorts, start=1):
            # A unit of fewer than k participants is named without its number, as the page's
            # note says.
            units = "; ".join(name if count is None or count < k else f"{name} ({count})"
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
    frame, built, names = load_plan(scope)
    choices = {
        **scope_choices(scope, frame.layout),
        "governance_levels": [(c, GOVERNANCE_LEVEL_LABELS[c]) for c in GOVERNANCE_LEVELS],
        "sectors": [(c, SECTOR_LABELS[c]) for c in SECTORS],
    }
    return render_template("trainer/plan.html", scope=scope, campaign=scope.campaign, plan=built,
                           tables=plan_tables(frame, built, scope.k) + ([names] if names else []),
                           choices=choices,
                           args=filter_args(scope.filters))


@bp.get("/campaigns/<int:campaign_id>/plan.xlsx")
def plan_xlsx(campaign_id: int) -> ResponseReturnValue:
    """The plan as a workbook: courses and cohorts."""
    scope = campaign_scope(campaign_id)
    frame, built, names = load_plan(scope)
    about = [[_("Campaign"), scope.campaign.title], [_("Figures released"), g.release_note]]
    data = exports.to_xlsx(plan_tables(frame, built, scope.k) + ([names] if names else []), about)
    return exports.download(data, f"qabilet-plan-{scope.campaign.code}-{get_locale()}.xlsx")


@bp.get("/campaigns/<int:campaign_id>/plan.csv")
def plan_csv(campaign_id: int) -> ResponseReturnValue:
    """The plan's course table as CSV."""
    scope = campaign_scope(campaign_id)
    frame, built, _names = load_plan(scope)
    data = exports.to_csv(plan_tables(frame, built, scope.k)[0])
    return exports.download(data, f"qabilet-plan-{scope.campaign.code}-{get_locale()}.csv")
