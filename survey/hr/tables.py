"""The dashboard's numbers as translated tables — one source for the page, the CSV and XLSX
exports and the printable report, so they always show the same (suppressed) cells. The table
itself and its hidden cell are :mod:`survey.exports`'s."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from ..exports import HIDDEN, Table
from ..i18n import level_name, pick
from ..results.dashboard import Dashboard, top_gaps
from ..results.frames import CampaignFrame

if TYPE_CHECKING:
    from analysis.culture import GroupCulture

    from ..exports import _Hidden


def _value(x: float, kind: str = "score") -> int | float | _Hidden:
    if isinstance(x, np.integer | int):
        return HIDDEN if x < 0 else int(x)
    return float(x) if math.isfinite(float(x)) else HIDDEN


def subscore_names(model_data: dict) -> list[str]:
    return [pick(s.get("name")) or s["id"] for s in model_data.get("culture_subscores", [])]


def build_tables(frame: CampaignFrame, dash: Dashboard, model_data: dict) -> list[Table]:
    """Every table of the dashboard, in page order."""
    layout = frame.layout
    body = str(_l("Government body"))
    unit_h = str(_l("Unit"))
    people = str(_l("Respondents"))
    score, low, high = str(_l("Score")), str(_l("Lower bound (95%)")), str(_l("Upper bound (95%)"))
    # i18n: Column header: the maturity level band of a group ("intermediate level").
    band = pgettext("maturity level band", "Level")

    def unit_labels(u: int) -> list[str]:
        return [layout.organisations[layout.unit_parent[u]].name, layout.units[u].name]

    def culture_row(group: GroupCulture, i: int) -> list:
        hidden = bool(group.suppressed[i]) or group.n[i] <= 0
        return [
            _value(group.n[i]) if group.n[i] >= 0 else HIDDEN,
            HIDDEN if hidden else _value(group.mean[i]),
            HIDDEN if hidden else _value(group.low[i]),
            HIDDEN if hidden else _value(group.high[i]),
            HIDDEN if hidden else level_name(model_data, int(group.level[i])),
        ]

    tables = []
    overall = Table("culture_score", _("Digital-culture score"),
                    [(people, "int"), (score, "score"), (low, "score"), (high, "score"), (band, "text")])
    overall.rows.append(culture_row(dash.overall, 0))
    overall.note = _("Scale 1–5. The interval is the confidence interval of the mean at the 95 per cent level.")
    tables.append(overall)

    subs = Table("subscores", _("Sub-scores of digital culture"),
                 [(_("Sub-score"), "text"), (score, "score"), (low, "score"), (high, "score")])
    for name, group in zip(subscore_names(model_data), dash.subscores, strict=False):
        subs.rows.append([name, *culture_row(group, 0)[1:4]])
    tables.append(subs)

    levels = Table("levels", _("Respondents by level"), [(band, "text"), (people, "int")])
    for level in range(1, 6):
        levels.rows.append([level_name(model_data, level), _value(dash.level_counts[level - 1])])
    tables.append(levels)

    response = Table("response_rate", _("Response rate by unit"),
                     [(body, "text"), (unit_h, "text"), (_("Invited"), "int"),
                      # i18n: Column header: how many people finished (not a status).
                      (_("Finished"), "int"), (_("Response rate"), "percent")])
    for u in dash.units:
        response.rows.append([*unit_labels(u), int(dash.invited[u]), _value(dash.finished[u]),
                              _value(dash.response_rate[u])])
    tables.append(response)

    by_unit = Table("culture_by_unit", _("Digital-culture score by unit"),
                    [(body, "text"), (unit_h, "text"), (people, "int"), (score, "score"),
                     (low, "score"), (high, "score"), (band, "text")])
    for u in dash.units:
        by_unit.rows.append([*unit_labels(u), *culture_row(dash.by_unit, u)])
    tables.append(by_unit)

    by_position = Table("culture_by_position", _("Digital-culture score by position category"),
                        [(_("Position category"), "text"), (people, "int"), (score, "score"),
                         (low, "score"), (high, "score"), (band, "text")])
    for p, profile in enumerate(layout.profiles):
        by_position.rows.append([profile.name, *culture_row(dash.by_position, p)])
    tables.append(by_position)

    comp_h = str(_l("Competence"))
    gaps = dash.gaps_overall
    competences = Table("gaps_by_competence", _("Competency gaps by competence"),
                        [(comp_h, "text"), (people, "int"), (_("Below the required level"), "percent"),
                         (_("Mean gap"), "score"), (_("Priority"), "score")])
    for c, competence in enumerate(layout.competences):
        hidden = bool(gaps.suppressed[0])
        competences.rows.append([competence.name, HIDDEN if hidden else _value(gaps.n[0, c]),
                                 HIDDEN if hidden else _value(gaps.share_below[0, c]),
                                 HIDDEN if hidden else _value(gaps.mean_gap[0, c]),
                                 HIDDEN if hidden else _value(gaps.priority[0, c])])
    competences.note = _("Priority = the number of level steps missing in total (mean gap × people).")
    tables.append(competences)

    names = [c.name for c in layout.competences]
    heat_units = Table("gaps_by_unit", _("Share below the required level, by unit and competence"),
                       [(body, "text"), (unit_h, "text"), *[(n, "percent") for n in names]])
    for u in dash.units:
        heat_units.rows.append([*unit_labels(u), *(
            HIDDEN if dash.gaps_by_unit.suppressed[u] else _value(v)
            for v in dash.gaps_by_unit.share_below[u])])
    tables.append(heat_units)

    heat_positions = Table("gaps_by_position",
                           _("Share below the required level, by position category and competence"),
                           [(_("Position category"), "text"), *[(n, "percent") for n in names]])
    for p, profile in enumerate(layout.profiles):
        heat_positions.rows.append([profile.name, *(
            HIDDEN if dash.gaps_by_position.suppressed[p] else _value(v)
            for v in dash.gaps_by_position.share_below[p])])
    tables.append(heat_positions)

    top = Table("top_gaps", _("Top competency gaps by priority"),
                [(body, "text"), (unit_h, "text"), (comp_h, "text"),
                 (_("Below the required level"), "percent"), (_("Mean gap"), "score"),
                 (_("Priority"), "score")])
    for u, c in top_gaps(dash.gaps_by_unit, dash.units):
        s = dash.gaps_by_unit
        top.rows.append([*unit_labels(u), names[c], _value(s.share_below[u, c]),
                         _value(s.mean_gap[u, c]), _value(s.priority[u, c])])
    tables.append(top)
    return tables
