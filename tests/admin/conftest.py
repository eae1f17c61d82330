"""Fixtures for administration tests: the small world, staff logins and a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from survey.extensions import db
from survey.models._types import utcnow
from tests import factories as base

from . import factories
from .smtp import running_smtp_server


@pytest.fixture
def world(app):
    return factories.world()


@pytest.fixture
def draft(world):
    """An anonymous draft campaign for both bodies."""
    campaign = base.campaign(world.survey, [world.ministry, world.akimat], code="wave-1",
                             status="draft", test_version=world.test)
    db.session.commit()
    return campaign


@pytest.fixture
def identified(world):
    campaign = base.campaign(world.survey, [world.ministry], code="wave-id", status="open",
                             anonymous=False, opens_at=utcnow() - timedelta(days=1))
    db.session.commit()
    return campaign


class LoggedIn:
    """Log a test client in as a staff member."""

    def __init__(self, client):
        self.client = client

    def as_(self, user):
        response = self.client.post("/staff/login",
                                    data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return self.client


@pytest.fixture
def login(client):
    return LoggedIn(client)


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback; the app is configured to send through it."""
    with running_smtp_server() as (mailbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield mailbox
