"""Who may see and manage what in administration.

Admins manage everything. HR analysts run campaigns of their own government bodies: they see a
campaign that includes one of their bodies, and manage (edit, open, close) one whose bodies are
all theirs; staff lists and invitations they handle are limited to their bodies. Organisations,
staff accounts, questionnaires and the audit log are for admins only."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..extensions import db
from ..models import Campaign, Organisation


def scope_ids() -> set[int] | None:
    """The bodies the current user may act for; None means all (an admin)."""
    if current_user.role == "admin":
        return None
    return {o.id for o in current_user.organisations}


def visible_organisations() -> list[Organisation]:
    query = db.select(Organisation).order_by(Organisation.code)
    scope = scope_ids()
    if scope is not None:
        query = query.where(Organisation.id.in_(scope))
    return list(db.session.scalars(query))


def visible_campaigns() -> list[Campaign]:
    campaigns = db.session.scalars(db.select(Campaign).order_by(Campaign.opens_at.desc()))
    return [c for c in campaigns if can_see(c)]


def can_see(campaign: Campaign) -> bool:
    scope = scope_ids()
    return scope is None or any(o.id in scope for o in campaign.organisations)


def can_manage(campaign: Campaign) -> bool:
    scope = scope_ids()
    return scope is None or all(o.id in scope for o in campaign.organisations)


def campaign_or_403(campaign_id: int, manage: bool = False) -> Campaign:
    """The campaign, if the current user may see (or manage) it."""
    campaign = db.get_or_404(Campaign, campaign_id)
    if not (can_manage(campaign) if manage else can_see(campaign)):
        abort(403)
    return campaign
