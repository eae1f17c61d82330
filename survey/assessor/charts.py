"""The maturity charts as PNG bytes: figures from :mod:`analysis.charts`, labels in the
language named in the chart's URL, kept in the app's cache per body, period, language and
figures."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from flask_babel import gettext as _
from matplotlib.figure import Figure

from analysis import charts

from ..extensions import cache, cache_key
from ..results.maturity import Benchmark, BodyMaturity
from .tables import period_text
from .texts import dimension_names


def cached_png(key: tuple, draw: Callable[[], object]) -> bytes:
    """The PNG for ``key`` (every input of the picture), drawn only when the app's cache does
    not have it."""
    name = cache_key("maturity-chart", *key)
    data = cache.get(name)
    if data is None:
        buffer = io.BytesIO()
        draw().savefig(buffer, format="png")
        data = buffer.getvalue()
        cache.set(name, data)
    return data


def _value(score: float | None) -> float:
    return np.nan if score is None else score


def radar(body: BodyMaturity, model_data: dict) -> Figure:
    names = dimension_names(model_data)
    return charts.radar([names.get(d, d) for d in body.scores],
                        [_value(s) for s in body.scores.values()],
                        _("The four dimensions of digital maturity"))


def history(bodies: list[BodyMaturity]) -> Figure:
    return charts.bars([period_text(b) for b in bodies], [_value(b.index) for b in bodies],
                       _("Overall digital maturity by period"), _("Score (1–5)"), limit=5.0)


def benchmark(result: Benchmark, labels: dict) -> Figure:
    return charts.bars([labels.get(v, "—") for v in result.groups], result.mean[:, -1],
                       _("Overall digital maturity, mean of the bodies"), _("Score (1–5)"),
                       limit=5.0)
