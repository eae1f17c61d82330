"""A unit of a government body: renamed on its own page, removed after a confirmation — and only
while nothing refers to it (sub-units, people of staff lists, invitations, answers, results,
expert assessments). A unit that anything refers to is kept, so that past results and staff
lists stay whole; the page says what refers to it. Both changes are in the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ..access import ADMIN_ROLES, roles_required
from ..campaigns.audit import record
from ..extensions import db
from ..models import Assessment, Attempt, AttemptResult, Invitation, Person, Unit
from ..problems import Problem, Refused
from . import bp
from .forms import ActionForm, NamesMixin, show_problems

# What may refer to a unit, with the words for how many of each do.
REFERENCES = {
    "units": _l("Sub-units: %(n)s"),
    "people": _l("People on staff lists: %(n)s"),
    "invitations": _l("Invitations: %(n)s"),
    "attempts": _l("Surveys and tests started: %(n)s"),
    "results": _l("Results: %(n)s"),
    "assessments": _l("Expert assessments: %(n)s"),
}


class UnitError(Refused):
    """A unit cannot be changed or removed as asked."""


@dataclass(frozen=True)
class UnitProblem(Problem):
    catalogue = {"unit_in_use": _l("The unit “%(name)s” cannot be removed: %(uses)s.")}
    refusal = UnitError


class UnitNamesForm(NamesMixin, FlaskForm):
    is_project_office = BooleanField(_l("This is the project office"))


def references(unit: Unit) -> dict[str, int]:
    """How many rows of each kind refer to ``unit`` (only the kinds with any)."""
    counts = {
        "units": db.select(db.func.count()).select_from(Unit).where(Unit.parent_id == unit.id),
        "people": db.select(db.func.count(Person.id)).where(Person.unit_id == unit.id),
        "invitations": db.select(db.func.count(Invitation.id))
        .where(Invitation.unit_id == unit.id),
        "attempts": db.select(db.func.count(Attempt.id)).where(Attempt.unit_id == unit.id),
        "results": db.select(db.func.count()).select_from(AttemptResult)
        .where(AttemptResult.unit_id == unit.id),
        "assessments": db.select(db.func.count(Assessment.id))
        .where(Assessment.unit_id == unit.id),
    }
    found = {kind: int(db.session.scalar(query) or 0) for kind, query in counts.items()}
    return {kind: n for kind, n in found.items() if n}


def reference_lines(found: dict[str, int]) -> list[str]:
    return [str(REFERENCES[kind]) % {"n": n} for kind, n in found.items()]


def rename_unit(unit: Unit, names: dict[str, str], is_project_office: bool) -> bool:
    """New names (and project-office mark) for ``unit``; whether anything changed. The audit
    entry lists each changed name before and after."""
    before = {**{f"name_{k}": v for k, v in unit.names.items()},
              "is_project_office": unit.is_project_office}
    unit.name_kk, unit.name_ru, unit.name_en = names["kk"], names["ru"], names["en"]
    unit.is_project_office = is_project_office
    after = {**{f"name_{k}": v for k, v in unit.names.items()},
             "is_project_office": unit.is_project_office}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        record("unit_renamed", f"organisation:{unit.organisation.code}/unit:{unit.code}",
               {"changed": changed})
    return bool(changed)


def remove_unit(unit: Unit) -> None:
    """Remove a unit nothing refers to; refuse, saying what refers to it, otherwise."""
    found = references(unit)
    if found:
        raise UnitProblem.refuse("unit_in_use", name=unit.name,
                                 uses="; ".join(reference_lines(found)))
    record("unit_removed", f"organisation:{unit.organisation.code}/unit:{unit.code}",
           {"name": unit.name})
    db.session.delete(unit)


def _unit_or_404(organisation_id: int, unit_id: int) -> Unit:
    unit = db.get_or_404(Unit, unit_id)
    if unit.organisation_id != organisation_id:
        abort(404)
    return unit


@bp.route("/organisations/<int:organisation_id>/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def unit(organisation_id: int, unit_id: int) -> ResponseReturnValue:
    """A unit's names, what refers to it, and the way to remove it."""
    unit = _unit_or_404(organisation_id, unit_id)
    form = UnitNamesForm(obj=unit)
    if form.validate_on_submit():
        changed = rename_unit(unit, form.names(), form.is_project_office.data)
        db.session.commit()
        flash(_("The unit was renamed.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("admin.unit", organisation_id=organisation_id, unit_id=unit.id))
    found = references(unit)
    return render_template("admin/unit.html", organisation=unit.organisation, unit=unit,
                           form=form, uses=reference_lines(found), removable=not found), \
        400 if form.is_submitted() else 200


@bp.get("/organisations/<int:organisation_id>/units/<int:unit_id>/remove")
@roles_required(*ADMIN_ROLES)
def confirm_remove_unit(organisation_id: int, unit_id: int) -> ResponseReturnValue:
    """Ask before a unit is removed; say why not when something refers to it."""
    unit = _unit_or_404(organisation_id, unit_id)
    back = url_for("admin.unit", organisation_id=organisation_id, unit_id=unit.id)
    found = references(unit)
    if found:
        return render_template("admin/unit_in_use.html", unit=unit, uses=reference_lines(found),
                               back=back)
    return render_template(
        "admin/confirm.html", title=_("Remove the unit"),
        question=_("Remove the unit «%(name)s» (%(code)s)?", name=unit.name, code=unit.code),
        consequence=_("Nothing refers to it: no sub-units, people, invitations, answers or "
                      "assessments. It is removed from the body's tree and cannot be "
                      "restored, only added again."),
        button=_("Remove the unit"), back=back, form=ActionForm(),
        action_url=url_for("admin.remove_unit_post", organisation_id=organisation_id,
                           unit_id=unit.id))


@bp.post("/organisations/<int:organisation_id>/units/<int:unit_id>/remove")
@roles_required(*ADMIN_ROLES)
def remove_unit_post(organisation_id: int, unit_id: int) -> ResponseReturnValue:
    unit = _unit_or_404(organisation_id, unit_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin.unit", organisation_id=organisation_id, unit_id=unit.id))
    try:
        remove_unit(unit)
    except UnitError as error:
        db.session.rollback()
        show_problems(None, error.problems)
        return redirect(url_for("admin.unit", organisation_id=organisation_id, unit_id=unit_id))
    db.session.commit()
    flash(_("The unit was removed."), "success")
    return redirect(url_for("admin.organisation", organisation_id=organisation_id))

