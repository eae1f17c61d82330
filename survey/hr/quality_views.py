"""The item-quality page of a campaign (reliability, weak items, options, differences between
languages) and its exports — for administrators, who own the questionnaires, and for HR
analysts, on their own bodies' respondents only. Numbers from :mod:`survey.results.quality`
(which calls `analysis/`); this module only formats them."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from flask import abort, current_app, g, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import exports
from ..access import Scope, campaign_scope, filter_args
from ..exports import Table
from ..i18n import LANGUAGE_CODES
from ..questionnaires.reference import maturity_model
from ..results import frames
from ..results.dashboard import row_mask
from ..results.quality import ItemQuality, quality
from ..results.releases import release_note, released_figures, waiting_in
from . import bp
from .quality_tables import build_quality_tables, language_name
from .views import about_lines

if TYPE_CHECKING:
    from ..results.frames import CampaignFrame


def load_quality(scope: Scope) -> tuple[CampaignFrame, ItemQuality, list[Table]]:
    """The campaign's frame, the item-quality numbers of the scope's rows, and the model's texts."""
    model_data = maturity_model().data
    frame, gate, _invited = released_figures(scope.campaign, scope.k)
    dif_min = int(current_app.config["ITEM_DIF_MIN_GROUP"])
    choices = frames.test_choices(scope.campaign, frame) if frame.layout.test_items else None
    rows = row_mask(frame, scope.filters)
    q = quality(frame, gate.partition, rows, scope.filters, scope.k, choices, dif_min)
    g.release_note = release_note(gate.released_at, waiting_in(gate, rows))
    return frame, q, build_quality_tables(frame, q, model_data)


def about(scope: Scope) -> list[list[str]]:
    """The dashboard's export preamble and the bodies whose respondents are counted."""
    from ..extensions import db
    from ..models import Organisation

    names = [db.session.get(Organisation, i).name for i in scope.organisation_ids]
    return [*about_lines(scope, g.get("release_note")),
            [_("Government bodies"), "; ".join(names)]]


def not_compared(q: ItemQuality) -> list[str]:
    """A sentence for each pair of languages left out of the DIF analysis."""
    done = {(r.reference, r.focal) for r in q.dif}
    need = max(q.dif_min, q.k)
    return [_("%(first)s and %(second)s are not compared: each language needs at least %(n)s "
              "test takers.", first=language_name(a), second=language_name(b), n=need)
            for a, b in combinations(range(len(LANGUAGE_CODES)), 2) if (a, b) not in done]


def flagged(table: Table) -> int:
    """How many rows of a table have something to review."""
    why = table.keys.get("review")
    return 0 if why is None else sum(1 for row in table.rows if row[why])


def review_tables(tables: list[Table]) -> list[Table]:
    """For each table with flagged rows, those rows only: the code, the text (or option) and
    what to review, test questions with their competence — the part of the page to act on;
    the full tables are folded below it."""
    competence_of = {}
    for table in tables:
        if table.key == "test_items":
            competence_of = {row[0]: row[2] for row in table.rows}
    out = []
    for table in tables:
        if not flagged(table):
            continue
        code, why, text = table.keys["code"], table.keys["review"], table.keys.get("text")
        picked = [code] + ([text] if text is not None else [])
        columns = [table.columns[c] for c in picked]
        with_competence = table.key in ("test_items", "distractors") or table.key.startswith("dif_")
        if with_competence:
            columns.append((_("Competence"), "text"))
        columns.append(table.columns[why])
        review = Table(f"review_{table.key}", _("%(table)s: to review", table=table.title),
                       columns, keys={"code": 0, "review": -1})
        for row in table.rows:
            if row[why]:
                review.rows.append([row[c] for c in picked]
                                   + ([competence_of.get(row[code], "")] if with_competence else [])
                                   + [row[why]])
        if with_competence:
            review.rows.sort(key=lambda r: str(r[-2]))
        out.append(review)
    return out


@bp.get("/campaigns/<int:campaign_id>/items")
def item_quality(campaign_id: int) -> ResponseReturnValue:
    """Reliability, item statistics, options and language differences of a campaign."""
    scope = campaign_scope(campaign_id)
    frame, q, tables = load_quality(scope)
    return render_template(
        "hr/items.html", scope=scope, campaign=scope.campaign, q=q, args=filter_args(scope.filters),
        bodies=[o.name for o in frame.layout.organisations if o.id in scope.organisation_ids],
        tables={t.key: t for t in tables}, review=review_tables(tables),
        flagged={t.key: flagged(t) for t in tables},
        not_compared=not_compared(q) if q.items is not None else [],
        dif_tables=[t for t in tables if t.key.startswith("dif_")],
    )


@bp.get("/campaigns/<int:campaign_id>/items.xlsx")
def item_quality_xlsx(campaign_id: int) -> ResponseReturnValue:
    """Every item-quality table in one workbook."""
    scope = campaign_scope(campaign_id)
    _frame, _q, tables = load_quality(scope)
    data = exports.to_xlsx(tables, about(scope))
    return exports.download(data, f"qabilet-{scope.campaign.code}-items-{get_locale()}.xlsx")


@bp.get("/campaigns/<int:campaign_id>/items/<key>.csv")
def item_quality_csv(campaign_id: int, key: str) -> ResponseReturnValue:
    """One item-quality table as CSV."""
    scope = campaign_scope(campaign_id)
    _frame, _q, tables = load_quality(scope)
    table = {t.key: t for t in tables}.get(key)
    if table is None:
        abort(404)
    data = exports.to_csv(table)
    return exports.download(data, f"qabilet-{scope.campaign.code}-{key}-{get_locale()}.csv")
