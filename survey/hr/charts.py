"""The dashboard's charts as PNG bytes: figures from :mod:`analysis.charts`, labels in the
page's language, kept in the app's cache (:func:`cached_png`).

A new finished attempt changes the campaign's data version (:func:`survey.results.data_version`)
and new invitations change the counts, so the next request draws the chart again; entries no
request asks for any more age out of the cache."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
from flask_babel import gettext as _

from analysis import charts

from ..extensions import cache, cache_key
from ..i18n import level_name
from ..results.dashboard import Dashboard
from ..results.frames import CampaignFrame
from .tables import subscore_names

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..results.frames import CampaignLayout

CHART_NAMES = ("subscores", "levels", "response", "gaps_units", "gaps_positions")
MAX_HEATMAP_UNITS = 30  # the chart shows the units with most missing level steps; tables show all

def to_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def cached_png(key: tuple, draw: Callable[[], object]) -> bytes:
    """The PNG for ``key`` — every input of the picture: campaign, language, data version,
    invitation counts, filters, k, the model's digest and the chart's name — drawn by
    ``draw()`` (a Figure) only when the cache does not have it."""
    name = cache_key("chart", *key)
    data = cache.get(name)
    if data is None:
        data = to_png(draw())
        cache.set(name, data)
    return data


def heatmap_units(dash: Dashboard) -> np.ndarray:
    """Units the unit heatmap shows: the shown units with the highest total priority."""
    priority = np.nan_to_num(dash.gaps_by_unit.priority[dash.units]).sum(axis=1)
    order = np.argsort(-priority, kind="stable")[:MAX_HEATMAP_UNITS]
    return dash.units[np.sort(order)]


def unit_labels(layout: CampaignLayout, units: Iterable[int]) -> list[str]:
    """Unit names, with the body's name where two bodies have a unit of the same name (every
    body has a project office)."""
    names = [layout.units[u].name for u in units]
    repeated = {name for name in names if names.count(name) > 1}
    return [
        f"{name} — {layout.organisations[layout.unit_parent[u]].name}" if name in repeated
        else name
        for name, u in zip(names, units, strict=True)
    ]


def draw(name: str, frame: CampaignFrame, dash: Dashboard, model_data: dict) -> Figure:
    """The figure called ``name`` (one of :data:`CHART_NAMES`) in the current language."""
    layout = frame.layout
    competences = [c.name for c in layout.competences]
    if name == "subscores":
        values = [g.mean[0] for g in dash.subscores]
        return charts.radar(subscore_names(model_data), values, _("Sub-scores of digital culture"))
    if name == "levels":
        counts = np.where(dash.level_counts < 0, np.nan, dash.level_counts).astype(float)
        labels = [level_name(model_data, level) for level in range(1, 6)]
        return charts.bars(labels, counts, _("Respondents by level"), _("Respondents"))
    if name == "response":
        units = dash.units[:MAX_HEATMAP_UNITS]
        labels = unit_labels(layout, units)
        return charts.bars(labels, dash.response_rate[units], _("Response rate by unit"),
                           _("Response rate"), percent=True, limit=1.0)
    if name == "gaps_units":
        units = heatmap_units(dash)
        return charts.heatmap(unit_labels(layout, units), competences,
                              dash.gaps_by_unit.share_below[units],
                              _("Share below the required level, by unit and competence"),
                              _("Below the required level"))
    if name == "gaps_positions":
        return charts.heatmap([p.name for p in layout.profiles], competences,
                              dash.gaps_by_position.share_below,
                              _("Share below the required level, by position category and competence"),
                              _("Below the required level"))
    raise KeyError(name)
