"""Background jobs and the scheduler, on Huey.

The queue lives in Redis when ``REDIS_URL`` is set (every node and consumer share it), else in
an SQLite file in the instance folder (``QABILET_HUEY_FILE``), which needs nothing installed
but serves one machine only. The consumer runs beside the web server:
``flask --app survey jobs consume``. With ``QABILET_JOBS_IMMEDIATE=1`` (the tests) a job runs
at once, inside the call that queued it."""

from __future__ import annotations

from .queue import huey

__all__ = ["huey"]
