"""A real job consumer (``flask jobs consume``, SQLite queue) sending a queued send through a
loopback SMTP server, killed (SIGKILL) in the middle and started again: every address gets
its message once, none twice; the one the sender had handed over but not recorded is marked
"uncertain", never sent again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import flask_migrate
import pytest
from huey import SqliteHuey

from survey import create_app
from survey.campaigns.delivery import queue_send
from survey.extensions import db
from survey.jobs.tasks import send_mail
from survey.models import Delivery, Invitation
from tests import factories as base
from tests.conftest import make_config

from . import factories
from .smtp import running_smtp_server

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 200
pytestmark = pytest.mark.slow


def consumer(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "survey", "jobs",
                             "consume", "--workers", "2"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_consumer_killed_mid_send_and_restarted_sends_nobody_a_message_twice(tmp_path):
    uri = f"sqlite:///{tmp_path / 'mail.sqlite'}"
    app = create_app(make_config(uri))
    with app.app_context():
        flask_migrate.upgrade()
        world = factories.world()
        campaign = base.campaign(world.survey, [world.ministry], code="wave-mail")
        db.session.flush()
        unit = world.ministry.units[0]
        profile = db.session.scalar(db.text("SELECT id FROM role_profile LIMIT 1"))
        for i in range(MESSAGES):
            db.session.add(Invitation(campaign=campaign, token_hash=f"{i:064x}",
                                      organisation_id=world.ministry.id, unit_id=unit.id,
                                      position_category_id=profile, email=f"p{i}@gov.kz",
                                      language="kk"))
        send = queue_send(campaign, "invitation")
        db.session.commit()
        send_id = send.id
    # The consumer's queue, as the web server writes to it (the tests' own runs jobs at once).
    queue = SqliteHuey("qabilet", filename=str(tmp_path / "huey.sqlite"))
    job = queue.task()(send_mail.func)
    queue.enqueue(job.s(send_id))

    with running_smtp_server() as (mailbox, port):
        env = {**os.environ, "DATABASE_URL": uri, "SECRET_KEY": "consumer-test",
               "QABILET_JOBS_IMMEDIATE": "0", "QABILET_HUEY_FILE": str(tmp_path / "huey.sqlite"),
               "QABILET_MAIL_SERVER": "127.0.0.1", "QABILET_MAIL_PORT": str(port),
               "QABILET_MAIL_PER_MINUTE": "3000", "QABILET_MAIL_BATCH_SIZE": "50"}
        first = consumer(env)
        try:
            assert wait_for(lambda: len(mailbox.messages) >= 60, 90), "the consumer sent nothing"
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
        killed_at = len(mailbox.messages)
        assert killed_at < MESSAGES  # stopped mid-send
        # The job died with the consumer; the new consumer takes up every unfinished send.
        second = consumer(env)
        try:
            with app.app_context():
                def finished() -> bool:
                    db.session.remove()
                    return not db.session.scalar(db.select(db.func.count()).where(
                        Delivery.status.in_(("queued", "sending"))))
                assert wait_for(finished, 90), "the second consumer did not finish the send"
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait()

    received = Counter(rcpts[0] for rcpts, _message in mailbox.messages)
    assert max(received.values()) == 1  # nobody twice
    with app.app_context():
        statuses = dict(db.session.execute(
            db.select(Invitation.email, Delivery.status)
            .join(Delivery, Delivery.invitation_id == Invitation.id)).all())
        db.engine.dispose()
    assert set(statuses.values()) <= {"sent", "uncertain"}
    assert {e for e, s in statuses.items() if s == "sent"} <= set(received)
    assert len(received) + list(statuses.values()).count("uncertain") >= MESSAGES
    # Both worker threads take up the send (the job queued it and the starting consumer too),
    # but one sends at a time: at most one message was in flight when it was killed.
    assert list(statuses.values()).count("uncertain") <= 1
    assert len(received) >= MESSAGES - 1
