"""The invitation list of a campaign page: search, filters, sort and pages, so a campaign of
hundreds of people stays usable; and the confirmation pages in front of actions that cannot be
undone (reissuing a link, opening or closing a campaign)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import request

from ..access import organisation_scope, scope_clauses
from ..extensions import db
from ..models import Campaign, Invitation, Person, Unit

PAGE_SIZE = 50
SORTS = {
    "name": (Person.full_name, Invitation.email, Invitation.id),
    "status": (Invitation.status, Invitation.id),
    "unit": (Invitation.organisation_id, Unit.id, Invitation.id),
    "recent": (Invitation.id.desc(),),
}
STATUSES = ("new", "sent", "started", "finished")


@dataclass
class InvitationPage:
    """One page of a campaign's invitations and the request's search, filter and sort."""

    rows: list[Invitation]
    total: int
    page: int
    pages: int
    query: str
    status: str
    organisation: int | None
    sort: str

    def args(self, **changes: object) -> dict[str, str]:
        """The query arguments of this list with ``changes`` (for page and sort links)."""
        values = {"q": self.query, "status": self.status, "organisation": self.organisation,
                  "sort": self.sort, "page": self.page, **changes}
        return {key: str(value) for key, value in values.items()
                if value not in (None, "") and not (key == "page" and value == 1)}


def _int(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    return int(raw) if raw.isdigit() else None


def invitation_page(campaign: Campaign) -> InvitationPage:
    """The invitations of ``campaign`` in the user's bodies, as the request's arguments ask:
    ``q`` (name, e-mail or personnel number, any part, case ignored), ``status``,
    ``organisation``, ``sort`` (name, status, unit, recent) and ``page``."""
    text = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    organisation = _int("organisation")
    sort = request.args.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    query = (db.select(Invitation)
             .outerjoin(Person, Person.id == Invitation.person_id)
             .join(Unit, Unit.id == Invitation.unit_id)
             .where(Invitation.campaign_id == campaign.id,
                    *scope_clauses(Invitation.organisation_id, organisation_scope())))
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(db.func.lower(Person.full_name).like(pattern)
                            | db.func.lower(Invitation.email).like(pattern)
                            | db.func.lower(Person.personnel_number).like(pattern))
    if status:
        query = query.where(Invitation.status == status)
    if organisation is not None:
        query = query.where(Invitation.organisation_id == organisation)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(_int("page") or 1, 1), pages)
    rows = list(db.session.scalars(query.order_by(*SORTS[sort])
                                   .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return InvitationPage(rows, total, page, pages, text, status, organisation, sort)
