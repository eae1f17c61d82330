"""The item-quality page of a campaign (reliability, weak items, options, differences between
languages) and its exports — for administrators, who own the questionnaires, and for HR
analysts, on their own bodies' respondents only. Numbers from :mod:`survey.results.quality`
(which calls `analysis/`); this module only formats them."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from flask import abort, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import exports
from ..access import Scope, campaign_scope, filter_args
from ..i18n import LANGUAGE_CODES
from ..questionnaires.reference import maturity_model
from ..results import frames
from ..results.dashboard import safe_rows
from ..results.quality import ItemQuality, quality
from . import bp
from .quality_tables import build_quality_tables, language_name
from .views import about_lines

if TYPE_CHECKING:
    from ..exports import Table
    from ..results.frames import CampaignFrame


def load_quality(scope: Scope) -> tuple[CampaignFrame, ItemQuality, list[Table]]:
    """The campaign's frame, the item-quality numbers of the scope's rows, and the model's texts."""
    model_data = maturity_model().data
    frame = frames.load_campaign(scope.campaign)
    dif_min = int(current_app.config["ITEM_DIF_MIN_GROUP"])
    choices = frames.test_choices(scope.campaign, frame) if frame.layout.test_items else None
    rows, _withheld = safe_rows(frame, scope.filters, scope.k)
    q = quality(frame, rows, scope.filters, scope.k, choices, dif_min)
    return frame, q, build_quality_tables(frame, q, model_data)


def about(scope: Scope) -> list[list[str]]:
    """The dashboard's export preamble and the bodies whose respondents are counted."""
    from ..extensions import db
    from ..models import Organisation

    names = [db.session.get(Organisation, i).name for i in scope.organisation_ids]
    return [*about_lines(scope), [_("Government bodies"), "; ".join(names)]]


def not_compared(q: ItemQuality) -> list[str]:
    """A sentence for each pair of languages left out of the DIF analysis."""
    done = {(r.reference, r.focal) for r in q.dif}
    need = max(q.dif_min, q.k)
    return [_("%(first)s and %(second)s are not compared: each language needs at least %(n)s "
              "test takers.", first=language_name(a), second=language_name(b), n=need)
            for a, b in combinations(range(len(LANGUAGE_CODES)), 2) if (a, b) not in done]


def to_review(tables: list[Table]) -> list[dict]:
    """Every row with something to review, for the list at the top of the page."""
    out = []
    for table in tables:
        if "review" not in table.keys:
            continue
        code, why, text = table.keys["code"], table.keys["review"], table.keys.get("text")
        for row in table.rows:
            if row[why]:
                out.append({"table": table.title, "code": row[code], "why": row[why],
                            "text": row[text] if text is not None else ""})
    return out


@bp.get("/campaigns/<int:campaign_id>/items")
def item_quality(campaign_id: int) -> ResponseReturnValue:
    """Reliability, item statistics, options and language differences of a campaign."""
    scope = campaign_scope(campaign_id)
    frame, q, tables = load_quality(scope)
    return render_template(
        "hr/items.html", scope=scope, campaign=scope.campaign, q=q, args=filter_args(scope.filters),
        bodies=[o.name for o in frame.layout.organisations if o.id in scope.organisation_ids],
        tables={t.key: t for t in tables}, review=to_review(tables),
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
    data = exports.to_csv(table, about(scope))
    return exports.download(data, f"qabilet-{scope.campaign.code}-{key}-{get_locale()}.csv")
