"""The restore drill: a backup of a database with answers, restored into an empty database,
holds every answer (SQLite's online backup, or pg_dump/pg_restore on PostgreSQL)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from survey.backup import BackupError, backup, restore
from survey.extensions import db
from survey.models import Answer, Attempt, RoleProfile
from tests.admin import factories
from tests.factories import campaign as make_campaign

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
ANSWERS = "SELECT attempt_id, item_id, value FROM answer ORDER BY attempt_id, item_id"


def script_head() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.fixture
def answered(app):
    world = factories.world()
    campaign = make_campaign(world.survey, [world.ministry], code="wave-drill")
    db.session.flush()
    profile = db.session.scalars(db.select(RoleProfile.id)).first()
    for n in range(7):
        attempt = Attempt(campaign=campaign, access_hash=f"{n:064x}",
                          organisation_id=world.ministry.id,
                          unit_id=world.ministry.units[0].id, position_category_id=profile,
                          language="kk", seed=n, stage="finished")
        db.session.add(attempt)
        db.session.flush()
        for k, item in enumerate(world.survey.items):
            db.session.add(Answer(attempt_id=attempt.id, item_id=item.id,
                                  value=str((n + k) % 5 + 1)))
    db.session.commit()
    return db.session.execute(text(ANSWERS)).all()


@pytest.fixture
def empty_database(app, tmp_path):
    """The URI of a new, empty database of the same kind as the test database."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"qabilet_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_backup_restored_into_an_empty_database_finds_every_answer(
        answered, empty_database, tmp_path):
    assert len(answered) == 7 * 2  # seven people, two statements each
    archive = backup(tmp_path / "qabilet.backup")
    restore(archive, uri=empty_database)
    version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == script_head()
    engine = create_engine(empty_database)
    try:
        with engine.connect() as connection:
            assert connection.execute(text(ANSWERS)).all() == answered
            assert connection.execute(text("SELECT count(*) FROM attempt")).scalar() == 7
            restored = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert restored.scalar() == version
    finally:
        engine.dispose()


def test_restoring_over_a_database_with_data_is_refused(answered, tmp_path):
    archive = backup(tmp_path / "qabilet.backup")
    with pytest.raises(BackupError, match="not empty"):
        restore(archive, uri=db.engine.url.render_as_string(hide_password=False))
    assert db.session.execute(text(ANSWERS)).all() == answered


def test_the_commands_back_up_and_refuse_a_missing_file(answered, runner, tmp_path):
    target = tmp_path / "cli.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    result = runner.invoke(args=["restore", str(target)])
    assert result.exit_code != 0
    assert "not empty" in result.output
