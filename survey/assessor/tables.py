"""The maturity figures as translated tables: one source for the pages, the printable report
and the XLSX exports (:func:`survey.exports.to_xlsx`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..i18n import official_date
from ..results.maturity import Benchmark, BodyMaturity
from .texts import (
    GROUPING_NAMES,
    PROJECT_OFFICE_NAMES,
    dimension_names,
    level_names,
)


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[list] = field(default_factory=list)
    note: str = ""


def period_text(body: BodyMaturity) -> str:
    a = body.assessment
    return f"{official_date(a.period_start)} — {official_date(a.period_end)}"


def dimensions_table(body: BodyMaturity, model_data: dict) -> Table:
    names, levels = dimension_names(model_data), level_names(model_data)
    table = Table("dimensions", _("Dimensions of digital maturity"),
                  [(_("Dimension"), "text"), (_("Score"), "score"), (_("Level"), "text")])
    for dimension, score in body.scores.items():
        table.rows.append([names.get(dimension, dimension), score,
                           levels.get(body.levels[dimension], "") if score is not None
                           else _("no score")])
    table.rows.append([_("Overall digital maturity"), body.index,
                       levels.get(body.level, "") if body.index is not None else _("no score")])
    return table


def history_table(bodies: list[BodyMaturity], model_data: dict) -> Table:
    names = dimension_names(model_data)
    dims = list(bodies[0].scores) if bodies else [d["id"] for d in model_data["dimensions"]]
    table = Table("history", _("Digital maturity over the periods"),
                  [(_("Period"), "text")] + [(names.get(d, d), "score") for d in dims]
                  + [(_("Overall digital maturity"), "score"), (_("Culture campaign"), "text")])
    for body in bodies:
        campaign = body.culture.campaign.title if body.culture else _("none")
        table.rows.append([period_text(body)] + [body.scores[d] for d in dims]
                          + [body.index, campaign])
    return table


def benchmark_table(result: Benchmark, model_data: dict, labels: dict) -> Table:
    names = dimension_names(model_data)
    table = Table(f"benchmark-{result.grouping}",
                  _("Bodies compared by %(grouping)s",
                    grouping=str(GROUPING_NAMES[result.grouping]).lower()),
                  [(str(GROUPING_NAMES[result.grouping]), "text"), (_("Bodies"), "int")]
                  + [(names.get(d, d), "score") for d in result.dimensions]
                  + [(_("Overall digital maturity"), "score")],
                  note=_("Means over the bodies of each group with a confirmed assessment; a "
                         "body's culture score counts only when at least %(k)s results make it.",
                         k=labels.get("_k", 5)))
    for g, value in enumerate(result.groups):
        label = labels.get(value) or str(PROJECT_OFFICE_NAMES[None])
        table.rows.append([label, int(result.n[g].max(initial=0))]
                          + [None if result.n[g, j] == 0 else float(result.mean[g, j])
                             for j in range(result.mean.shape[1])])
    return table
