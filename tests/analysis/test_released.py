"""Group statistics from released figures equal the plain statistics of the released rows
(computed without the gate), and one combined pass gives the same as separate ones."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.culture import group_culture
from analysis.gaps import gap_summary
from analysis.privacy import Organisation, People, extend_release, release_table
from analysis.released import released_culture, released_gaps, released_summary


@pytest.fixture
def setting(model):
    rng = np.random.default_rng(7)
    n, n_units = 400, 12
    org = Organisation(np.array([-1, 0, 0, -1, 3, 3, -1, 6, -1, 8, 8, 8]),
                       np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]), 2)
    unit = rng.integers(0, n_units, n)
    people = People(org.unit_body[unit], unit, rng.integers(0, 3, n), rng.integers(0, 3, n))
    partition = extend_release(None, org, people, 5)
    culture = np.round(rng.uniform(1, 5, n), 2)
    culture[rng.random(n) < 0.05] = np.nan
    gaps = rng.integers(-2, 3, (n, 4)).astype(float)
    gaps[rng.random((n, 4)) < 0.1] = np.nan
    return model, partition, unit, culture, gaps, rng


def test_released_culture_is_the_group_culture_of_each_cell_s_released_rows(setting):
    model, partition, unit, culture, _gaps, rng = setting
    selection = rng.random(unit.size) < 0.8
    ours, table = released_culture(model, partition, selection, culture, unit, 12)
    # The gate's column rule: an atom with fewer than k scores is left out of the mean.
    valid = np.isfinite(culture)
    per_atom = np.bincount(partition.atom[valid & (partition.atom >= 0)],
                           minlength=partition.n_atoms)
    enough = np.r_[per_atom >= partition.k, False][partition.atom]
    for g in range(12):
        rows = (table.codes == g) & enough
        if not table.published[g]:
            assert ours.suppressed[g]
            continue
        plain = group_culture(model, culture[rows], np.zeros(rows.sum(), dtype=int), 1, 1)
        assert ours.n[g] == plain.n[0]
        assert ours.mean[g] == pytest.approx(plain.mean[0])
        assert ours.sd[g] == pytest.approx(plain.sd[0], nan_ok=True)
        assert ours.low[g] == pytest.approx(plain.low[0], nan_ok=True)


def test_one_combined_pass_equals_the_separate_ones(setting):
    model, partition, unit, culture, gaps, rng = setting
    selection = np.ones(unit.size, dtype=bool)
    subscores = rng.uniform(1, 5, (unit.size, 3))
    levels = rng.integers(0, 5, unit.size)
    combined = released_summary(model, partition, selection, unit, 12, culture, gaps,
                                subscores, levels)
    alone, _table = released_culture(model, partition, selection, culture, unit, 12)
    np.testing.assert_array_equal(combined.culture.n, alone.n)
    np.testing.assert_allclose(combined.culture.mean, alone.mean, equal_nan=True)
    separate = released_gaps(partition, selection, gaps, unit, 12)
    np.testing.assert_allclose(combined.gaps.priority, separate.priority, equal_nan=True)
    np.testing.assert_array_equal(combined.gaps.n, separate.n)
    for j in range(3):
        one, _t = released_culture(model, partition, selection, subscores[:, j], unit, 12)
        np.testing.assert_allclose(combined.subscores[j].mean, one.mean, equal_nan=True)
    table = release_table(partition, selection, unit, 12)
    for g in np.flatnonzero(table.published):
        counts = np.bincount(levels[table.codes == g], minlength=5)
        np.testing.assert_array_equal(combined.level_counts[g], counts)


def test_released_gaps_equal_the_gap_summary_of_released_rows(setting):
    _model, partition, unit, _culture, gaps, _rng = setting
    selection = np.ones(unit.size, dtype=bool)
    ours = released_gaps(partition, selection, gaps, unit, 12)
    table = release_table(partition, selection, unit, 12)
    rows = table.codes >= 0
    plain = gap_summary(gaps[rows], table.codes[rows], 12, 1)
    for g in np.flatnonzero(table.published):
        assert ours.headcount[g] == plain.headcount[g]
        # A competence leaves out an atom where fewer than k were measured.
        assert np.all(ours.n[g] <= plain.n[g])
