"""Invitation and reminder e-mails through a real SMTP server on loopback."""

from __future__ import annotations

import pytest

from survey.campaigns.invitations import import_staff_list, undistributed
from survey.campaigns.mail import MailServerError, remind, send_invitations
from survey.campaigns.staff_list import read_staff_list
from survey.extensions import db
from survey.models import Invitation
from survey.tokens import hash_token

from .factories import staff

STAFF = ("organisation,unit,position,name,email,language\n"
         "mdd,it,specialist,Aigerim,aigerim@gov.kz,kk\n"
         "mdd,hr,specialist,Ivan,ivan@gov.kz,ru\n"
         "akimat,finance,specialist,John,john@gov.kz,en\n"
         "akimat,finance,specialist,,,\n")


@pytest.fixture
def invited(draft):
    rows, problems = read_staff_list(STAFF.encode(), "s.csv", draft)
    assert problems == []
    import_staff_list(draft, rows)
    db.session.commit()
    return draft


def link_in(message) -> str:
    return message.get_content().split("/i/", 1)[1].split()[0]


def test_each_invitation_is_mailed_in_its_own_language_with_a_working_link(
        invited, smtp_server):
    report = send_invitations(undistributed(invited, with_email=True))
    db.session.commit()
    assert report.sent == 3
    by_recipient = {rcpts[0]: message for rcpts, message in smtp_server.messages}
    assert by_recipient["aigerim@gov.kz"]["Subject"] == "Шақыру: Толқын"
    assert by_recipient["ivan@gov.kz"]["Subject"] == "Приглашение: Волна"
    assert by_recipient["john@gov.kz"]["Subject"] == "Invitation: Wave"
    assert "Сауалнама анонимді" in by_recipient["aigerim@gov.kz"].get_content()
    for email, message in by_recipient.items():
        invitation = db.session.scalar(db.select(Invitation).filter_by(email=email))
        assert invitation.token_hash == hash_token(link_in(message))
        assert invitation.status == "sent"
    assert [i.email for i in undistributed(invited)] == [None]


def test_reminders_go_to_those_who_have_not_finished(invited, smtp_server):
    send_invitations(undistributed(invited, with_email=True))
    db.session.commit()
    smtp_server.messages.clear()
    statuses = {"aigerim@gov.kz": "finished", "ivan@gov.kz": "started"}
    for invitation in db.session.scalars(db.select(Invitation)):
        invitation.status = statuses.get(invitation.email, invitation.status)
    db.session.commit()
    report = remind(invited)
    db.session.commit()
    assert report.sent == 2
    by_recipient = {rcpts[0]: message for rcpts, message in smtp_server.messages}
    assert set(by_recipient) == {"ivan@gov.kz", "john@gov.kz"}
    # Someone who started keeps their link (only it finds their answers); the other gets a new one.
    assert "/i/" not in by_recipient["ivan@gov.kz"].get_content()
    john = db.session.scalar(db.select(Invitation).filter_by(email="john@gov.kz"))
    assert john.token_hash == hash_token(link_in(by_recipient["john@gov.kz"]))
    assert john.reminded_at is not None


def test_an_unreachable_mail_server_changes_nothing(invited, app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    before = {i.id: i.token_hash for i in db.session.scalars(db.select(Invitation))}
    with pytest.raises(MailServerError):
        send_invitations(undistributed(invited, with_email=True))
    after = {i.id: (i.token_hash, i.status) for i in db.session.scalars(db.select(Invitation))}
    assert after == {i: (h, "new") for i, h in before.items()}


IDENTIFIED_STAFF = ("organisation,unit,position,name,email,personnel_number\n"
                    "mdd,it,specialist,Aigerim,aigerim@gov.kz,1\n"
                    "mdd,hr,specialist,Ivan,ivan@gov.kz,2\n"
                    "mdd,it,specialist,Dana,dana@gov.kz,3\n")


@pytest.mark.parametrize("broken", ["name", "email"])
def test_a_message_that_cannot_be_written_does_not_undo_the_ones_delivered(
        identified, auth, smtp_server, client, broken):
    """A stored name or e-mail with a line break (from before staff lists refused them) makes
    that one message impossible; the others go out and their links keep working."""
    rows, problems = read_staff_list(IDENTIFIED_STAFF.encode(), "s.csv", identified)
    assert problems == []
    import_staff_list(identified, rows)
    ivan = db.session.scalar(db.select(Invitation).filter_by(email="ivan@gov.kz"))
    if broken == "name":
        ivan.person.full_name = "Ivan\nBcc: evil@evil.kz"
    else:
        ivan.email = "ivan@gov.kz\nBcc: evil@evil.kz"
    db.session.commit()
    ivan_id, ivan_hash = ivan.id, ivan.token_hash
    admin = auth.as_(staff("admin", "admin@qabilet.kz"))
    response = admin.post(f"/admin/campaigns/{identified.id}/send", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3 хат кезекке қойылды" in page
    # The refusal is recorded on that invitation's delivery and listed on the campaign page.
    undelivered = page.split('id="undelivered"', 1)[1].split("</table>", 1)[0]
    assert "ivan@gov.kz" in undelivered
    assert "aigerim" not in undelivered
    delivered = {rcpts[0]: message for rcpts, message in smtp_server.messages}
    assert set(delivered) == {"aigerim@gov.kz", "dana@gov.kz"}
    db.session.expire_all()
    for message in delivered.values():
        assert client.get(f"/i/{link_in(message)}").status_code == 200
    ivan = db.session.get(Invitation, ivan_id)
    assert (ivan.token_hash, ivan.status, ivan.sent_at) == (ivan_hash, "new", None)
