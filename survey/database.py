"""Engine-level settings that SQLAlchemy cannot express in the models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from sqlalchemy import event
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.autogenerate.api import AutogenContext
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry


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


def render_migration_item(type_: str, obj: object,
                          autogen_context: AutogenContext) -> str | Literal[False]:
    """Write our column types into migrations as plain SQLAlchemy types, so a migration never
    imports application code."""
    from .models._types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
