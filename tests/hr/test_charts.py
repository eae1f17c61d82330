"""Figures from analysis.charts: real Matplotlib PNGs, every Kazakh letter drawn."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from analysis import charts

KAZAKH = "Цифрлық мәдениет: ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # Matplotlib warns "Glyph … missing from font" for a letter it cannot draw.
        warnings.simplefilter("error")
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.mark.parametrize("figure", [
    lambda: charts.radar([KAZAKH, "b", "c", "d"], [3.2, 4.1, np.nan, 2.0], KAZAKH),
    lambda: charts.heatmap([KAZAKH, "Отдел"], ["ә", "ғ", "қ"], [[0.1, np.nan, 1.0], [0.5, 0.0, 0.7]],
                           KAZAKH, KAZAKH),
    lambda: charts.bars([KAZAKH, "үш"], [0.4, np.nan], KAZAKH, KAZAKH, percent=True, limit=1.0),
])
def test_every_chart_draws_every_kazakh_letter_without_a_missing_glyph(figure):
    made = figure()
    assert isinstance(made, Figure)
    assert _png(made)[:4] == b"\x89PNG"


def test_a_missing_glyph_would_be_caught():
    figure = charts.bars(["\U0001F9EA"], [1.0], "x", "y")
    with pytest.raises(UserWarning, match="missing from"):
        _png(figure)


def test_charts_do_not_touch_pyplots_figures():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    charts.radar(["a", "b", "c"], [1, 2, 3], "t")
    assert plt.get_fignums() == before


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="values"):
        charts.heatmap(["a"], ["b", "c"], [[1.0]], "t", "c")
