"""State changes of the admin pages that are not campaigns: organisations, units, staff
accounts. Each records an audit entry; the view commits."""

from __future__ import annotations

from ..auth.operations import AccountError, create_user
from ..auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from ..campaigns.audit import record
from ..extensions import db
from ..models import Organisation, Unit, User


class AdminError(ValueError):
    """A change was refused; ``field`` names the form field and ``code`` the reason."""

    def __init__(self, field: str, code: str):
        super().__init__(code)
        self.field, self.code = field, code


def create_organisation(code: str, names: dict[str, str], governance_level: str,
                        sector: str, project_office: str | None = None) -> Organisation:
    if db.session.scalar(db.select(Organisation).filter_by(code=code)) is not None:
        raise AdminError("code", "code_taken")
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
    if any(u.code == code for u in organisation.units):
        raise AdminError("code", "code_taken")
    if parent is not None and parent.organisation_id != organisation.id:
        raise AdminError("parent", "bad_parent")
    unit = Unit(organisation=organisation, code=code, name_kk=names["kk"], name_ru=names["ru"],
                name_en=names["en"], parent=parent, is_project_office=is_project_office)
    db.session.add(unit)
    record("unit_created", f"organisation:{organisation.code}/unit:{code}")
    return unit


def create_staff_user(email, full_name, password, role, organisations, language) -> User:
    try:
        user = create_user(email, full_name, password, role, organisations, language)
    except AccountError as error:
        field = "password" if "password" in str(error) else "email"
        raise AdminError(field, "password_short" if field == "password" else "email_taken") \
            from error
    db.session.flush()
    record("user_created", f"user:{user.email}", {"role": role,
                                                   "organisations": [o.code for o in organisations]})
    return user


def update_scope(user: User, role: str, organisations: list[Organisation]) -> None:
    user.role, user.organisations = role, list(organisations)
    record("user_scope_changed", f"user:{user.email}",
           {"role": role, "organisations": [o.code for o in organisations]})


def reset_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AdminError("password", "password_short")
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    record("user_password_reset", f"user:{user.email}")


def set_active(user: User, active: bool, acting: User) -> None:
    if user.id == acting.id and not active:
        raise AdminError("active", "self_deactivation")  # nobody locks themselves out
    user.active = active
    record("user_activated" if active else "user_deactivated", f"user:{user.email}")
