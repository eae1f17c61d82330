"""The Huey tasks: thin wrappers that give the domain functions an app context."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import crontab

from .queue import huey
from .scheduler import TickReport

log = logging.getLogger(__name__)
_app: Flask | None = None


def use_app(app: Flask) -> None:
    """The app the consumer's tasks run in (else one is built from the environment)."""
    global _app
    _app = app


@contextmanager
def app_context() -> Iterator[None]:
    global _app
    if has_app_context():
        yield
        return
    if _app is None:
        from .. import create_app

        _app = create_app()
    with _app.app_context():
        try:
            yield
        finally:
            from ..extensions import db

            db.session.remove()


def _run(function: Callable[..., Any], *args: Any) -> Any:
    with app_context():
        return function(*args)


@huey.task()
def send_mail(send_id: int, retry: int = 0) -> None:
    """One batch of a send; queues the next batch, or itself again later with back-off."""
    from ..campaigns.delivery import TemporaryMailError, send_batch

    with app_context():
        try:
            more = send_batch(send_id)
        except TemporaryMailError as error:
            from ..extensions import db

            db.session.rollback()
            delay = min(int(current_app.config["MAIL_RETRY_SECONDS"]) * 2 ** retry, 3600)
            log.warning("mail send %s: %s; trying again in %s s", send_id, error, delay)
            if not huey.immediate:
                send_mail.schedule((send_id, retry + 1), delay=delay)
            return
    if more:
        send_mail(send_id)


@huey.task()
def prepare_test_exposure(version_id: int) -> None:
    """Store the adaptive test's exposure control for a test version (about a second of
    simulation) before its first respondent asks for an item."""
    from ..responses.adaptive import prepare_exposure

    _run(prepare_exposure, version_id)


def run_scheduler(now: datetime | None = None) -> TickReport:
    """One tick, then the reminders it queued handed to the mail job."""
    from .scheduler import tick

    with app_context():
        report = tick(now)
    for send_id in report.reminders:
        send_mail(send_id)
    return report


@huey.periodic_task(crontab(minute="*"))
def scheduler_tick() -> None:
    """Every minute: close, remind, sweep (see :mod:`survey.jobs.scheduler`)."""
    run_scheduler()
