"""Staff-list upload (check, preview, all-or-nothing import) and invitation links: a CSV file, a
printable list, e-mail and reminders. Links are issued at the moment they are handed out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import segno
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from ..access import campaign_or_403, organisation_scope, require_in_scope
from ..campaigns.delivery import progress, queue_send
from ..campaigns.invitations import (
    USABLE_STATUSES,
    can_recover,
    import_staff_list,
    issue_links,
    link_headers,
    links_csv,
    recover_link,
    undistributed,
)
from ..campaigns.problems import ProblemsError
from ..campaigns.staff_list import read_staff_list
from ..campaigns.uploads import discard, fetch, keep
from ..exports import download
from ..extensions import db
from ..i18n import closing_day, format_day
from ..jobs.tasks import send_mail
from ..models import Invitation
from . import bp
from .forms import ActionForm, ConfirmImportForm, StaffListForm

if TYPE_CHECKING:
    from ..campaigns.invitations import IssuedLink
    from ..models import Campaign


def slips(links: list[IssuedLink]) -> list[dict]:
    """What a printed slip shows for each link: the name, the unit, a QR code (inline SVG) of
    the link, and two lines of instructions in the person's language."""
    result = []
    for link in links:
        invitation = link.invitation
        language = invitation.language or invitation.campaign.default_language
        with force_locale(language):
            lines = [_("Scan the code with your phone's camera, or type the address below into "
                       "a browser."),
                     _("The link is personal: do not pass it on. You can stop and continue "
                       "later with the same link; the last day: %(date)s.",
                       date=format_day(closing_day(invitation.campaign), language))]
        qr = segno.make(link.url, error="m")
        result.append({"link": link, "language": language, "lines": lines,
                       "qr": Markup(qr.svg_inline(scale=3, border=2, title=link.url,
                                                  omitsize=False))})
    return result



def _back(campaign_id: int) -> Response:
    return redirect(url_for("admin.campaign", campaign_id=campaign_id))


@bp.post("/campaigns/<int:campaign_id>/staff")
def upload_staff_list(campaign_id: int) -> ResponseReturnValue:
    """Check an uploaded staff list: every problem by row, or a preview to confirm."""
    campaign = campaign_or_403(campaign_id)
    form = StaffListForm()
    if not form.validate_on_submit():
        flash(_("Choose a staff-list file to upload."), "error")
        return _back(campaign.id)
    data = form.file.data.read()
    filename = form.file.data.filename or "staff.csv"
    rows, problems = read_staff_list(data, filename, campaign, organisation_scope())
    # Kept on the server by its hash: the confirmation names the file, never carries it.
    confirm = ConfirmImportForm(digest=keep(data) if not problems else "",
                                filename=filename[:255])
    return render_template("admin/staff_preview.html", campaign=campaign, rows=rows,
                           problems=problems, confirm=confirm,
                           upload=StaffListForm()), 400 if problems else 200


@bp.post("/campaigns/<int:campaign_id>/staff/confirm")
def confirm_staff_list(campaign_id: int) -> ResponseReturnValue:
    """Import the previewed file, checking it again: all rows or none."""
    campaign = campaign_or_403(campaign_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    data = fetch(form.digest.data)
    if data is None:
        flash(_("The checked file is no longer kept on the server. Please upload it again."),
              "error")
        return _back(campaign.id)
    rows, problems = read_staff_list(data, form.filename.data or "staff.csv", campaign,
                                     organisation_scope())
    try:
        if problems:
            raise ProblemsError(problems)
        report = import_staff_list(campaign, rows)
    except ProblemsError as error:
        db.session.rollback()
        return render_template("admin/staff_preview.html", campaign=campaign, rows=[],
                               problems=error.problems, confirm=None,
                               upload=StaffListForm()), 400
    db.session.commit()
    discard(form.digest.data)
    flash(_("Imported: %(created)s new invitations, %(kept)s already invited; %(new)s people "
            "added, %(updated)s updated.", created=report.invitations_created,
            kept=report.invitations_kept, new=report.people_created,
            updated=report.people_updated), "success")
    return _back(campaign.id)


@bp.post("/campaigns/<int:campaign_id>/links.csv")
def export_links_csv(campaign_id: int) -> ResponseReturnValue:
    """Issue links for every invitation not yet handed out and download them as CSV, headed in
    the page's language."""
    campaign = campaign_or_403(campaign_id)
    waiting = undistributed(campaign, organisation_scope())
    if not waiting:
        flash(_("There are no new links to hand out: every invitation already has its link. A "
                "lost link can be reissued from the list of invitations."), "error")
        return _back(campaign.id)
    links = issue_links(waiting)
    db.session.commit()
    return download("\ufeff" + links_csv(links, link_headers()), f"{campaign.code}-links.csv")


@bp.post("/campaigns/<int:campaign_id>/links/print")
def print_links(campaign_id: int) -> ResponseReturnValue:
    """Issue links for every invitation not yet handed out, as a list to print and cut."""
    campaign = campaign_or_403(campaign_id)
    links = issue_links(undistributed(campaign, organisation_scope()))
    db.session.commit()
    return render_template("admin/links_print.html", campaign=campaign, slips=slips(links)), 200, {
        "Cache-Control": "no-store"}


def _invitation(invitation_id: int) -> tuple[Invitation, Campaign]:
    invitation = db.get_or_404(Invitation, invitation_id)
    campaign = campaign_or_403(invitation.campaign_id)
    require_in_scope(invitation.organisation_id)
    return invitation, campaign


@bp.get("/invitations/<int:invitation_id>/reissue")
def confirm_reissue(invitation_id: int) -> ResponseReturnValue:
    """Ask before a link is replaced: the old one stops working at once."""
    invitation, campaign = _invitation(invitation_id)
    person = invitation.person
    who = (person.full_name if person is not None else None) or invitation.email or "—"
    if invitation.status in USABLE_STATUSES:
        consequence = _("The link this person has now stops working at once. Give them the new "
                        "link, which is shown only on the next page.")
    elif can_recover(invitation):
        consequence = _("This person has started. The new link opens their saved answers where "
                        "they stopped; the link they lost stops working at once. The new link "
                        "is shown only on the next page.")
    else:
        flash(_("This invitation has already been used; its link cannot be reissued."), "error")
        return _back(campaign.id)
    return render_template(
        "admin/confirm.html", campaign=campaign, title=_("Reissue the link"),
        question=_("Reissue the link of %(name)s?", name=who), consequence=consequence,
        button=_("Reissue the link"), form=ActionForm(),
        action_url=url_for("admin.reissue", invitation_id=invitation.id),
        back=url_for("admin.campaign", campaign_id=campaign.id))


@bp.post("/invitations/<int:invitation_id>/reissue")
def reissue(invitation_id: int) -> ResponseReturnValue:
    """A new link for a lost one (the old link stops working), shown once. Someone who started
    in an identified campaign gets a link to their saved answers."""
    invitation, campaign = _invitation(invitation_id)
    if invitation.status in USABLE_STATUSES:
        links = issue_links([invitation])
    elif can_recover(invitation):
        links = [recover_link(invitation)]
    else:
        flash(_("This invitation has already been used; its link cannot be reissued."), "error")
        return _back(campaign.id)
    db.session.commit()
    return render_template("admin/links_print.html", campaign=campaign, slips=slips(links)), 200, {
        "Cache-Control": "no-store"}


@bp.post("/campaigns/<int:campaign_id>/send")
def send(campaign_id: int) -> Response:
    """Queue an e-mail to every invitation with an address whose link has not been handed
    out; the job consumer sends them at the configured rate."""
    return _queue(campaign_or_403(campaign_id), "invitation")


@bp.post("/campaigns/<int:campaign_id>/remind")
def send_reminders(campaign_id: int) -> Response:
    """Queue a reminder to those with a link who have not finished."""
    return _queue(campaign_or_403(campaign_id), "reminder")


def _queue(campaign: Campaign, kind: str) -> Response:
    if campaign.status != "open":
        flash(_("E-mails are sent only while the campaign is open."), "error")
        return _back(campaign.id)
    queued = queue_send(campaign, kind, organisation_scope())
    if queued is None:
        flash(_("There is nobody to write to."), "info")
        return _back(campaign.id)
    db.session.commit()
    total = progress(campaign.id, limit=1)[0].total
    send_mail(queued.id)
    flash(ngettext("%(num)s e-mail is queued: it goes out in the background. Its progress is "
                   "shown on this page.",
                   "%(num)s e-mails are queued: they go out in the background at the mail "
                   "server's rate. Their progress is shown on this page.", total), "success")
    return _back(campaign.id)
