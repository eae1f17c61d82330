"""One sender per e-mail send at a time (:func:`only_sender`).

A second job for a send — the consumer takes up every unfinished send when it starts, and the
job that queued one may be queued too — would otherwise run through the same messages: each
sender waiting its turn for messages the other claims, and marking the other's message in
flight "uncertain" as if its sender had stopped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from ..extensions import db

ADVISORY_NAMESPACE = 0x4D41  # the first key of pg_advisory_lock(int, int) for a send
_senders: dict[int, threading.Lock] = {}
_senders_guard = threading.Lock()


@contextmanager
def only_sender(send_id: int) -> Iterator[bool]:
    """Whether this is the send's only sender now: in the process a lock between its threads,
    on PostgreSQL also an advisory lock held by a connection of its own, so that it ends with
    the connection if the sender is killed. (A SQLite database has one process sending.)"""
    with _senders_guard:
        lock = _senders.setdefault(send_id, threading.Lock())
    if not lock.acquire(blocking=False):
        yield False
        return
    try:
        if db.engine.dialect.name != "postgresql":
            yield True
            return
        key = {"space": ADVISORY_NAMESPACE, "send": send_id}
        with db.engine.connect() as connection:
            taken = bool(connection.scalar(
                text("SELECT pg_try_advisory_lock(:space, :send)"), key))
            connection.commit()  # the lock outlives the transaction; nothing is left open
            try:
                yield taken
            finally:
                if taken:
                    connection.execute(text("SELECT pg_advisory_unlock(:space, :send)"), key)
                    connection.commit()
    finally:
        lock.release()
