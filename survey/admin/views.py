"""Administration pages: the start page, organisations and units, staff accounts, the audit log.
Campaigns and invitations are in ``campaigns.py`` and ``invitations.py``, questionnaires in
``questionnaires.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ..access import ADMIN_ROLES, roles_required, visible_campaigns
from ..accounts.users import account_problems
from ..extensions import db
from ..jobs.scheduler import scheduler_state
from ..models import Organisation, RoleProfile, Unit, User
from ..problems import Problem, Refused
from . import bp
from .audit_view import audit_page, detail_lines, target_text
from .forms import (
    ActionForm,
    OrganisationForm,
    PasswordForm,
    ScopeForm,
    UnitForm,
    UserForm,
    choices,
    show_problems,
)
from .operations import (
    add_unit,
    create_organisation,
    create_staff_user,
    organisation_problems,
    reset_password,
    set_active,
    unit_problems,
    update_organisation,
    update_scope,
)

if TYPE_CHECKING:
    from flask_wtf import FlaskForm
    from wtforms.fields.choices import SelectChoice



@bp.get("/")
def index() -> ResponseReturnValue:
    """Where an administrator (or an HR analyst running campaigns) starts."""
    return render_template("admin/index.html", campaigns=visible_campaigns()[:10],
                           scheduler=scheduler_state())


@bp.get("/organisations")
@roles_required(*ADMIN_ROLES)
def organisations() -> ResponseReturnValue:
    """Government bodies, and the position categories staff lists refer to."""
    return render_template(
        "admin/organisations.html",
        organisations=db.session.scalars(db.select(Organisation).order_by(Organisation.code)),
        positions=db.session.scalars(db.select(RoleProfile).order_by(RoleProfile.position)))


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def new_organisation() -> ResponseReturnValue:
    form = OrganisationForm()
    if _all_problems(form, lambda: organisation_problems((form.code.data or "").strip())):
        try:
            organisation = create_organisation(form.code.data, form.names(),
                                               form.governance_level.data, form.sector.data,
                                               form.project_office.data)
        except Refused as error:
            db.session.rollback()
            show_problems(form, error.problems)
        else:
            db.session.commit()
            flash(_("The government body was added."), "success")
            return redirect(url_for("admin.organisation", organisation_id=organisation.id))
    return render_template("admin/organisation_form.html", form=form, organisation=None), \
        400 if form.is_submitted() else 200


def _all_problems(form: FlaskForm, domain: Callable[[], list[Problem]]) -> bool:
    """Whether the submitted form is valid by its own rules and the ``domain``'s; every
    problem of both is put under its field at once (a field with an error already keeps
    only that one)."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    problems = domain()
    show_problems(form, [p for p in problems
                         if not (p.where and getattr(form, p.where).errors)])
    return valid and not problems


def _unit_form(organisation: Organisation) -> UnitForm:
    form = UnitForm(prefix="unit")
    form.parent.choices = choices([(0, _("— none —"))] + [(u.id, f"{u.name} ({u.code})")
                                                           for u in organisation.units])
    return form


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def organisation(organisation_id: int) -> ResponseReturnValue:
    """A government body: its names and levels, and its tree of units."""
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    form.code.data = organisation.code  # the code is what staff lists refer to: it stays
    if form.validate_on_submit():
        update_organisation(organisation, form.names(), form.governance_level.data,
                            form.sector.data, form.project_office.data)
        db.session.commit()
        flash(_("The government body was saved."), "success")
        return redirect(url_for("admin.organisation", organisation_id=organisation.id))
    return render_template("admin/organisation.html", organisation=organisation, form=form,
                           unit_form=_unit_form(organisation), tree=_tree(organisation)), \
        400 if form.is_submitted() else 200


def _tree(organisation: Organisation) -> list[tuple[int, Unit]]:
    """Units in tree order with their depth."""
    children: dict[int | None, list[Unit]] = {}
    for unit in organisation.units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[int, Unit]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            ordered.append((depth, unit))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


@bp.post("/organisations/<int:organisation_id>/units")
@roles_required(*ADMIN_ROLES)
def new_unit(organisation_id: int) -> ResponseReturnValue:
    organisation = db.get_or_404(Organisation, organisation_id)
    unit_form = _unit_form(organisation)
    if _all_problems(unit_form, lambda: unit_problems(
            organisation, (unit_form.code.data or "").strip(),
            db.session.get(Unit, unit_form.parent.data or 0))):
        try:
            add_unit(organisation, unit_form.code.data, unit_form.names(),
                     db.session.get(Unit, unit_form.parent.data or 0),
                     unit_form.is_project_office.data)
        except Refused as error:
            db.session.rollback()
            show_problems(unit_form, error.problems)
        else:
            db.session.commit()
            flash(_("The unit was added."), "success")
            return redirect(url_for("admin.organisation", organisation_id=organisation.id))
    return render_template("admin/organisation.html", organisation=organisation,
                           form=OrganisationForm(obj=organisation), unit_form=unit_form,
                           tree=_tree(organisation)), 400


def _organisation_choices() -> list[SelectChoice]:
    return choices((o.id, f"{o.name} ({o.code})")
                   for o in db.session.scalars(db.select(Organisation).order_by(Organisation.code)))


def _chosen(ids: Iterable[int] | None) -> list[Organisation]:
    ids = set(ids or [])
    return [o for o in db.session.scalars(db.select(Organisation)) if o.id in ids]


@bp.route("/users", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def users() -> ResponseReturnValue:
    """Staff accounts, and a form to create one."""
    form = UserForm()
    form.organisations.choices = _organisation_choices()
    if _all_problems(form, lambda: account_problems(form.email.data or "",
                                                    form.password.data or "")):
        try:
            create_staff_user(form.email.data, form.full_name.data, form.password.data,
                              form.role.data, _chosen(form.organisations.data),
                              form.language.data)
        except Refused as error:
            db.session.rollback()
            show_problems(form, error.problems)
        else:
            db.session.commit()
            flash(_("The staff account was created."), "success")
            return redirect(url_for("admin.users"))
    accounts = db.session.scalars(db.select(User).order_by(User.email))
    return render_template("admin/users.html", form=form, accounts=accounts), \
        400 if form.is_submitted() else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def user(user_id: int) -> ResponseReturnValue:
    """One staff account: role and scope, password reset, deactivation."""
    account = db.get_or_404(User, user_id)
    scope = ScopeForm(prefix="scope", obj=account)
    scope.organisations.choices = _organisation_choices()
    if not scope.is_submitted():
        scope.organisations.data = [o.id for o in account.organisations]
    password = PasswordForm(prefix="password")
    if request.method == "POST" and "scope-role" in request.form and scope.validate():
        update_scope(account, scope.role.data, _chosen(scope.organisations.data))
        db.session.commit()
        flash(_("The role and government bodies were saved."), "success")
        return redirect(url_for("admin.user", user_id=account.id))
    if request.method == "POST" and "password-password" in request.form and password.validate():
        try:
            reset_password(account, password.password.data)
        except Refused as error:
            db.session.rollback()
            show_problems(password, error.problems)
        else:
            db.session.commit()
            if account.id == current_user.id:
                login_user(account)  # a change of one's own password keeps this session only
            flash(_("The password was reset. Give it to the person in a safe way."), "success")
            return redirect(url_for("admin.user", user_id=account.id))
    return render_template("admin/user.html", account=account, scope=scope, password=password,
                           action=ActionForm()), 400 if request.method == "POST" else 200


@bp.post("/users/<int:user_id>/active/<int:active>")
@roles_required(*ADMIN_ROLES)
def user_active(user_id: int, active: int) -> ResponseReturnValue:
    account = db.get_or_404(User, user_id)
    try:
        set_active(account, bool(active), current_user)
    except Refused as error:
        db.session.rollback()
        show_problems(None, error.problems)
    else:
        db.session.commit()
        flash(_("The account was activated.") if active else _("The account was deactivated."),
              "success")
    return redirect(url_for("admin.user", user_id=account.id))


@bp.get("/audit")
@roles_required(*ADMIN_ROLES)
def audit() -> ResponseReturnValue:
    """Administrative actions, newest first, filtered by action and person."""
    return render_template("admin/audit.html", log=audit_page(), target_text=target_text,
                           detail_lines=detail_lines)
