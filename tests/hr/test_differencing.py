"""No person's result can be worked out by subtracting one selection from another: a
selection, or a cell of its tables, that differs from a wider selection by 1 to k−1 people is
hidden. The setting: a unit of six, five specialists and one leader."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import update

from survey.extensions import db
from survey.models import AttemptResult
from survey.questionnaires.reference import catalogue_courses, maturity_model
from survey.results import dashboard as report
from survey.results import frames
from survey.results.plan import build_plan
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
    frame = frames.load_campaign(wave)
    model = maturity_model().model
    invited = frames.invitation_counts(wave.id, frame.layout.units)

    class Setting:
        pass

    s = Setting()
    s.wave, s.body, s.small, s.large, s.specialist, s.leader = wave, body, small, large, specialist, leader
    s.frame, s.model, s.invited = frame, model, invited
    s.scope = (body.id,)
    return s


def dash(s, **chosen):
    filters = report.Filters(organisations=s.scope, **chosen)
    return report.compute_dashboard(s.frame, s.model, filters, s.invited, 5)


def test_a_unit_of_six_is_shown_on_its_own(unit_of_six):
    s = unit_of_six
    whole_unit = dash(s, unit=s.small.id)
    assert not whole_unit.withheld
    assert whole_unit.n == 6
    assert np.isfinite(whole_unit.overall.mean[0])


def test_its_five_specialists_are_withheld_because_the_unit_minus_them_is_one_person(unit_of_six):
    s = unit_of_six
    specialists = dash(s, unit=s.small.id, position=s.specialist.id)
    assert specialists.withheld
    assert specialists.n == 0
    assert np.isnan(specialists.overall.mean[0])


def test_the_unit_cell_of_a_position_selection_is_hidden_when_it_lacks_one_person(unit_of_six):
    s = unit_of_six
    codes = {u.id: i for i, u in enumerate(s.frame.layout.units)}
    by_position = dash(s, position=s.specialist.id)
    assert not by_position.withheld
    assert by_position.by_unit.suppressed[codes[s.small.id]]
    assert np.isnan(by_position.gaps_by_unit.share_below[codes[s.small.id]]).all()
    # Without the position filter the same unit is shown: nothing is subtracted from it.
    assert not dash(s).by_unit.suppressed[codes[s.small.id]]


def test_the_trainer_plan_of_a_withheld_or_small_selection_lists_no_course(unit_of_six):
    s = unit_of_six
    courses = catalogue_courses([c.id for c in s.frame.layout.competences])
    scored = report.scored(s.frame, s.model)
    for chosen in ({"unit": s.small.id, "position": s.specialist.id},
                   {"unit": s.small.id, "position": s.leader.id}):
        filters = report.Filters(organisations=s.scope, **chosen)
        rows, _withheld = report.safe_rows(s.frame, filters, 5)
        plan = build_plan(s.frame, scored, rows, courses, 5)
        assert plan.courses == []


def test_the_csv_of_a_withheld_selection_gives_no_score(unit_of_six, client, auth):
    from survey.accounts.users import create_user

    s = unit_of_six
    create_user("hr@gamma.kz", "HR", "correct-horse-battery", "hr", [s.body])
    db.session.commit()
    auth.as_("hr@gamma.kz", "en")
    csv = client.get(f"/hr/campaigns/{s.wave.id}/export/culture_score.csv"
                     f"?unit={s.small.id}&position={s.specialist.id}").get_data(as_text=True)
    page = client.get(f"/hr/campaigns/{s.wave.id}"
                      f"?unit={s.small.id}&position={s.specialist.id}").get_data(as_text=True)
    assert "differs from a wider selection" in page
    digits = [cell for line in csv.splitlines()[1:] for cell in line.split(",")]
    assert not any(cell.replace(".", "", 1).isdigit() and "." in cell for cell in digits), csv
