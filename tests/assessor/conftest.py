"""Assessor fixtures: two bodies with survey results in a campaign that closes within this
year's period, the shipped checklists and maturity model stored as `questionnaires load` stores
them, and staff accounts of every role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from survey.accounts.users import create_user
from survey.extensions import db
from survey.questionnaires.checklist_checks import load_checklists
from survey.questionnaires.loader import CHECKLISTS_KEY, store_reference
from survey.questionnaires.schema import dump
from tests.conftest import STAFF_PASSWORD as PASSWORD
from tests.conftest import AuthActions
from tests.hr import factories as f

SHIPPED = f.SHIPPED


def login(client, email: str, lang: str = "en"):
    """The client logged in as ``email`` through the real form, pages in ``lang``."""
    return AuthActions(client).as_(email, language=lang)


def store_checklists() -> None:
    store_reference(CHECKLISTS_KEY, dump(load_checklists(SHIPPED / "expert_checklists.yaml")))


@pytest.fixture
def world(app):
    """Body alpha (republican, centralised office, 50 results), body beta (regional, 3 results
    only), a campaign closing in 20 days, and accounts: two assessors of alpha, one of beta, an
    HR analyst of alpha, a trainer and an administrator."""
    cat = f.catalogue()
    store_checklists()
    alpha = f.body("alpha", 2)
    alpha.project_office = "centralised"
    alpha.units[0].is_project_office = True
    beta = f.body("beta", 1, governance_level="regional", sector="health")
    db.session.flush()
    wave = f.campaign(cat, [alpha, beta], code="wave-now")
    f.results(wave, cat, {alpha.units[0]: 30, alpha.units[1]: 20, beta.units[0]: 3}, seed=4)
    users = {
        "admin": create_user("admin@example.kz", "Админ", PASSWORD, "admin"),
        "assessor": create_user("a1@alpha.kz", "Сәуле Қасымова", PASSWORD, "assessor", [alpha]),
        "assessor2": create_user("a2@alpha.kz", "Арман Беков", PASSWORD, "assessor", [alpha]),
        "assessor_beta": create_user("b1@beta.kz", "Бота Ерланова", PASSWORD, "assessor",
                                     [beta]),
        "hr": create_user("hr@alpha.kz", "Айгүл Сейітова", PASSWORD, "hr", [alpha]),
        "trainer": create_user("tr@alpha.kz", "Тренер", PASSWORD, "trainer", [alpha]),
    }
    db.session.commit()

    class World:
        pass

    w = World()
    w.cat, w.alpha, w.beta, w.wave, w.users = cat, alpha, beta, wave, users
    today = date.today()
    w.start, w.end = today - timedelta(days=60), today + timedelta(days=60)
    return w
