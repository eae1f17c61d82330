"""The Huey instance, chosen from the environment when this module is first imported (tasks
are bound to it at import time, before any app exists)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

log = logging.getLogger(__name__)


def redis_url() -> str | None:
    """The one setting that moves every piece of shared state to Redis."""
    return os.environ.get("REDIS_URL") or os.environ.get("QABILET_REDIS_URL") or None


def _default_file() -> str:
    from flask import Flask

    folder = Path(Flask("survey", instance_relative_config=True).instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "huey.sqlite")


def make_huey() -> Huey:
    immediate = os.environ.get("QABILET_JOBS_IMMEDIATE", "") not in ("", "0")
    url = redis_url()
    if url:
        return RedisHuey("qabilet", url=url, immediate=immediate)
    return SqliteHuey("qabilet", filename=os.environ.get("QABILET_HUEY_FILE") or _default_file(),
                      immediate=immediate)


huey = make_huey()
