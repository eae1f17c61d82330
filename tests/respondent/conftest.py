"""Respondent fixtures: the deadline is exact (no grace period) in tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _exact_deadline(request):
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["RESPONDENT_DEADLINE_GRACE_SECONDS"] = 0
