"""Invitations: importing a staff list into people and invitations, issuing links, exporting them.

A token is shown once, when it is issued: only ``hash_token(token)`` is stored. So links are
written out (CSV, XLSX, a printed list or an e-mail) at the moment they are issued. A lost link
is *reissued*: the invitation gets a new token and the old link stops working — only while the
invitation has not been used, because a started attempt is found again through its link.

An import creates each invitation with a token nobody ever sees; links are issued when they are
distributed (``issue_links``: a file, a printed list or e-mail). The command line issues them in
the same transaction as the import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..access import scope_clauses
from ..exports import safe_text
from ..extensions import db
from ..models import Campaign, Invitation, Person
from ..models._types import utcnow
from ..tokens import hash_token, new_token
from .audit import record
from .problems import Problem, ProblemsError, column_label
from .staff_list import StaffRow, match_person

USABLE_STATUSES = ("new", "sent")  # a link may be (re)issued only before it is used


@dataclass
class IssuedLink:
    """An invitation with the token just issued for it (the only moment the token is known)."""

    invitation: Invitation
    token: str
    name: str | None = None

    @property
    def url(self) -> str:
        return invitation_url(self.token)

    @property
    def display_name(self) -> str:
        person = self.invitation.person
        return self.name or (person.full_name if person is not None else None) or ""


@dataclass
class ImportReport:
    """What an import did, and the links of the invitations it created."""

    people_created: int = 0
    people_updated: int = 0
    invitations_created: int = 0
    invitations_kept: int = 0
    # The new invitations with the name on their row (an anonymous invitation has no person).
    created: list[tuple[Invitation, str | None]] = field(default_factory=list)


def invitation_url(token: str) -> str:
    """The absolute link a respondent opens."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/i/{token}"


def create_invitation(campaign: Campaign, **fields: Any) -> IssuedLink:
    """The one way an invitation is made: added to ``campaign`` with a fresh token. ``fields``
    are the invitation's own (``organisation``/``unit``/``position_category`` or their ids,
    ``person``, ``email``, ``language``, ``status``, ``sent_at``). The link returned holds the
    token — the only moment it is known, since only its hash is stored."""
    token = new_token()
    invitation = Invitation(campaign=campaign, token_hash=hash_token(token), **fields)
    db.session.add(invitation)
    return IssuedLink(invitation, token)


def import_staff_list(campaign: Campaign, rows: list[StaffRow]) -> ImportReport:
    """Upsert the people of checked rows and invite them to the campaign.

    People are matched within their body by personnel number, else e-mail, so an updated list
    updates them instead of adding them again; someone already invited keeps their invitation
    (its unit, position and language follow the list while it is unused). In an anonymous
    campaign the invitation keeps the e-mail (to send the link) but no link to the person."""
    if campaign.status not in ("draft", "open"):
        raise ProblemsError([Problem("campaign_closed_for_invitations", where="status")])
    report = ImportReport()
    for row in rows:
        person = _upsert_person(row, report)
        invitation = _existing_invitation(campaign, row, person)
        if invitation is not None:
            report.invitations_kept += 1
            if invitation.status in USABLE_STATUSES:
                invitation.unit, invitation.position_category = row.unit, row.position
                invitation.language = row.language or invitation.language
            continue
        # Nobody sees this token: links are issued when they are handed out (issue_links).
        invitation = create_invitation(
            campaign, organisation=row.organisation, unit=row.unit,
            position_category=row.position, email=row.email,
            language=row.language or (person.language if person else None),
            person=None if campaign.anonymous else person).invitation
        report.invitations_created += 1
        report.created.append((invitation, row.name))
    db.session.flush()
    record("staff_list_imported", f"campaign:{campaign.code}", {
        "rows": len(rows), "people_created": report.people_created,
        "people_updated": report.people_updated,
        "invitations_created": report.invitations_created})
    return report


def _upsert_person(row: StaffRow, report: ImportReport) -> Person | None:
    if not (row.personnel_number or row.email):
        return None  # nothing to recognise them by next time: an anonymous headcount row
    person, _conflict = match_person(row.organisation.id, row.personnel_number, row.email)
    if person is None:
        person = Person(organisation=row.organisation)
        db.session.add(person)
        report.people_created += 1
    else:
        report.people_updated += 1
    person.unit, person.position_category, person.active = row.unit, row.position, True
    person.personnel_number = row.personnel_number or person.personnel_number
    person.email = row.email or person.email
    person.full_name = row.name or person.full_name
    person.language = row.language or person.language
    db.session.flush()  # the next row may match this person
    return person


def _existing_invitation(campaign: Campaign, row: StaffRow,
                         person: Person | None) -> Invitation | None:
    query = db.select(Invitation).filter_by(campaign_id=campaign.id)
    if not campaign.anonymous and person is not None:
        return db.session.scalar(query.filter_by(person_id=person.id))
    if row.email:
        return db.session.scalar(query.filter_by(organisation_id=row.organisation.id,
                                                 email=row.email))
    return None


def issue_links(invitations: list[Invitation],
                names: dict[int, str | None] | None = None) -> list[IssuedLink]:
    """New tokens for unused invitations; the old links stop working. Marks them as sent.

    ``names``: invitation id → the name to print next to its link (from the staff list)."""
    refused = [i for i in invitations if i.status not in USABLE_STATUSES]
    if refused:
        raise ProblemsError([Problem("already_started", params={"id": i.id}) for i in refused])
    links = []
    now = utcnow()
    for invitation in invitations:
        token = new_token()
        invitation.token_hash = hash_token(token)
        invitation.status, invitation.sent_at = "sent", now
        links.append(IssuedLink(invitation, token, (names or {}).get(invitation.id)))
    if invitations:
        record("links_issued", f"campaign:{invitations[0].campaign.code}",
               {"invitations": [i.id for i in invitations]})
    return links


def find_invitations(campaign: Campaign, emails: Sequence[str] = (),
                     ids: Sequence[int] = ()) -> list[Invitation]:
    """The campaign's invitations to any of ``emails`` (case ignored) or with any of ``ids``."""
    return list(db.session.scalars(db.select(Invitation).filter_by(campaign_id=campaign.id).where(
        Invitation.email.in_([e.lower() for e in emails]) | Invitation.id.in_(list(ids)))
        .order_by(Invitation.id)))


def undistributed(campaign: Campaign, organisation_ids: set[int] | None = None,
                  with_email: bool | None = None) -> list[Invitation]:
    """Invitations whose link has not been handed out yet."""
    query = db.select(Invitation).filter_by(campaign_id=campaign.id, status="new").where(
        *scope_clauses(Invitation.organisation_id, organisation_ids))
    if with_email is not None:
        query = query.where(Invitation.email.isnot(None) if with_email
                            else Invitation.email.is_(None))
    return list(db.session.scalars(query.order_by(Invitation.id)))


# The link list's columns: these names head the command line's files; the web downloads show
# them in the page's language (:func:`link_headers`).
LINK_COLUMNS = ("name", "email", "organisation", "unit", "position", "language", "link")
LINK_LABEL = _l("Link")


def link_headers() -> list[str]:
    """The link list's column headers in the current locale — the staff-list column names, so
    the file reads as the list it came from."""
    return [str(LINK_LABEL) if column == "link" else column_label(column)
            for column in LINK_COLUMNS]


def _link_rows(links: list[IssuedLink]) -> Iterator[list[str]]:
    """The cells of each link, every one passed through :func:`survey.exports.safe_text`: names
    and e-mails come from an uploaded staff list, and a spreadsheet must show them as text."""
    for link in links:
        inv = link.invitation
        yield [safe_text(cell) for cell in (
            link.display_name, inv.email or "", inv.organisation.code, inv.unit.code,
            inv.position_category.code, inv.language or inv.campaign.default_language, link.url)]


def links_csv(links: list[IssuedLink], headers: Sequence[str] = LINK_COLUMNS) -> str:
    """The link list as CSV (UTF-8; spreadsheet programs open it with a BOM)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_text(header) for header in headers])
    writer.writerows(_link_rows(links))
    return out.getvalue()


def links_xlsx(links: list[IssuedLink], headers: Sequence[str] = LINK_COLUMNS) -> bytes:
    """The link list as an Excel workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("links")
    sheet.append([safe_text(header) for header in headers])
    for row in _link_rows(links):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
