"""Bulk reads: the packed bytes come back as the matrices that were written, and the cache
notices a new finished attempt."""

from __future__ import annotations

import numpy as np

from survey import results
from survey.extensions import db
from survey.models import AttemptResult
from tests.hr import factories as f


def test_a_campaign_is_read_back_byte_for_byte(world):
    frame = results.load_campaign(world.current)
    rows = db.session.execute(
        db.select(AttemptResult.survey_answers, AttemptResult.test_correct, AttemptResult.unit_id)
        .where(AttemptResult.campaign_id == world.current.id).order_by(AttemptResult.attempt_id)
    ).all()
    assert frame.n == len(rows) == 105
    expected = np.array([list(r.survey_answers) for r in rows], dtype=np.uint8)
    np.testing.assert_array_equal(frame.survey, expected)
    np.testing.assert_array_equal(frame.correct, np.array([list(r.test_correct) for r in rows]))
    unit_ids = np.array([u.id for u in frame.layout.units])[frame.unit]
    np.testing.assert_array_equal(unit_ids, [r.unit_id for r in rows])
    assert frame.took_test.all()
    # Missing answers (0) are nan for analysis.
    assert np.isnan(frame.survey_float[frame.survey == 0]).all()


def test_the_cache_is_refreshed_when_a_result_is_added(world):
    first = results.load_campaign(world.current)
    assert results.load_campaign(world.current) is first
    f.results(world.current, world.cat, {world.beta.units[1]: 1}, seed=9)
    db.session.commit()
    second = results.load_campaign(world.current)
    assert second is not first
    assert second.n == first.n + 1


def test_an_attempt_without_test_bytes_counts_as_not_taken(world):
    f.results(world.alpha_only, world.cat, {world.alpha.units[1]: 1}, seed=4)
    row = db.session.scalars(db.select(AttemptResult).where(
        AttemptResult.campaign_id == world.alpha_only.id).order_by(AttemptResult.attempt_id.desc())).first()
    row.test_correct = None
    db.session.commit()
    frame = results.load_campaign(world.alpha_only)
    assert frame.took_test.tolist() == [True] * 8 + [False]
    assert np.isnan(frame.correct_float[-1]).all()
