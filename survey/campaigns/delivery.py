"""E-mail in the background: a send is queued in one statement, then its messages go out in
throttled batches (``MAIL_PER_MINUTE``, ``MAIL_BATCH_SIZE``) from the job consumer.

Each message is sent at most once. Its delivery row is claimed (queued → sending) and its new
link issued in one commit before the message is handed to the server, and recorded as sent in
the next: a retried job finds it no longer queued and skips it. A sender killed between the
two leaves it "sending"; the next batch marks it "uncertain" rather than send it again, and
the campaign page lists it. A refusal for good (5xx, an address that cannot be written) is
recorded on the delivery and the invitation keeps its previous link; a temporary failure (4xx,
a dropped connection) puts the message back in the queue, and after ``MAIL_MAX_ATTEMPTS`` it
is recorded as failed."""

from __future__ import annotations

import smtplib
import time
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, insert, update

from ..access import scope_clauses
from ..extensions import db
from ..models import Campaign, Delivery, Invitation, MailSend
from ..models._types import utcnow
from .audit import record
from .invitations import issue_links
from .mail import _connect, _quit, _reminder_without_link, invitation_message

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
    """Spaces messages evenly at ``MAIL_PER_MINUTE`` (per sending process)."""

    next_at = 0.0

    @classmethod
    def wait(cls) -> None:
        rate = float(current_app.config["MAIL_PER_MINUTE"])
        now = time.monotonic()
        if cls.next_at > now:
            time.sleep(cls.next_at - now)
        cls.next_at = max(now, cls.next_at) + 60.0 / rate


def send_batch(send_id: int) -> bool:
    """Send the next batch of a send's queued messages. True if more remain.

    Raises :class:`TemporaryMailError` when the server cannot take messages now (the caller
    retries later, with back-off)."""
    config = current_app.config
    # Left "sending" by a sender that stopped: it may have gone out, so it is not sent again.
    db.session.execute(update(Delivery).where(Delivery.send_id == send_id,
                                              Delivery.status == "sending")
                       .values(status="uncertain", updated_at=utcnow()))
    db.session.commit()
    send = db.session.get(MailSend, send_id)
    if send is None:
        return False
    batch = list(db.session.scalars(
        db.select(Delivery.id).where(Delivery.send_id == send_id, Delivery.status == "queued")
        .order_by(Delivery.id).limit(int(config["MAIL_BATCH_SIZE"]))))
    if not batch:
        send.finished_at = send.finished_at or utcnow()
        db.session.commit()
        return False
    try:
        smtp = _connect()
    except Exception as error:  # MailServerError: the server is unreachable now
        raise TemporaryMailError(str(error)) from error
    try:
        for delivery_id in batch:
            _Pace.wait()
            _deliver(send, delivery_id, smtp)
    finally:
        _quit(smtp)
    return True


def _claim(delivery_id: int) -> bool:
    return bool(db.session.execute(
        update(Delivery).where(Delivery.id == delivery_id, Delivery.status == "queued")
        .values(status="sending", attempts=Delivery.attempts + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount)


def _finish(delivery_id: int, status: str, error: str | None = None) -> None:
    db.session.execute(update(Delivery).where(Delivery.id == delivery_id)
                       .values(status=status, error=error, updated_at=utcnow())
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _deliver(send: MailSend, delivery_id: int, smtp: smtplib.SMTP) -> None:
    if not _claim(delivery_id):
        db.session.rollback()
        return  # another sender has it, or it was already handled
    delivery = db.session.get(Delivery, delivery_id)
    invitation = delivery.invitation
    previous = (invitation.token_hash, invitation.status, invitation.sent_at)
    reminder = send.kind == "reminder"
    if invitation.status == "finished" or (not reminder and invitation.status != "new"):
        db.session.commit()
        _finish(delivery_id, "skipped")
        return
    if invitation.status == "started":
        message = _reminder_without_link(invitation)
    else:
        try:
            message = invitation_message(issue_links([invitation])[0], reminder)
        except ValueError as error:  # a header that cannot be written
            db.session.rollback()
            _finish(delivery_id, "refused", str(error))
            return
    db.session.commit()  # the claim and the new link, before the message leaves
    try:
        smtp.send_message(message)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
            ValueError) as error:
        code = getattr(error, "smtp_code", None) or 550
        _restore(invitation.id, previous)
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            code = min((c for c, _m in error.recipients.values()), default=550)
        if 400 <= code < 500:
            _requeue(delivery_id, str(error))
            raise TemporaryMailError(str(error)) from error
        _finish(delivery_id, "refused", str(error)[:500])
        return
    except (smtplib.SMTPException, OSError) as error:
        _restore(invitation.id, previous)
        _requeue(delivery_id, str(error))
        raise TemporaryMailError(str(error)) from error
    if reminder:
        db.session.execute(update(Invitation).where(Invitation.id == invitation.id)
                           .values(reminded_at=utcnow()))
    _finish(delivery_id, "sent")


def _restore(invitation_id: int, previous: tuple) -> None:
    token_hash, status, sent_at = previous
    db.session.rollback()
    db.session.execute(update(Invitation).where(Invitation.id == invitation_id)
                       .values(token_hash=token_hash, status=status, sent_at=sent_at))


def _requeue(delivery_id: int, error: str) -> None:
    attempts = db.session.scalar(db.select(Delivery.attempts).filter_by(id=delivery_id)) or 0
    failed = attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"])
    _finish(delivery_id, "failed" if failed else "queued", error[:500])
