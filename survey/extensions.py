"""Flask extensions, created once here and bound to the app in ``create_app``."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from flask import Flask, current_app
from flask_babel import Babel
from flask_caching import Cache
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProcessCache:
    """Live objects kept in this process, one store per app, the least recently used dropped
    first (``PROCESS_CACHE_SIZE`` entries).

    For campaign frames, which :data:`cache` would hold badly: a cache backend stores values
    pickled (SimpleCache too), and a 100,000-attempt frame pickles to 15 MB bare and about
    130 MB once its scores are derived — 60–90 ms each way on every request — and the scores
    a request derives on an unpickled copy would be lost, so each request would score every
    person again. Frames are rebuilt from one query per process, so nothing is lost by keeping
    them out of a shared cache."""

    def init_app(self, app: Flask) -> None:
        app.extensions["process_cache"] = _LeastRecentlyUsed(int(app.config["PROCESS_CACHE_SIZE"]))

    @staticmethod
    def _store() -> _LeastRecentlyUsed:
        return current_app.extensions["process_cache"]

    def get(self, key: Any) -> Any:
        """The object kept under ``key``, or None."""
        return self._store().get(key)

    def set(self, key: Any, value: Any) -> None:
        self._store().set(key, value)

    def clear(self) -> None:
        self._store().clear()


class _LeastRecentlyUsed:
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            if key not in self.entries:
                return None
            self.entries.move_to_end(key)
            return self.entries[key]

    def set(self, key: Any, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def cache_key(kind: str, *parts: Any) -> str:
    """A key for :data:`cache` from everything its value depends on. ``parts`` must have a
    stable ``repr`` (ids, strings, bytes, tuples, frozen dataclasses) so that every process
    computes the same key for the same value."""
    return f"{kind}:{hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()}"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Dashboards and chart images: ``CACHE_TYPE`` picks the backend (SimpleCache by default).
cache = Cache()
# Campaign frames: see :class:`ProcessCache`.
process_cache = ProcessCache()
