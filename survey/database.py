"""Engine-level settings that SQLAlchemy cannot express in the models."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def enable_sqlite_pragmas(engine: Engine) -> None:
    """SQLite: enforce foreign keys and use the write-ahead log so readers never block writers."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


def render_migration_item(type_, obj, autogen_context):
    """Write our column types into migrations as plain SQLAlchemy types, so a migration never
    imports application code."""
    from .models._types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
