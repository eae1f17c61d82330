"""State changes of the admin pages that are not campaigns: organisations, units, staff
accounts. Each records an audit entry; the view commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..accounts.passwords import hash_password
from ..accounts.users import check_password, create_user
from ..campaigns.audit import record
from ..extensions import db
from ..models import Organisation, Unit, User
from ..problems import Problem, Refused


class AdminError(Refused):
    """A change was refused (a staff account's own rules refuse with ``AccountError``)."""


@dataclass(frozen=True)
class AdminProblem(Problem):
    """Why an admin change was refused; ``where`` is the form field (None: the page)."""

    catalogue = {
        "code_taken": _l("This code is already used."),
        "bad_parent": _l("The parent unit must belong to the same government body."),
        "self_deactivation": _l("You cannot deactivate your own account."),
    }
    refusal = AdminError


def organisation_problems(code: str) -> list[AdminProblem]:
    """What refuses a new body with this code (the form checks the code's letters)."""
    if db.session.scalar(db.select(Organisation).filter_by(code=code)) is not None:
        return [AdminProblem("code_taken", where="code")]
    return []


def unit_problems(organisation: Organisation, code: str,
                  parent: Unit | None) -> list[AdminProblem]:
    """What refuses a new unit with this code and parent in ``organisation``."""
    problems = []
    if any(u.code == code for u in organisation.units):
        problems.append(AdminProblem("code_taken", where="code"))
    if parent is not None and parent.organisation_id != organisation.id:
        problems.append(AdminProblem("bad_parent", where="parent"))
    return problems


def create_organisation(code: str, names: dict[str, str], governance_level: str,
                        sector: str, project_office: str | None = None) -> Organisation:
    problems = organisation_problems(code)
    if problems:
        raise AdminError(problems)
    organisation = Organisation(code=code, name_kk=names["kk"], name_ru=names["ru"],
                                name_en=names["en"], governance_level=governance_level,
                                sector=sector, project_office=project_office or None)
    db.session.add(organisation)
    db.session.flush()
    record("organisation_created", f"organisation:{code}")
    return organisation


def update_organisation(organisation: Organisation, names: dict[str, str],
                        governance_level: str, sector: str,
                        project_office: str | None = None) -> None:
    organisation.name_kk, organisation.name_ru, organisation.name_en = (
        names["kk"], names["ru"], names["en"])
    organisation.governance_level, organisation.sector = governance_level, sector
    organisation.project_office = project_office or None
    record("organisation_updated", f"organisation:{organisation.code}")


def add_unit(organisation: Organisation, code: str, names: dict[str, str],
             parent: Unit | None, is_project_office: bool) -> Unit:
    problems = unit_problems(organisation, code, parent)
    if problems:
        raise AdminError(problems)
    unit = Unit(organisation=organisation, code=code, name_kk=names["kk"], name_ru=names["ru"],
                name_en=names["en"], parent=parent, is_project_office=is_project_office)
    db.session.add(unit)
    record("unit_created", f"organisation:{organisation.code}/unit:{code}")
    return unit


def create_staff_user(email: str, full_name: str, password: str, role: str,
                      organisations: list[Organisation], language: str | None) -> User:
    user = create_user(email, full_name, password, role, organisations, language)
    db.session.flush()
    record("user_created", f"user:{user.email}", {"role": role,
                                                   "organisations": [o.code for o in organisations]})
    return user


def update_scope(user: User, role: str, organisations: list[Organisation]) -> None:
    user.role, user.organisations = role, list(organisations)
    record("user_scope_changed", f"user:{user.email}",
           {"role": role, "organisations": [o.code for o in organisations]})


def reset_password(user: User, password: str) -> None:
    check_password(password)
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    user.end_sessions()  # whoever knew the old password is logged out everywhere
    record("user_password_reset", f"user:{user.email}")


def set_active(user: User, active: bool, acting: User) -> None:
    if user.id == acting.id and not active:
        raise AdminProblem.refuse("self_deactivation")  # nobody locks themselves out
    user.active = active
    user.end_sessions()
    if active:
        record("user_activated", f"user:{user.email}")
    else:
        record("user_deactivated", f"user:{user.email}")
