"""What the scheduler does each minute, each step safe to repeat (a second run, or a cron
``flask jobs tick`` beside the consumer, changes nothing more):

- close every open campaign whose closing time has passed (tests in progress are finished
  with what was saved);
- queue each campaign's scheduled reminders (``Campaign.reminder_days``), once each;
- finish tests whose time ran out and that nobody submitted;
- store the exposure control of every open adaptive campaign's test if it is missing
  (:func:`survey.responses.adaptive.prepare_exposure`), so no respondent waits for it.

Every run is recorded in ``scheduler_run`` so each node can show when it last ran."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..campaigns.delivery import queue_send
from ..campaigns.lifecycle import change_status
from ..extensions import db
from ..models import Campaign, MailSend, SchedulerRun
from ..models._types import utcnow
from ..responses.adaptive import exposure_needed_by, prepare_exposure
from ..responses.attempts import finish_expired_tests

TICK = "tick"


@dataclass
class TickReport:
    closed: list[str] = field(default_factory=list)
    reminders: list[int] = field(default_factory=list)  # the ids of the sends queued
    tests_finished: int = 0
    exposure_prepared: list[int] = field(default_factory=list)  # test versions simulated


def tick(now: datetime | None = None) -> TickReport:
    """One run of every periodic task, each committed on its own."""
    now = now or utcnow()
    report = TickReport()
    due = db.session.scalars(db.select(Campaign).where(Campaign.status == "open",
                                                       Campaign.closes_at <= now)).all()
    for campaign in due:
        change_status(campaign, "closed")
        db.session.commit()
        report.closed.append(campaign.code)
    for campaign in db.session.scalars(db.select(Campaign).where(
            Campaign.status == "open", Campaign.opens_at <= now, Campaign.closes_at > now)).all():
        send = _scheduled_reminder(campaign, now)
        if send is not None:
            report.reminders.append(send.id)
    grace = float(current_app.config["RESPONDENT_DEADLINE_GRACE_SECONDS"])
    report.tests_finished = finish_expired_tests(now - timedelta(seconds=grace))
    db.session.commit()
    versions = {exposure_needed_by(campaign) for campaign in db.session.scalars(
        db.select(Campaign).where(Campaign.status == "open"))} - {None}
    report.exposure_prepared = [version for version in sorted(versions)
                                if prepare_exposure(version)]
    run = db.session.get(SchedulerRun, TICK) or SchedulerRun(name=TICK)
    run.ran_at, run.details = now, json.dumps(asdict(report))
    db.session.add(run)
    db.session.commit()
    return report


def _scheduled_reminder(campaign: Campaign, now: datetime) -> MailSend | None:
    """The reminder now due, if not already queued: the nearest day of the schedule whose time
    has come (a campaign opened late skips the earlier ones)."""
    due = [d for d in campaign.reminder_schedule if now >= campaign.closes_at - timedelta(days=d)]
    if not due:
        return None
    key = f"schedule:{min(due)}"
    if db.session.scalar(db.select(MailSend.id).filter_by(campaign_id=campaign.id, key=key)):
        return None
    try:
        send = queue_send(campaign, "reminder", key=key)
        if send is None:  # nobody to remind: remember that the day was handled
            db.session.add(MailSend(campaign_id=campaign.id, kind="reminder", key=key,
                                    finished_at=now))
        db.session.commit()
    except IntegrityError:  # another tick queued it at the same moment
        db.session.rollback()
        return None
    return send


def last_run() -> SchedulerRun | None:
    return db.session.get(SchedulerRun, TICK)


@dataclass
class SchedulerState:
    """What the admin pages show: when the scheduler last ran, and whether that is too long ago."""

    ran_at: datetime | None
    late: bool


def scheduler_state() -> SchedulerState:
    run = last_run()
    return SchedulerState(run.ran_at if run else None, is_late(run))


def is_late(run: SchedulerRun | None, now: datetime | None = None) -> bool:
    """No run within ``SCHEDULER_LATE_MINUTES`` (it runs every minute)."""
    limit = timedelta(minutes=int(current_app.config["SCHEDULER_LATE_MINUTES"]))
    return run is None or (now or utcnow()) - run.ran_at > limit
