"""Every scope rule — which government bodies, campaigns and invitations a staff account may see
or act for — and the hooks and decorators that apply them.

The rules, in one place:

* An **admin** sees and manages everything. An **HR analyst** or **trainer** is scoped to the
  government bodies on their account (:func:`organisation_scope`).
* A campaign is **visible** when it includes one of the user's bodies (:func:`can_see`), and
  **manageable** (edit, open, close) when all of its bodies are the user's (:func:`can_manage`).
* Within a visible campaign, the user reads only their own bodies' rows (:func:`campaign_bodies`),
  and invitations, staff lists, links and reminders are limited to them (:func:`in_scope`,
  :func:`scope_clauses`).
* Expert assessments: an **assessor** rates the bodies of their scope; another assessor of the
  same body, or an admin, reviews a submitted assessment — never its author; only the author
  edits, and only a draft or a returned assessment. Admins, and assessors and HR analysts of the
  body, read its assessments and maturity pages (:func:`may_read_maturity` and the rest).
* On the HR and trainer pages the scope — never a URL parameter — decides which rows are read;
  a filter naming a body or unit outside it is refused with 403, so a guessed id shows nothing
  (:func:`campaign_scope`).

Each staff blueprint has one access hook (:func:`guard`: logged in and holding one of the
blueprint's roles), the way Indico gives each controller one ``_check_access``; a page narrower
than its blueprint adds :func:`roles_required`. The query-string filters live here too, because
parsing them and refusing one outside the scope are the same step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_login.config import EXEMPT_METHODS

from .config import privacy_min_group
from .extensions import db, login_manager
from .models import Assessment, Campaign, Organisation, Unit, User
from .models.org import GOVERNANCE_LEVELS, SECTORS
from .results.dashboard import Filters

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import InstrumentedAttribute

    from .results.frames import CampaignLayout

    View = Callable[..., ResponseReturnValue]

HR_ROLES = ("admin", "hr")  # the HR pages, and running campaigns in administration
TRAINER_ROLES = ("admin", "trainer")
ADMIN_ROLES = ("admin",)  # organisations, staff accounts, questionnaires, the audit log
MATURITY_ROLES = ("admin", "assessor", "hr")  # the assessor pages (HR: to read)
ASSESSOR_ROLES = ("assessor",)  # open and rate assessments


# --- Accounts -------------------------------------------------------------------------------


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: an active staff account, or nobody (also for a session
    ended by logging out, on whichever node)."""
    from .accounts.sessions import session_ended

    if session_ended():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def _refuse_unless(roles: Iterable[str]) -> None:
    """The login page for a visitor, 403 for an account without one of ``roles``."""
    if request.method in EXEMPT_METHODS or current_app.config.get("LOGIN_DISABLED"):
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if current_user.role not in roles:
        abort(403)


def guard(blueprint: Blueprint, *roles: str) -> None:
    """The blueprint's one access hook: every route of it needs a login with one of ``roles``."""

    @blueprint.before_request
    def _check_access() -> None:
        _refuse_unless(roles)


def roles_required(*roles: str) -> Callable[[View], View]:
    """A page narrower than its blueprint: logged in and holding one of ``roles``, else 403 (or
    the login page)."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --- Bodies ---------------------------------------------------------------------------------


def organisation_scope(user: User | None = None) -> frozenset[int] | None:
    """The bodies ``user`` (default: the current user) may see and act for; None means all."""
    user = current_user if user is None else user
    if user.role == "admin":
        return None
    return frozenset(o.id for o in user.organisations)


def in_scope(organisation_id: int, scope: frozenset[int] | set[int] | None) -> bool:
    """Whether a body is inside ``scope`` (None: every body)."""
    return scope is None or organisation_id in scope


def scope_clauses(column: ColumnElement[int] | InstrumentedAttribute[int],
                  scope: frozenset[int] | set[int] | None) -> tuple:
    """SQL conditions limiting ``column`` (a body id) to ``scope``: none for everything."""
    return () if scope is None else (column.in_(scope),)


def _scoped(user: User, organisation_id: int) -> bool:
    return any(o.id == organisation_id for o in user.organisations)


def may_read_maturity(user: User, organisation_id: int) -> bool:
    """A body's expert assessments and maturity pages."""
    if user.role == "admin":
        return True
    return user.role in MATURITY_ROLES and _scoped(user, organisation_id)


def may_assess(user: User, organisation_id: int) -> bool:
    """Open a new expert assessment of the body."""
    return user.role in ASSESSOR_ROLES and _scoped(user, organisation_id)


def may_edit_assessment(user: User, assessment: Assessment) -> bool:
    """Change ratings, notes and evidence, and submit: the author, while it is editable."""
    return (assessment.editable and assessment.author_id == user.id
            and may_assess(user, assessment.organisation_id))


def may_review_assessment(user: User, assessment: Assessment) -> bool:
    """Confirm or return a submitted assessment: never its author."""
    if assessment.status != "submitted" or assessment.author_id == user.id:
        return False
    return user.role == "admin" or may_assess(user, assessment.organisation_id)


def visible_organisations() -> list[Organisation]:
    """The bodies the current user may see, by code."""
    query = db.select(Organisation).where(
        *scope_clauses(Organisation.id, organisation_scope())).order_by(Organisation.code)
    return list(db.session.scalars(query))


# --- Campaigns ------------------------------------------------------------------------------


def campaign_bodies(campaign: Campaign) -> tuple[int, ...]:
    """The campaign's bodies the current user may see, sorted."""
    scope = organisation_scope()
    return tuple(sorted(o.id for o in campaign.organisations if in_scope(o.id, scope)))


def can_see(campaign: Campaign) -> bool:
    """An admin sees every campaign; anyone else one that includes one of their bodies."""
    scope = organisation_scope()
    return scope is None or any(o.id in scope for o in campaign.organisations)


def can_manage(campaign: Campaign) -> bool:
    """An admin manages every campaign; an HR analyst one whose bodies are all theirs."""
    scope = organisation_scope()
    return scope is None or all(o.id in scope for o in campaign.organisations)


def visible_campaigns() -> list[Campaign]:
    """The campaigns the current user may see, newest first."""
    campaigns = db.session.scalars(db.select(Campaign).order_by(Campaign.opens_at.desc()))
    return [c for c in campaigns if can_see(c)]


def campaign_or_403(campaign_id: int, manage: bool = False) -> Campaign:
    """The campaign, if the current user may see (or manage) it; 404 when there is none."""
    campaign = db.get_or_404(Campaign, campaign_id)
    if not (can_manage(campaign) if manage else can_see(campaign)):
        abort(403)
    return campaign


def require_in_scope(organisation_id: int) -> None:
    """403 unless the current user may act for this body (an invitation's, a row's)."""
    if not in_scope(organisation_id, organisation_scope()):
        abort(403)


# --- The HR and trainer pages: scope and query-string filters --------------------------------


@dataclass(frozen=True)
class Scope:
    """What one HR or trainer request may read: the campaign, its bodies the user may see, the
    row filters (always inside those bodies) and the privacy threshold."""

    campaign: Campaign
    organisation_ids: tuple[int, ...]
    filters: Filters
    k: int


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(400)
    return int(raw)


def _choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if raw not in choices:
        abort(400)
    return raw


def campaign_scope(campaign_id: int, with_filters: bool = True) -> Scope:
    """The campaign and the current user's scope in it; 404 for no campaign, 403 when none of
    its bodies is in the user's scope or a filter reaches outside it, 400 for a malformed one."""
    campaign = db.get_or_404(Campaign, campaign_id)
    bodies = campaign_bodies(campaign)
    if not bodies:
        abort(403)
    filters = Filters(organisations=bodies)
    if with_filters:
        organisation = _int_arg("organisation")
        unit = _int_arg("unit")
        if organisation is not None and organisation not in bodies:
            abort(403)
        if unit is not None:
            row = db.session.get(Unit, unit)
            if row is None or row.organisation_id not in bodies:
                abort(403)
        filters = Filters(
            organisations=bodies,
            organisation=organisation,
            unit=unit,
            governance_level=_choice_arg("governance_level", GOVERNANCE_LEVELS),
            sector=_choice_arg("sector", SECTORS),
            position=_int_arg("position"),
        )
    return Scope(campaign, bodies, filters, privacy_min_group())


def filter_args(filters: Filters) -> dict[str, str]:
    """The query arguments that reproduce ``filters`` (for chart and export links)."""
    values = {
        "organisation": filters.organisation,
        "unit": filters.unit,
        "governance_level": filters.governance_level,
        "sector": filters.sector,
        "position": filters.position,
    }
    return {key: str(value) for key, value in values.items() if value is not None}


def scope_choices(scope: Scope, layout: CampaignLayout) -> dict:
    """The bodies, units and position categories the filter form offers: only the scope's."""
    return {
        "organisations": [o for o in layout.organisations if o.id in scope.organisation_ids],
        "units": [u for u in layout.units if u.extra["organisation_id"] in scope.organisation_ids],
        "positions": layout.profiles,
    }


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the switcher cannot be used as an open redirect."""
    if not target:
        return url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("core.home")
    return target
