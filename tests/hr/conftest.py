"""HR fixtures: a small campaign with results in two bodies, and staff accounts scoped to one
body or the other. Scores use the shipped ``questionnaires/maturity_model.yaml``."""

from __future__ import annotations

import pytest

from survey.accounts.users import create_user
from survey.extensions import db
from tests.conftest import STAFF_PASSWORD as PASSWORD
from tests.hr import factories as f


@pytest.fixture
def world(app):
    """Two bodies (alpha: 4 units, beta: 2 units), a previous and a current anonymous wave,
    staff accounts, and the catalogue. Returns a plain namespace."""
    cat = f.catalogue()
    alpha = f.body("alpha", 4)
    beta = f.body("beta", 2, governance_level="regional", sector="health")
    db.session.flush()
    previous = f.campaign(cat, [alpha, beta], code="wave-2025", year=2025)
    current = f.campaign(cat, [alpha, beta], previous=previous, code="wave-2026")
    sizes = {alpha.units[0]: 30, alpha.units[1]: 25, alpha.units[2]: 12, alpha.units[3]: 3,
             beta.units[0]: 20, beta.units[1]: 15}
    f.results(previous, cat, sizes, seed=1)
    f.results(current, cat, sizes, seed=2, shift=0.6)
    alpha_only = f.campaign(cat, [alpha], code="alpha-pilot", year=2024)
    f.results(alpha_only, cat, {alpha.units[0]: 8}, seed=3)
    users = {
        "admin": create_user("admin@example.kz", "Admin", PASSWORD, "admin"),
        "hr_alpha": create_user("hr@alpha.kz", "Айгүл Сейітова", PASSWORD, "hr", [alpha]),
        "hr_beta": create_user("hr@beta.kz", "Бейбіт Омаров", PASSWORD, "hr", [beta]),
        "trainer_alpha": create_user("trainer@alpha.kz", "Trainer", PASSWORD, "trainer", [alpha]),
        "trainer_beta": create_user("trainer@beta.kz", "Trainer B", PASSWORD, "trainer", [beta]),
    }
    db.session.commit()

    class World:
        pass

    w = World()
    w.cat, w.alpha, w.beta, w.previous, w.current, w.users = cat, alpha, beta, previous, current, users
    w.alpha_only = alpha_only
    return w

