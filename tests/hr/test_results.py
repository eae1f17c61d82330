"""Bulk reads: the packed bytes come back as the matrices that were written, and the cache
notices a new finished attempt."""

from __future__ import annotations

import numpy as np

from survey.extensions import db
from survey.models import AttemptResult
from survey.results import frames
from tests.hr import factories as f


def test_a_campaign_is_read_back_byte_for_byte(world):
    frame = frames.load_campaign(world.current)
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
    first = frames.load_campaign(world.current)
    assert frames.load_campaign(world.current) is first
    f.results(world.current, world.cat, {world.beta.units[1]: 1}, seed=9)
    db.session.commit()
    second = frames.load_campaign(world.current)
    assert second is not first
    assert second.n == first.n + 1


def test_an_attempt_without_test_bytes_counts_as_not_taken(world):
    f.results(world.alpha_only, world.cat, {world.alpha.units[1]: 1}, seed=4)
    row = db.session.scalars(db.select(AttemptResult).where(
        AttemptResult.campaign_id == world.alpha_only.id).order_by(AttemptResult.attempt_id.desc())).first()
    row.test_correct = None
    db.session.commit()
    frame = frames.load_campaign(world.alpha_only)
    assert frame.took_test.tolist() == [True] * 8 + [False]
    assert np.isnan(frame.correct_float[-1]).all()


def test_the_database_and_the_row_by_row_reads_give_the_same_arrays(world):
    """On PostgreSQL the database concatenates the bytes; the row path must agree, short and
    missing bytes included (on SQLite both calls take the row path)."""
    from survey.results import packed

    rows = db.session.scalars(db.select(AttemptResult).where(
        AttemptResult.campaign_id == world.current.id).order_by(AttemptResult.attempt_id)).all()
    rows[3].survey_answers = b"\x01\x02"
    rows[5].test_correct = None
    rows[6].person_id = None
    rows[7].language = "xx"
    db.session.commit()
    widths = {"survey_answers": 10, "test_choices": 16, "test_correct": 16}
    fast = packed.read_columns(world.current.id, widths)
    slow = packed._read_rows(world.current.id, widths, True, None)
    assert fast.n == slow.n == 105
    for name in packed.GROUP_COLUMNS:
        np.testing.assert_array_equal(fast.ids[name], slow.ids[name])
        assert fast.ids[name].dtype == np.int64
    np.testing.assert_array_equal(fast.language, slow.language)
    assert fast.language[7] == -1
    for name in widths:
        np.testing.assert_array_equal(fast.packed[name][0], slow.packed[name][0])
        np.testing.assert_array_equal(fast.packed[name][1], slow.packed[name][1])
    assert not fast.packed["survey_answers"][1][3]
    assert not fast.packed["test_correct"][1][5]
    assert fast.packed["survey_answers"][0][3].sum() == 0
    part = packed.read_columns(world.current.id, {"test_choices": 16}, groups=False,
                               up_to=rows[9].attempt_id)
    assert part.n == 10
    assert not part.ids
