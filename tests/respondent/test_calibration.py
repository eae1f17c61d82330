"""``questionnaires calibrate``: a versioned calibration from finished attempts, used by the bank."""

from __future__ import annotations

import numpy as np

from analysis.adaptive import AdaptiveRules
from analysis.exposure import sympson_hetter
from analysis.irt import calibrate
from survey.extensions import db
from survey.models import AttemptResult, Calibration, ExposureControl, ItemParameter
from survey.responses.bank import version_bank
from tests.respondent import factories as f
from tests.respondent.walk import complete_test, consent


def finished_tests(app, world, n=8):
    version = world.campaign.test_version
    right = f.right_answers(version)
    items = sorted(version.items, key=lambda i: i.position)
    for person in range(n):
        token = world.invite()
        client = app.test_client()
        consent(client, token)
        # Person p answers the first p + 1 items right and the rest wrong (a Guttman pattern,
        # broken by one slip so that no item is answered right by everyone).
        answers = {}
        for i, item in enumerate(items):
            good = (i <= person) != (i == (person * 3) % len(items))
            answers[f"q{item.id}"] = right[f"q{item.id}"] if good else (
                ["false"] if right[f"q{item.id}"] == ["true"] else
                ["true"] if item.type == "true_false" else ["d"])
        complete_test(client, token, answers)


def test_calibrate_stores_a_numbered_calibration_that_the_bank_then_uses(app, runner):
    world = f.world(survey=False)
    finished_tests(app, world)
    version_id = world.campaign.test_version_id
    assert version_bank(version_id).calibration_id is None
    result = runner.invoke(args=["questionnaires", "calibrate", world.campaign.code])
    assert result.exit_code == 0, result.output
    assert "Calibration 1 of test version" in result.output
    calibration = db.session.scalars(db.select(Calibration)).one()
    assert calibration.n_takers == 8
    assert calibration.campaign_codes == [world.campaign.code]
    parameters = {p.item_id: p for p in db.session.scalars(db.select(ItemParameter))}
    assert len(parameters) == len(world.campaign.test_version.items)
    # The same fit as analysis.irt.calibrate on the packed answers, computed here on its own.
    packed = db.session.scalars(db.select(AttemptResult).order_by(AttemptResult.attempt_id))
    matrix = np.array([list(r.test_correct) for r in packed], dtype=float)
    fit = calibrate(matrix, "2pl")
    items = sorted(world.campaign.test_version.items, key=lambda i: i.position)
    np.testing.assert_allclose([parameters[i.id].difficulty for i in items], fit.difficulty,
                               rtol=1e-6)
    bank = version_bank(version_id)
    assert bank.calibration_id == calibration.id
    np.testing.assert_allclose(bank.bank.discrimination, fit.discrimination, rtol=1e-6)
    again = runner.invoke(args=["questionnaires", "calibrate", world.campaign.code,
                                "--model", "rasch"])
    assert again.exit_code == 0, again.output
    assert [c.number for c in db.session.scalars(db.select(Calibration))] == [1, 2]
    assert version_bank(version_id).calibration_id != calibration.id


def test_calibrate_stores_the_exposure_control_of_the_new_parameters(app, runner):
    world = f.world(survey=False)
    rules = {"max_items": 6, "target_se": 0.1, "min_per_competence": 2, "randomesque": 1,
             "max_exposure": 0.3}
    f.use_adaptive_rules({**rules, "cut_scores": [-0.595, 0.405, 1.405, 2.405]})
    finished_tests(app, world)
    result = runner.invoke(args=["questionnaires", "calibrate", world.campaign.code])
    assert result.exit_code == 0, result.output
    assert "Exposure control simulated and stored" in result.output
    calibration = db.session.scalars(db.select(Calibration)).one()
    row = db.session.scalars(db.select(ExposureControl)).one()
    assert (row.test_version_id, row.calibration_id) == (calibration.test_version_id,
                                                         calibration.id)
    # The simulation on the calibrated bank, run here on its own.
    bank = version_bank(calibration.test_version_id).bank
    np.testing.assert_allclose(row.eligibility, sympson_hetter(bank, AdaptiveRules(**rules)))
    assert 0 < min(row.eligibility) <= max(row.eligibility) <= 1


def test_calibrate_refuses_a_campaign_without_enough_finished_tests(runner):
    world = f.world(survey=False)
    result = runner.invoke(args=["questionnaires", "calibrate", world.campaign.code])
    assert result.exit_code != 0
    assert "finished tests are needed" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Calibration)) == 0
    unknown = runner.invoke(args=["questionnaires", "calibrate", "no-such-wave"])
    assert "no campaign" in unknown.output
