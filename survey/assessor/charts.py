"""The maturity charts as PNG bytes: figures from :mod:`analysis.charts`, labels in the
language named in the chart's URL, cached per body, period, language and figures."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from flask_babel import gettext as _

from analysis import charts

from ..results.maturity import Benchmark, BodyMaturity
from .tables import period_text
from .texts import dimension_names

CACHE_SIZE = 64
_cache: OrderedDict[tuple, bytes] = OrderedDict()
_lock = threading.Lock()


def cached_png(key: tuple, draw: Callable[[], object]) -> bytes:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    buffer = io.BytesIO()
    draw().savefig(buffer, format="png")
    data = buffer.getvalue()
    with _lock:
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return data


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _value(score: float | None) -> float:
    return np.nan if score is None else score


def radar(body: BodyMaturity, model_data: dict):
    names = dimension_names(model_data)
    return charts.radar([names.get(d, d) for d in body.scores],
                        [_value(s) for s in body.scores.values()],
                        _("The four dimensions of digital maturity"))


def history(bodies: list[BodyMaturity]):
    return charts.bars([period_text(b) for b in bodies], [_value(b.index) for b in bodies],
                       _("Overall digital maturity by period"), _("Score (1–5)"), limit=5.0)


def benchmark(result: Benchmark, labels: dict):
    return charts.bars([labels.get(v, "—") for v in result.groups], result.mean[:, -1],
                       _("Overall digital maturity, mean of the bodies"), _("Score (1–5)"),
                       limit=5.0)
