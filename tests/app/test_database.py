"""Constraints live in the database, and the migrations build exactly the models."""

from __future__ import annotations

import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from survey import create_app
from survey.config import idle_seconds
from survey.database import ping_after_idle
from survey.extensions import db
from survey.models import Answer, Attempt, Item, RequiredLevel
from tests import factories as f


def test_migrations_build_exactly_what_the_models_describe(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def make_attempt():
    org = f.organisation()
    unit = f.unit(org)
    role = f.role_profile()
    version = f.survey_version()
    campaign = f.campaign(version, [org])
    attempt = Attempt(campaign=campaign, access_hash="a" * 64, organisation_id=0, unit_id=0,
                      position_category_id=0, language="kk", seed=7)
    db.session.flush()
    attempt.organisation_id, attempt.unit_id, attempt.position_category_id = org.id, unit.id, role.id
    db.session.add(attempt)
    db.session.flush()
    return attempt, version


def test_an_answer_is_unique_per_attempt_and_item(app):
    attempt, version = make_attempt()
    item = version.items[0]
    db.session.add(Answer(attempt_id=attempt.id, item_id=item.id, value="4"))
    db.session.flush()
    db.session.add(Answer(attempt_id=attempt.id, item_id=item.id, value="5"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_foreign_keys_are_enforced(app):
    db.session.add(Answer(attempt_id=999_999, item_id=999_999, value="4"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("level", [0, 6])
def test_required_levels_outside_one_to_five_are_refused(app, level):
    profile, competence = f.role_profile(), f.competence()
    db.session.flush()
    db.session.add(RequiredLevel(profile_id=profile.id, competence_id=competence.id, level=level))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_reverse_keying_is_refused_on_a_test_item(app):
    version = f.survey_version()
    competence = f.competence()
    db.session.flush()
    version.items.append(Item(code="t1", position=99, type="single", competence_id=competence.id,
                              level=2, reverse=True, texts=f.texts("Q"), key="a"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_campaign_must_close_after_it_opens(app):
    org = f.organisation()
    version = f.survey_version()
    campaign = f.campaign(version, [org])
    campaign.closes_at = campaign.opens_at
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def counting_engine(seconds: float):
    """A one-connection engine with :func:`ping_after_idle`, and the list its pings go into."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("an SQLite file has no server to drop a connection")
    engine = create_engine(db.engine.url, pool_size=1, max_overflow=0)
    pings = []
    real_ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda connection: pings.append(1) or real_ping(connection)
    ping_after_idle(engine, seconds)
    return engine, pings


BACKEND = text("SELECT pg_backend_pid()")


def test_an_idle_pooled_connection_is_checked_and_one_the_server_dropped_is_replaced(app):
    engine, pings = counting_engine(0.2)
    try:
        with engine.connect() as connection:
            first = connection.execute(BACKEND).scalar()
        with engine.connect() as connection:  # back a moment ago: used as it is
            assert connection.execute(BACKEND).scalar() == first
        assert pings == []
        time.sleep(0.3)
        with engine.connect() as connection:  # idle: checked, and alive
            assert connection.execute(BACKEND).scalar() == first
        assert len(pings) == 1
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        db.session.commit()
        time.sleep(0.3)
        with engine.connect() as connection:  # dropped while idle: replaced, no error
            assert connection.execute(BACKEND).scalar() != first
        assert len(pings) == 2
    finally:
        engine.dispose()


def test_with_no_idle_time_every_use_is_checked(app):
    engine, pings = counting_engine(0)
    try:
        with engine.connect() as connection:
            first = connection.execute(BACKEND).scalar()
        for used in range(1, 4):  # back a moment ago, and checked all the same
            with engine.connect() as connection:
                assert connection.execute(BACKEND).scalar() == first
            assert len(pings) == used
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        db.session.commit()
        with engine.connect() as connection:  # dropped a moment ago: replaced, no error
            assert connection.execute(BACKEND).scalar() != first
    finally:
        engine.dispose()


@pytest.mark.parametrize("raw", ["null", '"ten"', "-1", "true"])
def test_a_connection_check_setting_that_is_not_seconds_stops_the_start(monkeypatch, raw):
    monkeypatch.setenv("QABILET_DATABASE_PING_AFTER_IDLE_SECONDS", raw)
    refusal = r"QABILET_DATABASE_PING_AFTER_IDLE_SECONDS\) must be a number of seconds"
    with pytest.raises(RuntimeError, match=refusal):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})


@pytest.mark.parametrize(("raw", "seconds"), [("0", 0.0), ("2.5", 2.5)])
def test_a_connection_check_setting_in_seconds_is_taken(monkeypatch, raw, seconds):
    monkeypatch.setenv("QABILET_DATABASE_PING_AFTER_IDLE_SECONDS", raw)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    assert idle_seconds(app.config) == seconds
