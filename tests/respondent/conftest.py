"""Respondent fixtures: the small maturity model of data/, and layout caches emptied between
tests (tests reuse ids across emptied databases)."""

from __future__ import annotations

import pytest

from survey.respondent.layout import forget_layouts
from tests.respondent.factories import DATA


@pytest.fixture(autouse=True)
def _respondent_settings(request):
    forget_layouts()
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        app.config["QUESTIONNAIRES_DIR"] = str(DATA)
        app.config["RESPONDENT_DEADLINE_GRACE_SECONDS"] = 0
    yield
    forget_layouts()
