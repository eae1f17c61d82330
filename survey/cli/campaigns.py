"""``flask --app survey campaigns …`` and ``… invitations …``: thin wrappers over survey/campaigns/.

Problems are printed in English, one per line, and the command exits with status 1 having
written nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from ..campaigns import invitations as ops
from ..campaigns.lifecycle import CampaignSettings, change_status, create_campaign
from ..campaigns.mail import MailServerError, remind, send_invitations
from ..campaigns.problems import ProblemsError
from ..campaigns.staff_list import read_staff_list
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE, LANGUAGE_CODES
from ..models import Campaign, Invitation
from ..questionnaires.loader import SURVEY_CODE, TEST_CODE, stored_version
from ..responses.adaptive import exposure_needed_by, prepare_exposure
from ._common import fail_with, get_campaign, organisations_by_code

campaigns_cli = AppGroup("campaigns", help="Survey campaigns (waves).")
invitations_cli = AppGroup("invitations", help="Invitations to a campaign and their links.")


def parse_moment(value: str, end_of_day: bool) -> datetime:
    """ISO date or date-time; without a zone it is local time (``BABEL_DEFAULT_TIMEZONE``).
    A bare date means the start of that day, or for a closing date its end."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not an ISO date (2026-03-01) or date-time") from error
    if len(value) == 10:
        moment = datetime.combine(moment.date(), time()) + (timedelta(days=1) if end_of_day
                                                            else timedelta())
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


@campaigns_cli.command("create")
@click.argument("code")
@click.option("--title-kk", required=True)
@click.option("--title-ru", required=True)
@click.option("--title-en", required=True)
@click.option("--org", "org_codes", multiple=True, required=True,
              help="Code of a participating government body (repeatable).")
@click.option("--opens", required=True, help="Opening date or date-time (ISO, local time).")
@click.option("--closes", required=True, help="Closing date or date-time (ISO, local time).")
@click.option("--anonymous/--identified", default=True, show_default=True)
@click.option("--time-limit", type=int, default=45, show_default=True,
              help="Test time limit in minutes (0: none).")
@click.option("--language", type=click.Choice(LANGUAGE_CODES), default=DEFAULT_LANGUAGE,
              show_default=True)
@click.option("--test-mode", type=click.Choice(["linear", "adaptive"]), default="linear",
              show_default=True, help="The test's fixed form, or adaptive item by item.")
@click.option("--survey-version", type=int, help=f"Version number of {SURVEY_CODE} (default: latest).")
@click.option("--test-version", type=int, help=f"Version number of {TEST_CODE} (default: latest).")
@click.option("--no-survey", is_flag=True, help="Only the test.")
@click.option("--no-test", is_flag=True, help="Only the survey.")
@click.option("--reminders", default="7,2", show_default=True,
              help="Days before the end on which the scheduler reminds ('' for none).")
def create_command(code: str, title_kk: str, title_ru: str, title_en: str,
                   org_codes: tuple[str, ...], opens: str, closes: str, anonymous: bool,
                   time_limit: int, language: str, test_mode: str, survey_version: int | None,
                   test_version: int | None, no_survey: bool, no_test: bool,
                   reminders: str) -> None:
    """Create a draft campaign CODE."""
    organisations = organisations_by_code(org_codes)
    settings = CampaignSettings(
        code=code, titles={"kk": title_kk, "ru": title_ru, "en": title_en},
        organisations=organisations, opens_at=parse_moment(opens, False),
        closes_at=parse_moment(closes, True), anonymous=anonymous,
        test_time_limit_minutes=time_limit or None, default_language=language,
        test_mode=test_mode,
        survey_version=None if no_survey else stored_version(SURVEY_CODE, survey_version),
        test_version=None if no_test else stored_version(TEST_CODE, test_version),
        reminder_days=reminders)
    try:
        campaign = create_campaign(settings)
    except ProblemsError as error:
        fail_with(error)
    db.session.commit()
    click.echo(f"Created draft campaign {campaign.code} "
               f"({'anonymous' if campaign.anonymous else 'identified'}).")


def _status_command(name: str, target: str, help_text: str) -> click.Command:
    @campaigns_cli.command(name, help=help_text)
    @click.argument("code")
    def command(code: str) -> None:
        campaign = get_campaign(code)
        try:
            change_status(campaign, target)
        except ProblemsError as error:
            fail_with(error)
        db.session.commit()
        click.echo(f"Campaign {code} is now {target}.")
        version_id = exposure_needed_by(campaign)
        if version_id is not None and prepare_exposure(version_id):
            click.echo(f"Exposure control of test version {version_id} simulated and stored.")

    return command


_status_command("open", "open", "Open campaign CODE for answers.")
_status_command("close", "closed", "Close campaign CODE.")
_status_command("archive", "archived", "Archive closed campaign CODE.")


@campaigns_cli.command("list")
def list_command() -> None:
    """Every campaign with its status, dates and invitations."""
    for campaign in db.session.scalars(db.select(Campaign).order_by(Campaign.opens_at)):
        count = db.session.scalar(db.select(db.func.count(Invitation.id)).filter_by(
            campaign_id=campaign.id))
        click.echo(f"{campaign.code:24} {campaign.status:9} {campaign.opens_at:%Y-%m-%d} → "
                   f"{campaign.closes_at:%Y-%m-%d}  "
                   f"{'anonymous ' if campaign.anonymous else 'identified'}  "
                   f"{count} invitations  {campaign.title_en}")


def write_links(links: list[ops.IssuedLink], path: Path) -> None:
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(ops.links_xlsx(links))
    else:
        path.write_text(ops.links_csv(links), encoding="utf-8-sig")


LINKS_OPTION = click.option(
    "--links", "links_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True, help="Write the new links here (.csv or .xlsx). They are shown only once.")


@invitations_cli.command("import")
@click.argument("campaign_code")
@click.argument("staff_list", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@LINKS_OPTION
def import_command(campaign_code: str, staff_list: Path, links_path: Path) -> None:
    """Import STAFF_LIST (CSV or XLSX) into CAMPAIGN_CODE and write the new links."""
    campaign = get_campaign(campaign_code)
    rows, problems = read_staff_list(staff_list.read_bytes(), staff_list.name, campaign)
    try:
        if problems:
            raise ProblemsError(problems)
        report = ops.import_staff_list(campaign, rows)
        names = {invitation.id: name for invitation, name in report.created}
        links = ops.issue_links([invitation for invitation, _ in report.created], names)
    except ProblemsError as error:
        fail_with(error)
    write_links(links, links_path)  # before the commit: no stored token without its link
    db.session.commit()
    click.echo(f"{len(rows)} rows: {report.people_created} people added, "
               f"{report.people_updated} updated; {report.invitations_created} invitations "
               f"created, {report.invitations_kept} already existed. Links: {links_path}")


@invitations_cli.command("reissue")
@click.argument("campaign_code")
@click.option("--email", "emails", multiple=True, help="Reissue the invitation of this address.")
@click.option("--id", "ids", type=int, multiple=True, help="Reissue this invitation.")
@click.option("--undistributed", is_flag=True, help="Every invitation whose link was never issued.")
@LINKS_OPTION
def reissue_command(campaign_code: str, emails: tuple[str, ...], ids: tuple[int, ...],
                    undistributed: bool, links_path: Path) -> None:
    """Give unused invitations new links (the old links stop working)."""
    campaign = get_campaign(campaign_code)
    chosen = ops.find_invitations(campaign, emails, ids)
    if undistributed:
        chosen += [i for i in ops.undistributed(campaign) if i not in chosen]
    if not chosen:
        raise click.ClickException("no invitation matches")
    try:
        links = ops.issue_links(chosen)
    except ProblemsError as error:
        fail_with(error)
    write_links(links, links_path)
    db.session.commit()
    click.echo(f"Reissued {len(links)} links: {links_path}")


@invitations_cli.command("send")
@click.argument("campaign_code")
@click.option("--remind", "reminders", is_flag=True,
              help="Remind those who have a link but have not finished.")
def send_command(campaign_code: str, reminders: bool) -> None:
    """E-mail the links not yet handed out (or reminders) through the configured SMTP server."""
    campaign = get_campaign(campaign_code)
    try:
        if reminders:
            report = remind(campaign)
        else:
            report = send_invitations(ops.undistributed(campaign, with_email=True))
    except MailServerError as error:
        db.session.rollback()
        raise click.ClickException(f"the mail server could not be used: {error}") from error
    db.session.commit()
    click.echo(f"Sent {report.sent} e-mails." + (
        f" Not delivered: {', '.join(report.failed)}" if report.failed else ""))
