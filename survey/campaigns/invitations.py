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
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value

from ..access import scope_clauses
from ..exports import safe_text
from ..extensions import db
from ..models import Attempt, Campaign, Invitation, Person
from ..models._types import utcnow
from ..tokens import attempt_key, hash_token, new_token
from .audit import record
from .problems import Problem, ProblemsError, column_label
from .staff_list import StaffRow

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
    people = _People({row.organisation.id for row in rows})
    existing = _Invitations(campaign)
    # One query for the people and one for the invitations, then no query per row: a list of
    # 20,000 rows is imported within a request's time.
    with db.session.no_autoflush:
        for row in rows:
            _import_row(campaign, row, people.upsert(row, report), existing, report)
    db.session.flush()
    record("staff_list_imported", f"campaign:{campaign.code}", {
        "rows": len(rows), "people_created": report.people_created,
        "people_updated": report.people_updated,
        "invitations_created": report.invitations_created})
    return report


def _import_row(campaign: Campaign, row: StaffRow, person: Person | None,
                existing: _Invitations, report: ImportReport) -> None:
    invitation = existing.find(row, person)
    if invitation is not None:
        report.invitations_kept += 1
        if invitation.status in USABLE_STATUSES:
            invitation.unit, invitation.position_category = row.unit, row.position
            invitation.language = row.language or invitation.language
        return
    # Nobody sees this token: links are issued when they are handed out (issue_links).
    invitation = create_invitation(
        campaign, organisation=row.organisation, unit=row.unit,
        position_category=row.position, email=row.email,
        language=row.language or (person.language if person else None),
        person=None if campaign.anonymous else person).invitation
    report.invitations_created += 1
    report.created.append((invitation, row.name))


class _People:
    """The stored people of some bodies, by personnel number and by e-mail (what
    :func:`match_person` looks up, read in one query), kept up to date as rows add people."""

    def __init__(self, organisation_ids: set[int]) -> None:
        self.by_number: dict[tuple[int, str], Person] = {}
        self.by_email: dict[tuple[int, str], Person] = {}
        query = db.select(Person).where(Person.organisation_id.in_(organisation_ids))
        for person in db.session.scalars(query):
            self._index(person, person.organisation_id)

    def _index(self, person: Person, organisation_id: int) -> None:
        if person.personnel_number:
            self.by_number[(organisation_id, person.personnel_number)] = person
        if person.email:
            self.by_email[(organisation_id, person.email)] = person

    def match(self, organisation_id: int, number: str | None, email: str | None) -> Person | None:
        """The person :func:`match_person` would find (by number, else by e-mail unless that
        e-mail's holder has another personnel number)."""
        by_number = self.by_number.get((organisation_id, number)) if number else None
        if by_number is not None:
            return by_number
        by_email = self.by_email.get((organisation_id, email)) if email else None
        if by_email is not None and number and by_email.personnel_number:
            return None
        return by_email

    def upsert(self, row: StaffRow, report: ImportReport) -> Person | None:
        if not (row.personnel_number or row.email):
            return None  # nothing to recognise them by next time: an anonymous headcount row
        person = self.match(row.organisation.id, row.personnel_number, row.email)
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
        self._index(person, row.organisation.id)  # the next row may match this person
        return person


class _Invitations:
    """A campaign's stored invitations, by person and by body and e-mail, read in one query."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.by_person: dict[int, Invitation] = {}
        self.by_email: dict[tuple[int, str], Invitation] = {}
        for invitation in db.session.scalars(
                db.select(Invitation).filter_by(campaign_id=campaign.id).order_by(Invitation.id)):
            if invitation.person_id is not None:
                self.by_person.setdefault(invitation.person_id, invitation)
            if invitation.email:
                self.by_email.setdefault((invitation.organisation_id, invitation.email),
                                         invitation)

    def find(self, row: StaffRow, person: Person | None) -> Invitation | None:
        if not self.campaign.anonymous and person is not None:
            # A person added by this import has no id yet, and so no invitation.
            return self.by_person.get(person.id) if person.id is not None else None
        if row.email:
            return self.by_email.get((row.organisation.id, row.email))
        return None


def issue_links(invitations: list[Invitation],
                names: dict[int, str | None] | None = None, *,
                guarded: bool = False, audit: bool = True) -> list[IssuedLink]:
    """New tokens for unused invitations; the old links stop working. Marks them as sent.

    ``names``: invitation id → the name to print next to its link (from the staff list).
    ``guarded``: for a caller that read the invitations a while ago (the background sender):
    each token is written by an UPDATE that holds only while the stored invitation still has
    the token and status that were read, so one started, finished or given a link since is
    left as it is — and left out of the links returned. ``audit=False``: the caller records
    the links it issued itself (:func:`record_links_issued`), e.g. once per batch."""
    refused = [i for i in invitations if i.status not in USABLE_STATUSES]
    if refused:
        raise ProblemsError([Problem("already_started", params={"id": i.id}) for i in refused])
    links = []
    now = utcnow()
    for invitation in invitations:
        token = new_token()
        if guarded:
            read = (invitation.token_hash, invitation.status)
            if not _write_if(invitation, read, hash_token(token), "sent", now):
                continue
        else:
            invitation.token_hash = hash_token(token)
            invitation.status, invitation.sent_at = "sent", now
        links.append(IssuedLink(invitation, token, (names or {}).get(invitation.id)))
    if audit and links:
        record_links_issued(links[0].invitation.campaign, [link.invitation.id for link in links])
    return links


def withdraw_link(link: IssuedLink, previous: tuple[str, str, datetime | None]) -> bool:
    """Undo a guarded issue whose link never reached its person: ``previous`` (the token hash,
    status and sent time before it) comes back — only while the invitation still holds this
    link, unused (a connection that dropped after the message was taken may have delivered
    it, and then it may have been started with)."""
    return _write_if(link.invitation, (hash_token(link.token), "sent"), *previous)


_INVITATION = Invitation.__table__
_WRITE_IF = (
    update(_INVITATION)
    .where(_INVITATION.c.id == bindparam("invitation"),
           _INVITATION.c.token_hash == bindparam("read_hash"),
           _INVITATION.c.status == bindparam("read_status"))
    .values(token_hash=bindparam("token_hash"), status=bindparam("status"),
            sent_at=bindparam("sent_at", type_=Invitation.sent_at.type)))


def _write_if(invitation: Invitation, stored: tuple[str, str], token_hash: str, status: str,
              sent_at: datetime | None) -> bool:
    """Write a token, status and sent time only while the row holds ``stored`` (its token hash
    and status)."""
    written = db.session.execute(_WRITE_IF, {
        "invitation": invitation.id, "read_hash": stored[0], "read_status": stored[1],
        "token_hash": token_hash, "status": status, "sent_at": sent_at}).rowcount
    if written:
        # What the row now holds, without making the object dirty: a flush must not write it
        # again unguarded.
        for key, value in (("token_hash", token_hash), ("status", status), ("sent_at", sent_at)):
            set_committed_value(invitation, key, value)
    return bool(written)


def record_links_issued(campaign: Campaign, invitation_ids: list[int],
                        **details: Any) -> None:
    """The audit entry of links issued (``details``: e.g. the send that mailed them)."""
    record("links_issued", f"campaign:{campaign.code}",
           {"invitations": invitation_ids, **details})


def can_recover(invitation: Invitation) -> bool:
    """Whether someone who started and lost the link can get a new one that finds their saved
    answers: only in an identified campaign (an anonymous attempt keeps no tie to its
    invitation) and only before they finished."""
    return invitation.status == "started" and not invitation.campaign.anonymous


def recover_link(invitation: Invitation) -> IssuedLink:
    """A new link for a started, unfinished invitation of an identified campaign: the attempt
    is moved to the new token with every saved answer; the old link stops working."""
    if not can_recover(invitation):
        raise ProblemsError([Problem("already_started", params={"id": invitation.id})])
    token = new_token()
    invitation.token_hash = hash_token(token)
    db.session.execute(update(Attempt).where(
        Attempt.invitation_id == invitation.id, Attempt.finished_at.is_(None)
    ).values(access_hash=attempt_key(token)))
    record("link_recovered", f"campaign:{invitation.campaign.code}",
           {"invitation": invitation.id})
    return IssuedLink(invitation, token)


def progress(campaign_ids: Sequence[int],
             organisation_ids: set[int] | frozenset[int] | None = None) -> dict[int, dict[str, int]]:
    """Invitations of each campaign by status (new, sent, started, finished) in the bodies
    ``organisation_ids`` (None: all), in one query."""
    rows = db.session.execute(
        db.select(Invitation.campaign_id, Invitation.status, db.func.count(Invitation.id))
        .where(Invitation.campaign_id.in_(list(campaign_ids)),
               *scope_clauses(Invitation.organisation_id, organisation_ids))
        .group_by(Invitation.campaign_id, Invitation.status))
    counts: dict[int, dict[str, int]] = {i: {} for i in campaign_ids}
    for campaign_id, status, count in rows:
        counts[campaign_id][status] = count
    return counts


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
