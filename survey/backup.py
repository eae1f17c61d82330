"""Backing up and restoring the whole database: SQLite's online backup (a consistent copy
while the app keeps running), ``pg_dump``/``pg_restore`` (custom format) for PostgreSQL."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from .extensions import db


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return url.database


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
        if not candidates:
            raise BackupError(f"{name} is not installed (Debian: postgresql-client)")
        found = candidates[-1]
    return found


def _pg_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _sqlite_copy(source_path: str, target_path: str) -> None:
    """Copy one SQLite database onto another with SQLite's online backup (consistent while the
    source is in use)."""
    source = sqlite3.connect(source_path)
    destination = sqlite3.connect(target_path)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def backup(target: Path, uri: str | None = None) -> Path:
    """Write a consistent copy of the database (``uri``, else the app's) to ``target``."""
    url = make_url(uri or str(db.engine.url))
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), str(target))
        return target
    dsn, env = _pg_target(url)
    done = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner",
                           "--file", str(target), dsn], env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(done.stderr.strip() or "pg_dump failed")
    return target


def is_empty(uri: str) -> bool:
    """Whether the database has no tables yet."""
    from sqlalchemy import create_engine

    engine = create_engine(uri)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def restore(source: Path, uri: str | None = None, replace: bool = False) -> None:
    """Load a backup into the database (``uri``, else the app's), which must be empty unless
    ``replace``: restoring over live data by mistake is refused."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    uri = uri or str(db.engine.url.render_as_string(hide_password=False))
    url = make_url(uri)
    if not replace and not is_empty(uri):
        raise BackupError("the target database is not empty (use --replace to overwrite it)")
    if uri == db.engine.url.render_as_string(hide_password=False):
        db.engine.dispose()  # no pooled connection of ours holds the old data
    if url.get_backend_name() == "sqlite":
        checked = sqlite3.connect(str(source))
        try:
            sound = checked.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            checked.close()
        if not sound:
            raise BackupError(f"{source} is not a sound SQLite database")
        _sqlite_copy(str(source), _sqlite_path(url))
        return
    dsn, env = _pg_target(url)
    command = [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
               "--dbname", dsn]
    if replace:
        command[1:1] = ["--clean", "--if-exists"]
    done = subprocess.run([*command, str(source)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(done.stderr.strip() or "pg_restore failed")
