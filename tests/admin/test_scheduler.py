"""The scheduler's tick: closing campaigns at their closing time, scheduled reminders once
each, expired tests finished; each step safe to repeat. Shown on the admin pages."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

import pytest

from survey.campaigns.invitations import import_staff_list, issue_links
from survey.campaigns.staff_list import read_staff_list
from survey.extensions import db
from survey.jobs.tasks import run_scheduler as tick
from survey.models import Attempt, Campaign, MailSend, RoleProfile, SchedulerRun
from survey.models._types import utcnow

from .factories import staff

STAFF = ("organisation,unit,position,name,email,language\n"
         "mdd,it,specialist,Aigerim,aigerim@gov.kz,kk\n"
         "mdd,hr,specialist,Ivan,ivan@gov.kz,ru\n")


@pytest.fixture
def running(draft):
    """An open campaign whose two invitations have their links."""
    rows, problems = read_staff_list(STAFF.encode(), "s.csv", draft)
    assert problems == []
    report = import_staff_list(draft, rows)
    issue_links([invitation for invitation, _name in report.created])
    draft.status = "open"
    db.session.commit()
    return draft


def attempt_in_test(campaign, world, deadline):
    attempt = Attempt(campaign=campaign, access_hash=secrets.token_hex(32),
                      organisation_id=world.ministry.id, unit_id=world.ministry.units[0].id,
                      position_category_id=db.session.scalars(db.select(RoleProfile.id)).first(),
                      language="kk", seed=1, stage="test", test_started_at=utcnow(),
                      test_deadline=deadline)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def test_a_campaign_past_its_closing_time_is_closed_and_its_open_tests_finished(
        running, world):
    attempt = attempt_in_test(running, world, running.closes_at)
    running.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    report = tick()
    assert report.closed == [running.code]
    db.session.expire_all()
    assert db.session.get(Campaign, running.id).status == "closed"
    assert db.session.get(Attempt, attempt.id).stage == "finished"
    assert tick().closed == []  # nothing more to do


def test_a_test_whose_time_ran_out_is_finished_and_one_with_time_left_is_not(running, world):
    expired = attempt_in_test(running, world, utcnow() - timedelta(minutes=10))
    ongoing = attempt_in_test(running, world, utcnow() + timedelta(minutes=10))
    assert tick().tests_finished == 1
    db.session.expire_all()
    assert db.session.get(Attempt, expired.id).stage == "finished"
    assert db.session.get(Attempt, ongoing.id).stage == "test"
    assert tick().tests_finished == 0


def test_reminders_go_out_on_the_schedule_once_each(running, smtp_server):
    now = utcnow()
    running.closes_at = now + timedelta(days=10)
    db.session.commit()
    assert tick(now).reminders == []  # more than 7 days before the end
    seven = now + timedelta(days=3, hours=1)
    assert len(tick(seven).reminders) == 1
    assert sorted(r[0] for r, _m in smtp_server.messages) == ["aigerim@gov.kz", "ivan@gov.kz"]
    assert tick(seven + timedelta(hours=1)).reminders == []  # already sent
    two = now + timedelta(days=8, hours=1)
    assert len(tick(two).reminders) == 1
    assert len(smtp_server.messages) == 4
    keys = set(db.session.scalars(db.select(MailSend.key)))
    assert keys == {"schedule:7", "schedule:2"}


def test_a_campaign_opened_late_gets_only_the_nearest_reminder(running, smtp_server):
    running.closes_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert len(tick().reminders) == 1
    assert set(db.session.scalars(db.select(MailSend.key))) == {"schedule:2"}
    assert tick().reminders == []


def test_the_tick_command_reports_what_it_did_and_records_its_run(running, runner):
    running.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    result = runner.invoke(args=["jobs", "tick"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["closed"] == [running.code]
    assert db.session.get(SchedulerRun, "tick") is not None


def test_the_admin_page_warns_when_the_scheduler_is_late(running, auth):
    admin = auth.as_(staff("admin", "admin@qabilet.kz"), language="en")
    assert "The scheduler has never run" in admin.get("/admin/").get_data(as_text=True)
    tick()
    page = admin.get(f"/admin/campaigns/{running.id}").get_data(as_text=True)
    assert "The scheduler last ran at" in page
    assert "is late" not in page
    run = db.session.get(SchedulerRun, "tick")
    run.ran_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    assert "The scheduler is late" in admin.get("/admin/").get_data(as_text=True)
