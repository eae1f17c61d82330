"""E-mail in the background: a send is queued in one statement, then its messages go out in
throttled batches (``MAIL_PER_MINUTE``, ``MAIL_BATCH_SIZE``) from the job consumer, by one
sender per send at a time.

Each message is sent at most once. Its delivery row is claimed (queued → sending, guarded in
SQL) and its new link issued in one commit before the message is handed to the server; that
commit also records the message before it as sent (a batch's last message is recorded at its
end, and one followed by a long wait for the next slot is recorded before the wait). So a
message costs one durable commit, and a retried job finds it no longer queued and skips it. A
sender killed between handing a message over and recording it leaves that one "sending"; the
next batch marks it "uncertain" rather than send it again, and the campaign page lists it.

A batch reads its deliveries with their invitations once. A link is written only over the
invitation's state as read then, so someone who started or finished since keeps their link
(a reminder without one, or no message). A refusal for good (5xx, an address that cannot be
written) is recorded on the delivery and the invitation keeps its previous link; a temporary
failure (4xx, a dropped connection) puts the message back in the queue, and after
``MAIL_MAX_ATTEMPTS`` it is recorded as failed. The links a batch issued are audited in one
entry at its end, naming the send: the per-message record is the delivery row, committed
before its message leaves."""

from __future__ import annotations

import smtplib
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import bindparam, case, func, insert, update
from sqlalchemy.orm import joinedload

from ..access import scope_clauses
from ..extensions import db
from ..models import Campaign, Delivery, Invitation, MailSend
from ..models._types import utcnow
from .audit import record
from .invitations import IssuedLink, issue_links, record_links_issued, withdraw_link
from .mail import _connect, _quit, _reminder_without_link, invitation_message
from .senders import only_sender

PROBLEM_STATUSES = ("refused", "failed", "uncertain", "bounced")


@dataclass
class Progress:
    """How far a send has gone: counts by delivery status."""

    send: MailSend
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.total - self.counts.get("queued", 0) - self.counts.get("sending", 0)


class TemporaryMailError(RuntimeError):
    """The server could not take a message now; the batch is tried again later."""


def queue_send(campaign: Campaign, kind: str, organisation_ids: set[int] | None = None,
               key: str | None = None) -> MailSend | None:
    """Queue one message per eligible invitation: for an invitation, those whose link was
    never handed out; for a reminder, those with a link who have not finished. One INSERT …
    SELECT, so 20,000 invitations are queued in well under a second. ``key`` makes a send
    happen once per campaign (a scheduled reminder); None if there is nobody to write to."""
    statuses = ("new",) if kind == "invitation" else ("sent", "started")
    eligible = db.select(Invitation.id).where(
        Invitation.campaign_id == campaign.id, Invitation.status.in_(statuses),
        Invitation.email.isnot(None), *scope_clauses(Invitation.organisation_id, organisation_ids))
    if db.session.scalar(db.select(func.count()).select_from(eligible.subquery())) == 0:
        return None
    send = MailSend(campaign_id=campaign.id, kind=kind, key=key or f"manual:{uuid.uuid4().hex}")
    db.session.add(send)
    db.session.flush()
    now = utcnow()
    db.session.execute(insert(Delivery).from_select(
        ["send_id", "invitation_id", "status", "attempts", "updated_at"],
        db.select(db.literal(send.id), Invitation.id, db.literal("queued"), db.literal(0),
                  db.literal(now, type_=Delivery.updated_at.type))
        .where(Invitation.id.in_(eligible)).order_by(Invitation.id)))
    record("mail_queued", f"campaign:{campaign.code}", {"kind": kind, "send": send.id})
    return send


def unfinished_sends() -> list[int]:
    """Sends with messages still queued or being sent (a consumer starting takes them up)."""
    return list(db.session.scalars(
        db.select(MailSend.id).where(MailSend.finished_at.is_(None)).order_by(MailSend.id)))


def progress(campaign_id: int, limit: int = 5) -> list[Progress]:
    """The latest sends of a campaign with their counts by status."""
    sends = list(db.session.scalars(db.select(MailSend).filter_by(campaign_id=campaign_id)
                                    .order_by(MailSend.id.desc()).limit(limit)))
    counts: dict[int, dict[str, int]] = {s.id: {} for s in sends}
    if sends:
        rows = db.session.execute(
            db.select(Delivery.send_id, Delivery.status, func.count())
            .where(Delivery.send_id.in_(list(counts))).group_by(Delivery.send_id, Delivery.status))
        for send_id, status, count in rows:
            counts[send_id][status] = count
    return [Progress(s, counts[s.id]) for s in sends]


def problems(campaign_id: int, limit: int = 200) -> list:
    """Messages refused, failed, bounced or of uncertain fate, newest first."""
    return list(db.session.execute(
        db.select(Delivery, Invitation).join(Invitation, Delivery.invitation_id == Invitation.id)
        .join(MailSend, Delivery.send_id == MailSend.id)
        .where(MailSend.campaign_id == campaign_id, Delivery.status.in_(PROBLEM_STATUSES))
        .order_by(Delivery.id.desc()).limit(limit)).all())


def record_bounce(campaign: Campaign, address: str, reason: str) -> int:
    """A bounce reported back later: the latest sent message to ``address`` is marked."""
    latest = db.session.scalar(
        db.select(Delivery.id).join(Invitation, Delivery.invitation_id == Invitation.id)
        .where(Invitation.campaign_id == campaign.id,
               func.lower(Invitation.email) == address.strip().lower(),
               Delivery.status == "sent").order_by(Delivery.id.desc()).limit(1))
    if latest is None:
        return 0
    db.session.execute(update(Delivery).where(Delivery.id == latest).values(
        status="bounced", error=reason[:500], updated_at=utcnow()))
    return 1


class _Pace:
    """Spaces messages evenly at ``MAIL_PER_MINUTE`` (per sending process).

    A sender running a little behind its schedule (a slow commit, the next batch being read)
    keeps the schedule rather than starting it again from now, so that the hiccups of a long
    send are not lost for good; it is never ahead of the schedule, and never more than
    ``CATCH_UP`` seconds behind it: in any stretch of time at most ``CATCH_UP`` seconds' worth
    of messages more than the rate leave, whatever the server's per-minute limit counts."""

    CATCH_UP = 0.05  # seconds
    next_at = 0.0

    @classmethod
    def reserve(cls) -> float:
        """Take the next message's slot: the ``time.monotonic()`` at which it may leave."""
        rate = float(current_app.config["MAIL_PER_MINUTE"])
        now = time.monotonic()
        at = cls.next_at if cls.next_at >= now - cls.CATCH_UP else now
        cls.next_at = at + 60.0 / rate
        return at


def _sleep_until(at: float) -> None:
    delay = at - time.monotonic()
    if delay > 0:
        time.sleep(delay)


# A sender with longer than this to wait for its next slot records the message it just sent
# first (a commit of its own), so that a sender stopped while waiting leaves nothing "sending".
# Waits are this short only near full speed, where the record rides with the next claim.
_RECORD_BEFORE_WAIT = 0.05  # seconds


def send_batch(send_id: int) -> bool:
    """Send the next batch of a send's queued messages. True if more remain (False also when
    another sender has the send: it carries on).

    Raises :class:`TemporaryMailError` when the server cannot take messages now (the caller
    retries later, with back-off)."""
    with only_sender(send_id) as only:
        return only and _send_batch(send_id)


def _send_batch(send_id: int) -> bool:
    config = current_app.config
    # Left "sending" by a sender that stopped: it may have gone out, so it is not sent again.
    db.session.execute(update(Delivery).where(Delivery.send_id == send_id,
                                              Delivery.status == "sending")
                       .values(status="uncertain", updated_at=utcnow()))
    db.session.commit()
    send = db.session.get(MailSend, send_id)
    if send is None:
        return False
    with _kept_loaded():
        # The campaign once, then each delivery with its invitation, body and person in one
        # query: nothing is read again per message (the claims and links are guarded in SQL).
        db.session.get(Campaign, send.campaign_id)
        invitation = joinedload(Delivery.invitation, innerjoin=True)
        batch = list(db.session.scalars(
            db.select(Delivery).where(Delivery.send_id == send_id, Delivery.status == "queued")
            .options(invitation.joinedload(Invitation.organisation, innerjoin=True),
                     invitation.joinedload(Invitation.person))
            .order_by(Delivery.id).limit(int(config["MAIL_BATCH_SIZE"]))))
        if not batch:
            send.finished_at = send.finished_at or utcnow()
            db.session.commit()
            return False
        try:
            smtp = _connect()
        except Exception as error:  # MailServerError: the server is unreachable now
            raise TemporaryMailError(str(error)) from error
        sender = _Sender(send, smtp)
        try:
            for delivery in batch:
                sender.deliver(delivery)
        finally:
            _quit(smtp)
        sender.close()
    return True


@contextmanager
def _kept_loaded() -> Iterator[None]:
    """The batch's objects stay loaded across its commits (no reload per message); the caller
    finds them expired afterwards, as after any commit."""
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = expire_on_commit
        session.expire_all()


class _Sender:
    """One batch going out over one connection with one commit per message: the claim of a
    message and its new link are committed before it leaves, together with the record that
    the message before it was sent. So at most one message is ever "sending"."""

    def __init__(self, send: MailSend, smtp: smtplib.SMTP) -> None:
        self.send, self.smtp = send, smtp
        self.reminder = send.kind == "reminder"
        self.unrecorded: Delivery | None = None  # handed to the server, not yet recorded
        self.pending = False  # a transaction is open
        self.linked: list[int] = []  # invitations whose new link went out in this batch

    def deliver(self, delivery: Delivery) -> None:
        invitation = delivery.invitation
        if self._needs_no_message(invitation):
            # As read with the batch: a finished invitation stays finished, and one that got
            # its link another way is not sent another.
            self._skip(delivery)
            return
        at = _Pace.reserve()
        wait = at - time.monotonic()
        if wait > 0 and (self.pending or (self.unrecorded is not None
                                          and wait > _RECORD_BEFORE_WAIT)):
            self._record_sent()
            self._commit()  # no transaction stays open while waiting
        _sleep_until(at)
        self._record_sent()
        self.pending = True
        if not _claim(delivery.id):
            return  # another sender has it, or it was already handled
        outgoing = self._prepare(delivery, invitation)
        if outgoing is None:
            return
        message, link, previous = outgoing
        self._commit()  # the claim and the new link, before the message leaves
        try:
            self.smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError, ValueError) as error:
            code = getattr(error, "smtp_code", None) or 550
            if isinstance(error, smtplib.SMTPRecipientsRefused):
                code = min((c for c, _m in error.recipients.values()), default=550)
            if link is not None:
                withdraw_link(link, previous)
            if 400 <= code < 500:
                self._requeue(delivery, str(error))
                raise TemporaryMailError(str(error)) from error
            _finish(delivery.id, "refused", str(error)[:500])
            self._commit()
            return
        except (smtplib.SMTPException, OSError) as error:
            if link is not None:
                withdraw_link(link, previous)
            self._requeue(delivery, str(error))
            raise TemporaryMailError(str(error)) from error
        self.unrecorded = delivery
        if link is not None:
            self.linked.append(invitation.id)

    def _needs_no_message(self, invitation: Invitation) -> bool:
        return invitation.status == "finished" or (
            not self.reminder and invitation.status != "new")

    def _prepare(self, delivery: Delivery, invitation: Invitation
                 ) -> tuple[EmailMessage, IssuedLink | None, tuple] | None:
        """The message of a claimed delivery with the link issued for it and the invitation's
        state before (no link: a reminder for someone who started), or None if it is not sent.
        The invitation may have changed since the batch was read: its link is written only
        over the state read, else it is read again and looked at anew."""
        for fresh in (False, True):
            if fresh or invitation.status == "started":
                db.session.refresh(invitation, ["token_hash", "status", "sent_at"])
            if self._needs_no_message(invitation):
                _finish(delivery.id, "skipped")
                return None
            if invitation.status == "started":
                return _reminder_without_link(invitation), None, ()
            previous = (invitation.token_hash, invitation.status, invitation.sent_at)
            links = issue_links([invitation], guarded=True, audit=False)
            if links:
                try:
                    return invitation_message(links[0], self.reminder), links[0], previous
                except ValueError as error:  # a header that cannot be written
                    withdraw_link(links[0], previous)
                    _finish(delivery.id, "refused", str(error)[:500])
                    return None
        # Changed again while being read: the next batch looks at it.
        _finish(delivery.id, "queued")
        return None

    def _skip(self, delivery: Delivery) -> None:
        _claim(delivery.id, "skipped")
        self.pending = True

    def _record_sent(self) -> None:
        delivery, self.unrecorded = self.unrecorded, None
        if delivery is None:
            return
        if self.reminder:
            db.session.execute(_REMINDED, {"invitation": delivery.invitation_id,
                                           "now": utcnow()})
        _finish(delivery.id, "sent")
        self.pending = True

    def _requeue(self, delivery: Delivery, error: str) -> None:
        """A temporary failure: back to the queue, or after the last try recorded as failed;
        the batch stops here."""
        failed = Delivery.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"])
        db.session.execute(update(Delivery).where(Delivery.id == delivery.id).values(
            status=case((failed, "failed"), else_="queued"), error=error[:500],
            updated_at=utcnow()).execution_options(synchronize_session=False))
        self.close()

    def close(self) -> None:
        """The batch's end: its last message recorded, and one audit entry for its links."""
        self._record_sent()
        if self.linked:
            record_links_issued(self.send.campaign, self.linked, send=self.send.id)
            self.linked = []
        self._commit()

    def _commit(self) -> None:
        db.session.commit()
        self.pending = False


# The statements of every message, built once (a message's work is mostly these round trips).
_DELIVERY = Delivery.__table__
_NOW = bindparam("now", type_=Delivery.updated_at.type)
_CLAIM = (update(_DELIVERY)
          .where(_DELIVERY.c.id == bindparam("delivery"), _DELIVERY.c.status == "queued")
          .values(status=bindparam("status"), attempts=_DELIVERY.c.attempts + 1,
                  updated_at=_NOW))
_FINISH = (update(_DELIVERY).where(_DELIVERY.c.id == bindparam("delivery"))
           .values(status=bindparam("status"), error=bindparam("error"), updated_at=_NOW))
_REMINDED = (update(Invitation.__table__).where(Invitation.id == bindparam("invitation"))
             .values(reminded_at=bindparam("now", type_=Invitation.reminded_at.type)))


def _claim(delivery_id: int, status: str = "sending") -> bool:
    """Take a queued delivery (guarded: only one sender ever takes it)."""
    return bool(db.session.execute(
        _CLAIM, {"delivery": delivery_id, "status": status, "now": utcnow()}).rowcount)


def _finish(delivery_id: int, status: str, error: str | None = None) -> None:
    db.session.execute(_FINISH, {"delivery": delivery_id, "status": status, "error": error,
                                 "now": utcnow()})
