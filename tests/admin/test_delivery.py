"""E-mail through the job queue: queued in one statement, each message sent once, refusals
and temporary failures recorded per invitation (jobs run at once in the tests)."""

from __future__ import annotations

import time

import pytest

from survey.campaigns import delivery
from survey.campaigns.delivery import (
    TemporaryMailError,
    _Pace,
    progress,
    queue_send,
    send_batch,
)
from survey.campaigns.invitations import import_staff_list
from survey.campaigns.staff_list import read_staff_list
from survey.extensions import db
from survey.models import AuditEntry, Delivery, Invitation
from survey.tokens import hash_token

from .factories import staff
from .smtp import Mailbox, running_smtp_server


def staff_list(n: int) -> bytes:
    rows = [f"mdd,it,specialist,Person {i},p{i}@gov.kz,kk" for i in range(n)]
    return ("organisation,unit,position,name,email,language\n" + "\n".join(rows)).encode()


@pytest.fixture
def open_campaign(draft):
    rows, problems = read_staff_list(staff_list(5), "s.csv", draft)
    assert problems == []
    import_staff_list(draft, rows)
    draft.status = "open"
    db.session.commit()
    return draft


class Picky(Mailbox):
    """Refuses some recipients for good (550) and others for now (451)."""

    def __init__(self, refused=(), later=()):
        super().__init__()
        self.refused, self.later = set(refused), set(later)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        if address in self.later:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def picky_server(app):
    with running_smtp_server(Picky(refused={"p1@gov.kz"})) as (mailbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield mailbox


def statuses() -> dict[str, str]:
    rows = db.session.execute(db.select(Invitation.email, Delivery.status)
                              .join(Delivery, Delivery.invitation_id == Invitation.id))
    return dict(rows.all())


def test_a_send_is_queued_then_each_message_goes_out_once_and_refusals_are_kept(
        open_campaign, picky_server):
    send = queue_send(open_campaign, "invitation")
    db.session.commit()
    assert progress(open_campaign.id)[0].counts == {"queued": 5}
    assert send_batch(send.id) is True  # a batch was sent; the next call finds the send done
    assert send_batch(send.id) is False
    assert statuses() == {"p0@gov.kz": "sent", "p1@gov.kz": "refused", "p2@gov.kz": "sent",
                          "p3@gov.kz": "sent", "p4@gov.kz": "sent"}
    refused = db.session.scalar(db.select(Invitation).filter_by(email="p1@gov.kz"))
    assert refused.status == "new"  # no link went out: it can be sent again later
    assert "550" in db.session.scalar(db.select(Delivery.error).filter_by(
        invitation_id=refused.id))
    # A retried job finds nothing queued: nobody gets a second message.
    send_batch(send.id)
    assert sorted(r[0] for r, _m in picky_server.messages) == [
        "p0@gov.kz", "p2@gov.kz", "p3@gov.kz", "p4@gov.kz"]
    for rcpts, message in picky_server.messages:
        link = message.get_content().split("/i/", 1)[1].split()[0]
        invitation = db.session.scalar(db.select(Invitation).filter_by(email=rcpts[0]))
        assert invitation.token_hash == hash_token(link)
        assert invitation.status == "sent"
    # One audit entry for the batch: the send, and the invitations whose new link went out.
    linked = db.session.scalars(db.select(Invitation.id).where(Invitation.email.in_(
        ["p0@gov.kz", "p2@gov.kz", "p3@gov.kz", "p4@gov.kz"])).order_by(Invitation.id)).all()
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="links_issued")).all()
    assert [entry.details for entry in entries] == [{"invitations": linked, "send": send.id}]


def test_a_temporary_refusal_requeues_the_message_and_the_last_try_records_a_failure(
        open_campaign, picky_server, app):
    picky_server.later = {"p0@gov.kz"}
    app.config.update(MAIL_MAX_ATTEMPTS=2)
    send = queue_send(open_campaign, "invitation")
    db.session.commit()
    with pytest.raises(TemporaryMailError):
        send_batch(send.id)
    assert statuses()["p0@gov.kz"] == "queued"
    with pytest.raises(TemporaryMailError):
        send_batch(send.id)
    assert statuses()["p0@gov.kz"] == "failed"
    picky_server.later = set()
    while send_batch(send.id):
        pass
    assert statuses() == {"p0@gov.kz": "failed", "p1@gov.kz": "refused", "p2@gov.kz": "sent",
                          "p3@gov.kz": "sent", "p4@gov.kz": "sent"}


def test_a_message_left_sending_by_a_stopped_sender_is_never_sent_again(open_campaign,
                                                                        smtp_server):
    send = queue_send(open_campaign, "invitation")
    db.session.commit()
    first = db.session.scalars(db.select(Delivery).order_by(Delivery.id)).first()
    first.status = "sending"
    db.session.commit()
    while send_batch(send.id):
        pass
    assert len(smtp_server.messages) == 4
    db.session.expire_all()
    assert db.session.get(Delivery, first.id).status == "uncertain"


# One message every 0.2 s (each recorded before the wait), or every 0.02 s (each recorded
# with the next one's claim).
@pytest.mark.parametrize("per_minute", [300, 3000])
def test_mail_goes_out_at_the_configured_rate(open_campaign, smtp_server, app, per_minute,
                                              monkeypatch):
    app.config.update(MAIL_PER_MINUTE=per_minute)
    monkeypatch.setattr(_Pace, "next_at", 0.0)  # no schedule left by an earlier test's send
    send = queue_send(open_campaign, "invitation")
    db.session.commit()
    started = time.monotonic()
    send_batch(send.id)
    elapsed = time.monotonic() - started
    assert len(smtp_server.messages) == 5
    assert elapsed >= 4 * 60 / per_minute * 0.95  # five messages evenly spaced: four gaps


def test_a_sender_a_little_behind_keeps_its_schedule_and_one_far_behind_starts_again(
        app, monkeypatch):
    """A hiccup shorter than the catch-up is made up (the slots stay where they were); a
    sender idle or further behind starts a new schedule from now, never a burst."""
    app.config.update(MAIL_PER_MINUTE=12_000)  # a slot every 5 ms
    clock = [100.0]
    monkeypatch.setattr(delivery.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(_Pace, "next_at", 0.0)
    assert _Pace.reserve() == pytest.approx(100.0)  # idle before: now
    clock[0] = 100.020  # 15 ms late for the slot at 100.005
    slots = [_Pace.reserve() for _ in range(4)]
    assert slots == pytest.approx([100.005, 100.010, 100.015, 100.020])  # made up, not skipped
    assert _Pace.reserve() == pytest.approx(100.025)  # caught up: it waits for its slot again
    clock[0] = 100.5  # far behind (idle, or a long stall): a new schedule, not 95 at once
    assert _Pace.reserve() == pytest.approx(100.5)
    assert _Pace.reserve() == pytest.approx(100.505)


def test_the_admin_click_queues_and_the_campaign_page_shows_progress_and_refusals(
        open_campaign, picky_server, auth):
    admin = auth.as_(staff("admin", "admin@qabilet.kz"), language="en")
    page = admin.post(f"/admin/campaigns/{open_campaign.id}/send",
                      follow_redirects=True).get_data(as_text=True)
    assert "5 e-mails are queued" in page
    assert 'value="5"></progress> 5 / 5' in page
    assert "refused by the server: 1; sent: 4" in page
    undelivered = page.split('id="undelivered"', 1)[1].split("</table>", 1)[0]
    assert "p1@gov.kz" in undelivered
    assert "550" in undelivered
    again = admin.post(f"/admin/campaigns/{open_campaign.id}/send", follow_redirects=True)
    # Only the refused one is still without a link: it alone is queued again.
    assert "1 e-mail is queued" in again.get_data(as_text=True)


class Watching(Mailbox):
    """Calls ``seen(recipient, message)`` as each message arrives, before the server answers:
    what the database holds then is what a sender killed at that moment would leave."""

    def __init__(self, seen):
        super().__init__()
        self.seen = seen

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        rcpts, message = self.messages[-1]
        self.seen(rcpts[0], message)
        return reply


@pytest.fixture
def watched(app):
    """A loopback server whose ``seen`` hook a test sets."""
    with running_smtp_server(Watching(lambda recipient, message: None)) as (mailbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield mailbox


def link_in(message) -> str:
    return message.get_content().split("/i/", 1)[1].split()[0]


def committed(engine) -> dict[str, tuple[str, str]]:
    """e-mail → (delivery status, token hash), as another connection reads them."""
    with engine.connect() as connection:
        rows = connection.execute(
            db.select(Invitation.email, Delivery.status, Invitation.token_hash)
            .join(Delivery, Delivery.invitation_id == Invitation.id))
        return {email: (status, token_hash) for email, status, token_hash in rows}


@pytest.mark.parametrize("per_minute", [60000, 600])  # the record with the next claim, or first
def test_each_message_leaves_with_its_claim_and_link_committed_and_the_last_one_recorded(
        open_campaign, watched, app, per_minute):
    app.config.update(MAIL_PER_MINUTE=per_minute)
    send = queue_send(open_campaign, "invitation")
    db.session.commit()
    engine, seen = db.engine, []
    watched.seen = lambda recipient, message: seen.append(
        (recipient, link_in(message), committed(engine)))
    while send_batch(send.id):
        pass
    order = [recipient for recipient, _link, _state in seen]
    assert sorted(order) == [f"p{i}@gov.kz" for i in range(5)]
    for k, (recipient, link, state) in enumerate(seen):
        # Its claim and its new link committed before it left; every one before it recorded
        # as sent; so a sender killed now leaves exactly this one "sending".
        assert state[recipient] == ("sending", hash_token(link))
        assert [state[r][0] for r in order[:k]] == ["sent"] * k
        assert [state[r][0] for r in order[k + 1:]] == ["queued"] * (4 - k)
    assert set(statuses().values()) == {"sent"}


def test_a_batch_takes_one_commit_and_three_statements_per_message(app, draft, smtp_server):
    from sqlalchemy import event

    rows, problems = read_staff_list(staff_list(40), "s.csv", draft)
    assert problems == []
    import_staff_list(draft, rows)
    draft.status = "open"
    send = queue_send(draft, "invitation")
    db.session.commit()
    counts = {"statements": 0, "commits": 0}

    def statement(*_args):
        counts["statements"] += 1

    def commit(*_args):
        counts["commits"] += 1

    def batch(size: int) -> dict[str, int]:
        app.config.update(MAIL_BATCH_SIZE=size)
        counts.update(statements=0, commits=0)
        assert send_batch(send.id) is True
        return dict(counts)

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine, "commit", commit)
    try:
        small, large = batch(10), batch(30)
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(db.engine, "commit", commit)
    assert len(smtp_server.messages) == 40
    # Per message (what 20 more messages cost): its claim, its link, the record that the one
    # before it was sent — one durable commit. Nothing is read again per message.
    assert (large["commits"] - small["commits"]) / 20 <= 1
    assert (large["statements"] - small["statements"]) / 20 <= 3
    # Per batch: the sweep, the send, its campaign, the batch, its audit entry (and on
    # PostgreSQL the lock that makes it the send's only sender, on a connection of its own).
    assert small["commits"] <= 10 + 4
    assert small["statements"] <= 3 * 10 + 8


def test_an_invitation_started_or_finished_after_its_batch_was_read_keeps_its_link(
        open_campaign, watched, app):
    from survey.campaigns.invitations import issue_links
    from survey.models import Campaign
    from survey.responses.attempts import start_attempt

    invitations = list(db.session.scalars(db.select(Invitation).order_by(Invitation.id)))
    tokens = {link.invitation.email: link.token for link in issue_links(invitations)}
    db.session.commit()
    send = queue_send(open_campaign, "reminder")
    db.session.commit()
    campaign_id = open_campaign.id

    def meanwhile(recipient, _message):
        # While the first reminder is with the server, p2 opens their link and starts and p3
        # finishes: the sender read both as "sent" with its batch.
        if recipient != "p0@gov.kz":
            return
        with app.app_context():
            started = db.session.scalar(db.select(Invitation).filter_by(email="p2@gov.kz"))
            start_attempt(started, db.session.get(Campaign, campaign_id), tokens["p2@gov.kz"],
                          "kk")
            db.session.scalar(db.select(Invitation).filter_by(email="p3@gov.kz")).status = \
                "finished"
            db.session.commit()

    watched.seen = meanwhile
    while send_batch(send.id):
        pass
    received = {rcpts[0]: message for rcpts, message in watched.messages}
    assert set(received) == {"p0@gov.kz", "p1@gov.kz", "p2@gov.kz", "p4@gov.kz"}
    assert statuses() == {"p0@gov.kz": "sent", "p1@gov.kz": "sent", "p2@gov.kz": "sent",
                          "p3@gov.kz": "skipped", "p4@gov.kz": "sent"}
    # p2 is asked to go back to their own link, which still finds their attempt.
    assert "/i/" not in received["p2@gov.kz"].get_content()
    started = db.session.scalar(db.select(Invitation).filter_by(email="p2@gov.kz"))
    assert (started.status, started.token_hash) == ("started", hash_token(tokens["p2@gov.kz"]))
    assert started.reminded_at is not None
    finished = db.session.scalar(db.select(Invitation).filter_by(email="p3@gov.kz"))
    assert finished.token_hash == hash_token(tokens["p3@gov.kz"])
    for email in ("p0@gov.kz", "p1@gov.kz", "p4@gov.kz"):
        invitation = db.session.scalar(db.select(Invitation).filter_by(email=email))
        assert invitation.token_hash == hash_token(link_in(received[email]))


def test_a_send_has_one_sender_at_a_time(open_campaign, smtp_server):
    from survey.campaigns.senders import only_sender

    send = queue_send(open_campaign, "invitation")
    db.session.commit()
    first = db.session.scalars(db.select(Delivery).order_by(Delivery.id)).first()
    first.status = "sending"  # the other sender's message in flight
    db.session.commit()
    with only_sender(send.id) as only:
        assert only
        assert send_batch(send.id) is False  # the other one carries on
    assert smtp_server.messages == []
    db.session.expire_all()
    assert db.session.get(Delivery, first.id).status == "sending"  # not taken for a stopped one
    assert list(statuses().values()).count("queued") == 4


def test_a_send_held_by_another_process_is_left_to_it(open_campaign, smtp_server):
    from sqlalchemy import text

    from survey.campaigns.senders import ADVISORY_NAMESPACE

    if db.engine.dialect.name != "postgresql":
        pytest.skip("one process sends on SQLite")
    send = queue_send(open_campaign, "invitation")
    db.session.commit()
    key = {"space": ADVISORY_NAMESPACE, "send": send.id}
    with db.engine.connect() as other:
        assert other.scalar(text("SELECT pg_try_advisory_lock(:space, :send)"), key)
        assert send_batch(send.id) is False
        assert smtp_server.messages == []
        other.execute(text("SELECT pg_advisory_unlock(:space, :send)"), key)
    assert send_batch(send.id) is True
    assert len(smtp_server.messages) == 5


def test_a_guarded_link_is_written_and_taken_back_only_over_the_state_it_expects(
        open_campaign):
    from sqlalchemy import update

    from survey.campaigns.invitations import issue_links, withdraw_link

    first, second = db.session.scalars(db.select(Invitation).order_by(Invitation.id)).all()[:2]
    read = (second.token_hash, second.status, second.sent_at)  # as a sender reads its batch
    engine = db.engine

    def elsewhere(invitation_id, **values):  # another connection, e.g. a respondent's request
        with engine.begin() as connection:
            connection.execute(update(Invitation).where(Invitation.id == invitation_id)
                               .values(**values))

    # Given its link by someone else since it was read: no second link over it.
    elsewhere(first.id, token_hash="f" * 64, status="sent")
    assert issue_links([first], guarded=True) == []
    [link] = issue_links([second], guarded=True, audit=False)
    assert link.invitation.status == "sent"
    assert second not in db.session.dirty  # nothing for a flush to write again unguarded
    db.session.commit()
    # Its message was taken after all and the link opened: it is not taken back.
    elsewhere(second.id, status="started")
    assert withdraw_link(link, read) is False
    db.session.commit()
    elsewhere(second.id, status="sent")
    assert withdraw_link(link, read) is True
    db.session.commit()
    db.session.expire_all()
    assert (first.token_hash, first.status) == ("f" * 64, "sent")
    assert (second.token_hash, second.status, second.sent_at) == read
    assert db.session.scalars(db.select(AuditEntry).filter_by(action="links_issued")).all() == []
