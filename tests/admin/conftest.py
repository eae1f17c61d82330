"""Fixtures for administration tests: the small world and a real SMTP server (staff log in with
the root ``auth`` fixture)."""

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


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback; the app is configured to send through it."""
    with running_smtp_server() as (mailbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield mailbox
