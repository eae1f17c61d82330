"""No person's result can be worked out by subtracting one selection from another: every
figure is a sum over fixed atoms of at least k results, so the difference of two selections is
a sum of whole atoms or nothing. The setting: a unit of six, five specialists and one leader."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import update

from survey.extensions import db
from survey.models import AttemptResult
from survey.questionnaires.reference import catalogue_courses, maturity_model
from survey.results import dashboard as report
from survey.results.plan import build_plan
from survey.results.releases import released_figures
from tests.hr import factories as f


@pytest.fixture
def unit_of_six(app):
    cat = f.catalogue()
    body = f.body("gamma", 2)
    db.session.flush()
    wave = f.campaign(cat, [body], code="wave-gamma")
    small, large = body.units
    f.results(wave, cat, {small: 6, large: 30}, seed=5)
    specialist, leader = cat.profiles[0], cat.profiles[1]
    db.session.execute(update(AttemptResult).where(AttemptResult.unit_id == small.id)
                       .values(position_category_id=specialist.id))
    one = db.session.scalar(db.select(AttemptResult.attempt_id)
                            .where(AttemptResult.unit_id == small.id).limit(1))
    db.session.execute(update(AttemptResult).where(AttemptResult.attempt_id == one)
                       .values(position_category_id=leader.id))
    db.session.commit()
    frame, gate, invited = released_figures(wave, 5)
    model = maturity_model().model

    class Setting:
        pass

    s = Setting()
    s.wave, s.body, s.small, s.large, s.specialist, s.leader = wave, body, small, large, specialist, leader
    s.frame, s.gate, s.model, s.invited = frame, gate, model, invited
    s.scope = (body.id,)
    return s


def dash(s, **chosen):
    filters = report.Filters(organisations=s.scope, **chosen)
    return report.compute_dashboard(s.frame, s.gate, s.model, filters, s.invited, 5)


def test_the_five_specialists_form_an_atom_and_the_leader_waits_for_a_wider_group(unit_of_six):
    s = unit_of_six
    whole_unit = dash(s, unit=s.small.id)
    assert not whole_unit.withheld
    # The leader's result is not in the unit's figures: one person cannot form a group.
    assert whole_unit.n == 5
    assert np.isfinite(whole_unit.overall.mean[0])


def test_unit_minus_specialists_isolates_no_one(unit_of_six):
    s = unit_of_six
    unit = dash(s, unit=s.small.id)
    specialists = dash(s, unit=s.small.id, position=s.specialist.id)
    # Both selections hold the same atom: their figures are identical, the difference is empty.
    assert specialists.n == unit.n == 5
    assert specialists.overall.mean[0] == unit.overall.mean[0]
    assert list(specialists.level_counts) == list(unit.level_counts)


def test_the_leader_alone_is_withheld(unit_of_six):
    s = unit_of_six
    leader = dash(s, unit=s.small.id, position=s.leader.id)
    assert leader.withheld
    assert leader.n == 0
    assert np.isnan(leader.overall.mean[0])
    assert (leader.level_counts == -1).all()


def test_the_unit_cell_of_a_position_selection_equals_the_unit_or_nothing(unit_of_six):
    s = unit_of_six
    codes = {u.id: i for i, u in enumerate(s.frame.layout.units)}
    small = codes[s.small.id]
    by_position = dash(s, position=s.specialist.id)
    everyone = dash(s)
    assert by_position.by_unit.n[small] == everyone.by_unit.n[small] == 5
    assert by_position.by_unit.mean[small] == everyone.by_unit.mean[small]
    leader = dash(s, position=s.leader.id)
    assert leader.by_unit.suppressed[small]
    assert np.isnan(leader.gaps_by_unit.share_below[small]).all()


def test_the_trainer_plan_of_a_withheld_selection_lists_no_course(unit_of_six):
    s = unit_of_six
    courses = catalogue_courses([c.id for c in s.frame.layout.competences])
    scored = report.scored(s.frame, s.model)
    filters = report.Filters(organisations=s.scope, unit=s.small.id, position=s.leader.id)
    plan = build_plan(s.frame, scored, s.gate.partition, report.row_mask(s.frame, filters),
                      courses)
    assert plan.courses == []
    assert plan.withheld


def test_the_csv_of_a_withheld_selection_gives_no_score(unit_of_six, client, auth):
    from survey.accounts.users import create_user

    s = unit_of_six
    create_user("hr@gamma.kz", "HR", "correct-horse-battery", "hr", [s.body])
    db.session.commit()
    auth.as_("hr@gamma.kz", "en")
    csv = client.get(f"/hr/campaigns/{s.wave.id}/export/culture_score.csv"
                     f"?unit={s.small.id}&position={s.leader.id}").get_data(as_text=True)
    page = client.get(f"/hr/campaigns/{s.wave.id}"
                      f"?unit={s.small.id}&position={s.leader.id}").get_data(as_text=True)
    assert "No figures for this selection yet" in page
    digits = [cell for line in csv.splitlines()[1:] for cell in line.split(",")]
    assert not any(cell.replace(".", "", 1).isdigit() and "." in cell for cell in digits), csv
