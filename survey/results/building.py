"""Who builds a campaign's next release, and when (see :mod:`survey.results.releases`).

A release is built by one worker at a time per campaign (:func:`claim`): on PostgreSQL a
transaction-level advisory lock taken without waiting (held until the release is committed or
the transaction ends), in every process also a per-campaign lock between its threads. A page
read that finds the build taken serves the latest stored release; its figures only move in
releases, so that is always what the rule allows.

With ``RELEASE_BUILD = "background"`` (the default) a page read never builds: it hands the
build to a thread of its worker (:func:`schedule`, at most one per campaign per process) and
serves the latest release; the next page read shows the new one. ``"inline"`` builds during the
page read (the tests, and commands).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import text

from ..extensions import db

_ADVISORY_NAMESPACE = 0x51B1  # the first key of pg_try_advisory_xact_lock(int, int)

_held: dict[int, threading.Lock] = {}
_held_guard = threading.Lock()
_scheduled: dict[int, threading.Thread] = {}


def in_background() -> bool:
    return str(current_app.config.get("RELEASE_BUILD", "background")) == "background"


def _lock(campaign_id: int) -> threading.Lock:
    with _held_guard:
        return _held.setdefault(campaign_id, threading.Lock())


def claim(campaign_id: int) -> bool:
    """Take the campaign's build without waiting; False when another thread or worker has it.
    Give it back with :func:`give_back` (the database lock ends with the transaction)."""
    lock = _lock(campaign_id)
    if not lock.acquire(blocking=False):
        return False
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        taken = connection.execute(text("SELECT pg_try_advisory_xact_lock(:space, :campaign)"),
                                   {"space": _ADVISORY_NAMESPACE, "campaign": campaign_id}
                                   ).scalar()
        if not taken:
            lock.release()
            return False
    return True


def give_back(campaign_id: int) -> None:
    _lock(campaign_id).release()


def schedule(campaign_id: int, build: Callable[[int], None]) -> bool:
    """Run ``build(campaign_id)`` in a thread of this worker with its own app context and
    session, unless one already runs for the campaign; True when a thread was started."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with _held_guard:
        running = _scheduled.get(campaign_id)
        if running is not None and running.is_alive():
            return False
        thread = threading.Thread(target=_run, args=(app, campaign_id, build), daemon=True,
                                  name=f"release-{campaign_id}")
        _scheduled[campaign_id] = thread
    thread.start()
    return True


def _run(app: Flask, campaign_id: int, build: Callable[[int], None]) -> None:
    with app.app_context():
        try:
            build(campaign_id)
        except Exception:  # a failed build leaves the stored releases as they were
            db.session.rollback()
            app.logger.exception("building the next release of campaign %s failed", campaign_id)
        finally:
            db.session.remove()


def wait_for_builds(timeout: float | None = None) -> None:
    """Wait for the builds this process started (tests, and commands that exit)."""
    with _held_guard:
        threads = list(_scheduled.values())
    for thread in threads:
        thread.join(timeout)
