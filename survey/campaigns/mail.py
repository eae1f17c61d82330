"""Invitation and reminder e-mails, in each invitation's language, through the configured SMTP
server (``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USE_TLS``, ``MAIL_USERNAME``, ``MAIL_PASSWORD``,
``MAIL_SENDER``), with the standard library only.

A link is issued (a new token) just before its e-mail is sent. Each message stands alone: if
it cannot be written (a stored name or address with a line break) or the server refuses it or
the connection drops, that invitation gets its previous token back, so nothing changes for it and
it can be retried, and the other messages still go out — the links already delivered must stay
valid, so a failed message never aborts the whole send."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..access import scope_clauses
from ..extensions import db
from ..i18n import closing_day, format_day, pick
from ..models import Campaign, Invitation
from ..models._types import utcnow
from .audit import record
from .invitations import IssuedLink, issue_links


class MailServerError(RuntimeError):
    """The SMTP server could not be reached or refused the login."""


# What sending one message may raise: the server refusing it or dropping the connection
# (SMTPException, OSError), or a header that cannot be written, e.g. a line break (ValueError).
MESSAGE_ERRORS = (smtplib.SMTPException, OSError, ValueError)


@dataclass
class SendReport:
    """How many e-mails went out, and to whom they could not be delivered."""

    sent: int = 0
    failed: list[str] = field(default_factory=list)


def _language(invitation: Invitation) -> str:
    return invitation.language or invitation.campaign.default_language


def invitation_message(link: IssuedLink, reminder: bool = False) -> EmailMessage:
    """The e-mail for one issued link, in the invitation's language."""
    invitation = link.invitation
    campaign = invitation.campaign
    language = _language(invitation)
    with force_locale(language):
        title = pick(campaign.titles, language)
        organisation = pick(invitation.organisation.names, language)
        closes = format_day(closing_day(campaign), language)
        if reminder:
            subject = _("Reminder: %(title)s", title=title)
            opening = _("You have not yet finished the digital-culture survey and the digital-skills "
                        "test. The last day to take them: %(date)s.", date=closes)
            note = _("This link replaces the one in our earlier e-mail.")
        else:
            subject = _("Invitation: %(title)s", title=title)
            opening = _("%(organisation)s invites you to take the digital-culture survey and the "
                        "digital-skills test. It takes about 40 minutes; you can save and continue "
                        "later. The last day to take part: %(date)s.",
                        organisation=organisation, date=closes)
            note = _("The link is personal: please do not forward it.")
        privacy = (_("The survey is anonymous: your answers are not linked to your name.")
                   if campaign.anonymous else
                   _("Your HR unit sees your results so that it can plan your training."))
        greeting = _("Hello!")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = formataddr((link.display_name, invitation.email or ""))
    message["Message-ID"] = make_msgid(domain="qabilet")
    message["Content-Language"] = language
    message.set_content(f"{greeting}\n\n{opening}\n\n{link.url}\n\n{note}\n{privacy}\n\nQabilet\n")
    return message


def _reminder_without_link(invitation: Invitation) -> EmailMessage:
    """For someone who has started: their own link still works and a new one would not."""
    language = _language(invitation)
    with force_locale(language):
        title = pick(invitation.campaign.titles, language)
        subject = _("Reminder: %(title)s", title=title)
        body = _("You have started but not finished the digital-culture survey and the "
                 "digital-skills test. Please open the link from your invitation e-mail to "
                 "continue where you stopped. The last day: %(date)s.",
                 date=format_day(closing_day(invitation.campaign), language))
        greeting = _("Hello!")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = invitation.email or ""
    message["Content-Language"] = language
    message.set_content(f"{greeting}\n\n{body}\n\nQabilet\n")
    return message


def _connect() -> smtplib.SMTP:
    config = current_app.config
    try:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30)
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except (OSError, smtplib.SMTPException) as error:
        raise MailServerError(str(error)) from error
    return smtp


def send_invitations(invitations: list[Invitation], reminder: bool = False) -> SendReport:
    """Issue a link for each unused invitation with an e-mail address and send it."""
    invitations = [i for i in invitations if i.email]
    report = SendReport()
    if not invitations:
        return report
    previous = {i.id: (i.token_hash, i.status, i.sent_at) for i in invitations}
    smtp = _connect()  # before any token changes: an unreachable server changes nothing
    try:
        for link in issue_links(invitations):
            invitation = link.invitation
            try:
                smtp.send_message(invitation_message(link, reminder))
            except MESSAGE_ERRORS:
                invitation.token_hash, invitation.status, invitation.sent_at = \
                    previous[invitation.id]
                report.failed.append(invitation.email)
                continue
            if reminder:
                invitation.reminded_at = utcnow()
            report.sent += 1
    finally:
        _quit(smtp)
    if report.failed:
        record("mail_failed", f"campaign:{invitations[0].campaign.code}",
               {"addresses": list(report.failed)})
    return report


def _quit(smtp: smtplib.SMTP) -> None:
    """Close the connection; a server already gone must not undo what was sent."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def remind(campaign: Campaign, organisation_ids: set[int] | None = None) -> SendReport:
    """Remind everyone with an e-mail address who has a link but has not finished.

    Those who have not started get a new link (the old one stops working); those who have
    started are asked to go back to their own link, which alone finds their saved answers."""
    query = db.select(Invitation).where(
        Invitation.campaign_id == campaign.id, Invitation.status.in_(("sent", "started")),
        Invitation.email.isnot(None), *scope_clauses(Invitation.organisation_id, organisation_ids))
    pending = list(db.session.scalars(query.order_by(Invitation.id)))
    report = send_invitations([i for i in pending if i.status == "sent"], reminder=True)
    started = [i for i in pending if i.status == "started"]
    failed_with_link = len(report.failed)  # already recorded by send_invitations
    if started:
        smtp = _connect()
        try:
            for invitation in started:
                try:
                    smtp.send_message(_reminder_without_link(invitation))
                except MESSAGE_ERRORS:
                    report.failed.append(invitation.email)
                    continue
                invitation.reminded_at = utcnow()
                report.sent += 1
        finally:
            _quit(smtp)
    if len(report.failed) > failed_with_link:
        record("mail_failed", f"campaign:{campaign.code}",
               {"addresses": report.failed[failed_with_link:]})
    record("reminders_sent", f"campaign:{campaign.code}", {"sent": report.sent})
    return report
