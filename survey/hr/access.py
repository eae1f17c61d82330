"""Who may see which campaign and which bodies' rows; parsing of the dashboard filters.

Every HR and trainer route goes through :func:`campaign_scope`: the campaign must include at
least one body the user is scoped to (admins: any), and the user's scope — never a URL
parameter — decides which bodies' rows are read. A filter naming a body or unit outside the
scope is refused with 403, so a guessed id shows nothing."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, request
from flask_login import current_user

from ..extensions import db
from ..models import Campaign, Unit
from ..models.org import GOVERNANCE_LEVELS, SECTORS
from ..results.dashboard import Filters


@dataclass(frozen=True)
class Scope:
    campaign: Campaign
    organisation_ids: tuple[int, ...]  # bodies of the campaign the user may see
    filters: Filters
    k: int


def visible_campaigns() -> list[Campaign]:
    """Campaigns with at least one body the current user may see, newest first."""
    campaigns = db.session.scalars(db.select(Campaign).order_by(Campaign.opens_at.desc())).all()
    return [c for c in campaigns if _scope_ids(c)]


def _scope_ids(campaign: Campaign) -> tuple[int, ...]:
    return tuple(sorted(o.id for o in campaign.organisations
                        if current_user.can_see_organisation(o.id)))


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
    scope = _scope_ids(campaign)
    if not scope:
        abort(403)
    filters = Filters(organisations=scope)
    if with_filters:
        organisation = _int_arg("organisation")
        unit = _int_arg("unit")
        if organisation is not None and organisation not in scope:
            abort(403)
        if unit is not None:
            row = db.session.get(Unit, unit)
            if row is None or row.organisation_id not in scope:
                abort(403)
        filters = Filters(
            organisations=scope,
            organisation=organisation,
            unit=unit,
            governance_level=_choice_arg("governance_level", GOVERNANCE_LEVELS),
            sector=_choice_arg("sector", SECTORS),
            position=_int_arg("position"),
        )
    return Scope(campaign, scope, filters, int(current_app.config.get("PRIVACY_MIN_GROUP", 5)))


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
