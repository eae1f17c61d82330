"""Engine-level settings that SQLAlchemy cannot express in the models."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Literal

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.autogenerate.api import AutogenContext
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection


def enable_sqlite_pragmas(engine: Engine) -> None:
    """SQLite: enforce foreign keys and use the write-ahead log so readers never block writers."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


def ping_after_idle(engine: Engine, seconds: float) -> None:
    """Before a pooled connection is handed out, check it with the dialect's own ping when it
    has been back in the pool for ``seconds`` or more (0: on every use); a connection that
    fails the check is discarded and the pool hands out another (SQLAlchemy's
    DisconnectionError protocol).

    A connection used a moment ago is not checked: under load that saves one round trip per
    request. If the server restarts while connections are in steady use, the first request on
    each process that meets a dead connection fails, and SQLAlchemy then replaces every
    connection of that pool."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry,
                    _proxy: PoolProxiedConnection) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < seconds:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error


def render_migration_item(type_: str, obj: object,
                          autogen_context: AutogenContext) -> str | Literal[False]:
    """Write our column types into migrations as plain SQLAlchemy types, so a migration never
    imports application code."""
    from .models._types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
