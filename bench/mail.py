"""E-mail at national scale: 20,000 invitations sent through a loopback SMTP server (aiosmtpd)
by the job consumer, which is killed (SIGKILL) part-way and started again.

    .venv/bin/python bench/mail.py [--invitations 20000] [--per-minute 12000]
    QABILET_PG_DURABLE=1 .ci/with-postgres .venv/bin/python bench/mail.py   # durable PostgreSQL

An administrator's click (the real view, through the test client) queues the send; the
consumer (``flask jobs consume``, SQLite queue and database in a temporary folder) sends it at
``--per-minute``; under ``.ci/with-postgres`` the database is that PostgreSQL. Prints how long the click took, the rate achieved against the one
configured, and how many addresses got no message, one, or more than one."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="qabilet-mail."))
os.environ.update({"QABILET_JOBS_IMMEDIATE": "0", "QABILET_HUEY_FILE": str(WORK / "huey.sqlite")})
os.environ.pop("REDIS_URL", None)

PASSWORD = "bench-password-1"


def timed_mailbox():
    """A loopback mailbox that notes when each message arrived."""
    from tests.admin.smtp import Mailbox

    class Timed(Mailbox):
        def __init__(self) -> None:
            super().__init__()
            self.times: list[float] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.times.append(time.monotonic())
            return await super().handle_DATA(server, session, envelope)

    return Timed()


def prepare(app, invitations: int) -> int:
    import flask_migrate
    from sqlalchemy import insert

    from survey.accounts.users import create_user
    from survey.extensions import db
    from survey.models import Campaign, Invitation, Organisation, RoleProfile, Unit
    from survey.models._types import utcnow
    from survey.questionnaires.loader import latest_version, load_folder
    from survey.tokens import hash_token, new_token

    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        load_folder(ROOT / "questionnaires")
        org = Organisation(code="mail", name_kk="Орган", name_ru="Орган", name_en="Body",
                           governance_level="republican", sector="digital_development")
        unit = Unit(organisation=org, code="u1", name_kk="Бөлім", name_ru="Отдел",
                    name_en="Unit")
        role = db.session.scalars(db.select(RoleProfile)).first()
        now = utcnow()
        from datetime import timedelta

        campaign = Campaign(code="mail", title_kk="Кезең", title_ru="Волна", title_en="Wave",
                            status="open", opens_at=now - timedelta(days=1),
                            closes_at=now + timedelta(days=30),
                            survey_version=latest_version("digital_culture"),
                            organisations=[org])
        db.session.add_all([org, unit, campaign])
        create_user("admin@mail.kz", "Admin", PASSWORD, "admin", language="en")
        db.session.flush()
        db.session.execute(insert(Invitation), [
            {"campaign_id": campaign.id, "token_hash": hash_token(new_token()),
             "organisation_id": org.id, "unit_id": unit.id, "position_category_id": role.id,
             "email": f"person{i}@gov.kz", "language": ("kk", "ru", "en")[i % 3],
             "status": "new", "created_at": now} for i in range(invitations)])
        db.session.commit()
        return campaign.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invitations", type=int, default=20_000)
    parser.add_argument("--per-minute", type=int, default=12_000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="share sent before the kill")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    from survey import create_app
    from survey.config import normalise_database_url
    from tests.admin.smtp import free_port

    postgres = os.environ.get("QABILET_TEST_DATABASE_URL")
    uri = normalise_database_url(postgres) if postgres else f"sqlite:///{WORK / 'mail.sqlite'}"
    config = {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
              "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024}
    app = create_app(config)
    campaign_id = prepare(app, args.invitations)
    mailbox, port = timed_mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, "DATABASE_URL": uri, "SECRET_KEY": "bench",
           "QABILET_MAIL_SERVER": "127.0.0.1", "QABILET_MAIL_PORT": str(port),
           "QABILET_MAIL_PER_MINUTE": str(args.per_minute), "QABILET_MAIL_BATCH_SIZE": "500"}

    def consumer() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "survey", "jobs",
                                 "consume", "--workers", "2"], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    client = app.test_client()
    client.post("/staff/login", data={"email": "admin@mail.kz", "password": PASSWORD})
    started = time.perf_counter()
    reply = client.post(f"/admin/campaigns/{campaign_id}/send")
    click = time.perf_counter() - started
    assert reply.status_code == 302, reply.status_code
    first = consumer()
    try:
        while len(mailbox.messages) < args.kill_at * args.invitations:
            time.sleep(0.05)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    at_kill = len(mailbox.messages)
    second = consumer()
    from survey.extensions import db
    from survey.models import Delivery

    try:
        with app.app_context():
            while True:
                db.session.remove()
                left = db.session.scalar(db.select(db.func.count()).where(
                    Delivery.status.in_(("queued", "sending"))))
                if not left:
                    break
                time.sleep(0.5)
            statuses = Counter(db.session.scalars(db.select(Delivery.status)))
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait()
        controller.stop()
        import shutil

        shutil.rmtree(WORK, ignore_errors=True)
    received = Counter(rcpts[0] for rcpts, _m in mailbox.messages)
    per_address = Counter(received.values())
    after = len(mailbox.messages) - at_kill
    steady = mailbox.times[at_kill:]
    rate = (len(steady) - 1) / (steady[-1] - steady[0]) * 60 if len(steady) > 1 else 0.0
    where = "PostgreSQL" if postgres else "SQLite"
    print(f"e-mail: {args.invitations} invitations, SQLite queue, {where} database, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"queued by the click in {click:.2f} s (one INSERT … SELECT and one job)")
    print(f"consumer killed after {at_kill} messages, restarted; it sent {after} more at "
          f"{rate:.0f}/min from its first message to its last (configured {args.per_minute}/min)")
    print(f"deliveries: {dict(statuses)}")
    print(f"addresses with one message: {per_address.get(1, 0)}, with more than one: "
          f"{sum(n for k, n in per_address.items() if k > 1)}, with none: "
          f"{args.invitations - len(received)}")


if __name__ == "__main__":
    main()
