"""The attacks of the disclosure issue, replayed against the real app with an HR account: only
the pages and exports that account may read, and every difference of two of its readings
covers no one or at least k people.

The setting: body delta with a unit tree — unit 0 (7 people) with sub-units 1 (8) and 2 (3),
and a top unit 3 (10) — and a second body epsilon (6); everyone invited has finished.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from survey.accounts.users import create_user
from survey.extensions import db
from survey.models import AttemptResult
from survey.results.releases import stored_atoms
from tests.conftest import STAFF_PASSWORD
from tests.hr import factories as f

K = 5


@pytest.fixture
def tree(app):
    cat = f.catalogue()
    delta = f.body("delta", 4)
    epsilon = f.body("epsilon", 1, governance_level="regional", sector="health")
    db.session.flush()
    u = delta.units
    u[1].parent_id = u[0].id
    u[2].parent_id = u[0].id
    wave = f.campaign(cat, [delta, epsilon], code="wave-tree")
    f.results(wave, cat, {u[0]: 7, u[1]: 8, u[2]: 3, u[3]: 10, epsilon.units[0]: 6}, seed=21,
              invited_extra=0)
    create_user("hr@delta.kz", "HR delta", STAFF_PASSWORD, "hr", [delta])
    create_user("trainer@delta.kz", "Trainer delta", STAFF_PASSWORD, "trainer", [delta])
    db.session.commit()

    class Tree:
        pass

    t = Tree()
    t.cat, t.delta, t.epsilon, t.wave, t.units = cat, delta, epsilon, wave, u
    return t


def _table(client, url: str, first_header: str) -> list[list[str]]:
    """The rows of an exported CSV table after its header row."""
    response = client.get(url)
    assert response.status_code == 200, url
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    return rows[start + 1:]


def _count(cell: str) -> int | None:
    return int(cell) if cell.isdigit() else None


def people(client, wave, **filters) -> int:
    """Respondents in the released figures of a selection (0 when withheld)."""
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    rows = _table(client, f"/hr/campaigns/{wave.id}/export/culture_score.csv?{query}",
                  "Respondents")
    return _count(rows[0][0]) or 0


def levels(client, wave, **filters) -> list[int]:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    rows = _table(client, f"/hr/campaigns/{wave.id}/export/levels.csv?{query}", "Level")
    return [_count(r[1]) or 0 for r in rows]


def figures(client, wave, **filters) -> dict[str, list[list[str]]]:
    """Every dashboard table of a selection as exported (the preamble left out)."""
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    keys = ("culture_score", "subscores", "levels", "culture_by_unit", "culture_by_position",
            "gaps_by_competence", "gaps_by_unit", "gaps_by_position", "top_gaps")
    out = {}
    for key in keys:
        text = client.get(f"/hr/campaigns/{wave.id}/export/{key}.csv?{query}").get_data(
            as_text=True)
        lines = text.lstrip("\ufeff").splitlines()
        out[key] = [line for line in lines
                    if not line.startswith(("Exported", "Figures released"))]
    return out


def safe(difference: int) -> bool:
    return difference == 0 or difference >= K


def test_a_hidden_unit_is_not_body_total_minus_the_other_units(tree, auth):
    client = auth.as_("hr@delta.kz", "en")
    body = people(client, tree.wave, organisation=tree.delta.id)
    units = [people(client, tree.wave, unit=u.id) for u in tree.units]
    assert units[2] == 0  # the 3-person unit has no figures of its own
    assert body >= K
    assert safe(body - sum(units))
    # And with every subset of the units left out of the sum.
    for left_out in range(4):
        assert safe(body - sum(n for i, n in enumerate(units) if i != left_out) - units[left_out])


def test_subtracting_every_position_filter_isolates_no_group_under_k(tree, auth):
    client = auth.as_("hr@delta.kz", "en")
    positions = [p.id for p in tree.cat.profiles]
    for where in ({"organisation": tree.delta.id}, *({"unit": u.id} for u in tree.units)):
        whole = people(client, tree.wave, **where)
        parts = [people(client, tree.wave, position=p, **where) for p in positions]
        assert safe(whole - sum(parts)), (where, whole, parts)
        for part in parts:
            assert safe(whole - part)


def test_level_cells_of_siblings_do_not_add_up_to_a_small_group(tree, auth):
    client = auth.as_("hr@delta.kz", "en")
    body = levels(client, tree.wave, organisation=tree.delta.id)
    units = [levels(client, tree.wave, unit=u.id) for u in tree.units]
    leftover = [b - sum(u[j] for u in units) for j, b in enumerate(body)]
    assert all(cell >= 0 for cell in leftover)
    assert safe(sum(leftover))
    assert sum(units[2]) == 0


def test_reading_again_after_one_more_finisher_shows_the_same_figures(tree, auth):
    client = auth.as_("hr@delta.kz", "en")
    where = {"organisation": tree.delta.id}
    before = {name: figures(client, tree.wave, **where) for name in ("body",)}
    unit_before = figures(client, tree.wave, unit=tree.units[3].id)
    f.results(tree.wave, tree.cat, {tree.units[3]: 1}, seed=22, invited_extra=0)
    db.session.commit()
    assert figures(client, tree.wave, **where) == before["body"]
    assert figures(client, tree.wave, unit=tree.units[3].id) == unit_before
    page = client.get(f"/hr/campaigns/{tree.wave.id}?organisation={tree.delta.id}")
    assert "Results waiting for the next release: 1." in page.get_data(as_text=True)
    # Four more: a group of five can form, and the figures move by at least five people.
    n_before = people(client, tree.wave, **where)
    f.results(tree.wave, tree.cat, {tree.units[3]: 4}, seed=23, invited_extra=0)
    db.session.commit()
    n_after = people(client, tree.wave, **where)
    assert n_after - n_before >= K


def test_item_quality_of_a_small_unit_and_its_complement_show_no_small_group(tree, auth):
    client = auth.as_("hr@delta.kz", "en")

    def counted(**filters) -> int:
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        page = client.get(f"/hr/campaigns/{tree.wave.id}/items?{query}").get_data(as_text=True)
        match = re.search(r"Respondents counted: (\d+|[^,]+), of whom", page)
        assert match, page[:300]
        return _count(match.group(1)) or 0

    assert counted(unit=tree.units[2].id) == 0
    rows = _table(client, f"/hr/campaigns/{tree.wave.id}/items/test_items.csv"
                  f"?unit={tree.units[2].id}", "Code")
    assert rows == []
    body = counted(organisation=tree.delta.id)
    assert safe(body - sum(counted(unit=u.id) for u in tree.units))


def test_the_trainer_plan_of_the_body_minus_its_units_is_whole_groups(tree, auth):
    client = auth.as_("trainer@delta.kz", "en")

    def plan(**filters) -> dict[str, int]:
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        rows = _table(client, f"/trainer/campaigns/{tree.wave.id}/plan.csv?{query}", "Order")
        return {r[1]: int(r[4]) for r in rows}

    assert plan(unit=tree.units[2].id) == {}
    body = plan(organisation=tree.delta.id)
    assert body
    units = [plan(unit=u.id) for u in tree.units]
    # What the unit plans leave out is counted over the released groups that span units —
    # never over the 3-person unit on its own (its results are in no unit's figures).
    stored = stored_atoms(tree.wave.id)
    unit_of = dict(db.session.execute(db.select(AttemptResult.attempt_id, AttemptResult.unit_id)
                                      .where(AttemptResult.campaign_id == tree.wave.id)).all())
    atoms = {stored.get(i, -1) for i, u in unit_of.items() if u == tree.units[2].id} - {-1}
    for atom in atoms:
        members = [unit_of[i] for i, a in stored.items() if a == atom]
        assert len(members) >= K
        assert set(members) != {tree.units[2].id}
    for course, n in body.items():
        assert n >= sum(u.get(course, 0) for u in units)


def test_a_named_finisher_s_level_does_not_show_in_an_identified_campaign(app, auth):
    from survey.models import Person

    cat = f.catalogue()
    body = f.body("zeta", 1)
    db.session.flush()
    persons = [Person(organisation_id=body.id, unit_id=body.units[0].id,
                      position_category_id=cat.profiles[0].id, personnel_number=f"z{i}",
                      full_name=f"Person {i}", email=f"p{i}@zeta.kz", language="kk")
               for i in range(12)]
    db.session.add_all(persons)
    db.session.flush()
    wave = f.campaign(cat, [body], anonymous=False, code="wave-named")
    f.results(wave, cat, {body.units[0]: 10}, seed=31, invited_extra=1,
              persons=[p.id for p in persons[:10]])
    create_user("hr@zeta.kz", "HR zeta", STAFF_PASSWORD, "hr", [body])
    db.session.commit()
    client = auth.as_("hr@zeta.kz", "en")
    before = levels(client, wave, unit=body.units[0].id)
    assert sum(before) >= K
    # Person 10 finishes: the invitation list would show it; the level table must not move.
    f.results(wave, cat, {body.units[0]: 1}, seed=32, invited_extra=0,
              persons=[persons[10].id])
    db.session.commit()
    assert levels(client, wave, unit=body.units[0].id) == before
    assert levels(client, wave) == levels(client, wave, organisation=body.id)
