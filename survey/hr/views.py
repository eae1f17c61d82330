"""HR pages: campaigns, the dashboard with filters, charts, exports and the printable report.

Views parse the request, read through :mod:`survey.results.frames`, take numbers from
:mod:`survey.results.dashboard` (which calls `analysis`) and format them; access is checked by
:func:`survey.access.campaign_scope` on every route."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Response, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _

from .. import exports
from ..access import Scope, campaign_scope, filter_args, scope_choices, visible_campaigns
from ..i18n import GOVERNANCE_LEVEL_LABELS, SECTOR_LABELS, label_of
from ..models import Organisation, RoleProfile
from ..models.org import GOVERNANCE_LEVELS, SECTORS
from ..questionnaires.reference import maturity_model
from ..results import frames
from ..results.dashboard import dashboard, invited_key
from . import bp, charts
from .tables import build_tables
from .texts import evidence_text, verdict_text

if TYPE_CHECKING:
    from ..results.dashboard import Dashboard
    from ..results.frames import CampaignFrame


def load(scope: Scope) -> tuple[CampaignFrame, Dashboard, dict]:
    """The campaign's frame, the dashboard numbers for the scope, and the model's texts."""
    loaded = maturity_model()
    model, model_data = loaded.model, loaded.data
    frame = frames.load_campaign(scope.campaign)
    previous = None
    earlier = scope.campaign.previous_campaign
    if earlier is not None:
        paired = not scope.campaign.anonymous and not earlier.anonymous
        previous = (frames.load_campaign(earlier), paired)
    # Read on every request, not cached with the frame: a staff-list import adds invitations
    # without adding a result, so the frame's version does not change.
    invited = frames.invitation_counts(scope.campaign.id, frame.layout.units)
    dash = dashboard(frame, model, scope.filters, invited, scope.k, previous)
    return frame, dash, model_data


def comparisons(frame: CampaignFrame, dash: Dashboard) -> dict:
    """Comparison sentences for the page and the report."""
    layout = frame.layout
    units = dash.units_compared
    pairs = []
    for pair in units.pairs:
        if pair.verdict in ("no_difference", "insufficient_data"):
            continue
        first = _("all other units") if pair.first < 0 else layout.units[pair.first].name
        pairs.append({"first": first, "second": layout.units[pair.second].name,
                      "verdict": verdict_text(pair.verdict),
                      "evidence": evidence_text(pair.p_holm, pair.effect)})
    wave = dash.previous_wave
    return {
        "units_verdict": verdict_text(units.omnibus.verdict),
        "units_evidence": evidence_text(units.omnibus.p, units.omnibus.epsilon_squared ** 0.5)
        if units.omnibus.verdict != "insufficient_data" else "",
        "pairs": pairs[:10],
        "wave": None if wave is None else {
            "verdict": verdict_text(wave.verdict),
            "evidence": evidence_text(wave.p, wave.effect),
            "paired": wave.test == "wilcoxon",
            "median_before": wave.median_before,
            "median_after": wave.median_after,
        },
    }


def filter_choices(scope: Scope, frame: CampaignFrame) -> dict:
    """Options of the filter form, limited to the user's scope."""
    return {
        **scope_choices(scope, frame.layout),
        "governance_levels": [(c, GOVERNANCE_LEVEL_LABELS[c]) for c in GOVERNANCE_LEVELS],
        "sectors": [(c, SECTOR_LABELS[c]) for c in SECTORS],
    }


@bp.get("/")
def index() -> ResponseReturnValue:
    """Campaigns of the organisations this user may see."""
    return render_template("hr/index.html", campaigns=visible_campaigns())


@bp.get("/campaigns/<int:campaign_id>")
def campaign_dashboard(campaign_id: int) -> ResponseReturnValue:
    """The dashboard of one campaign, filtered by the query arguments."""
    scope = campaign_scope(campaign_id)
    frame, dash, model_data = load(scope)
    args = filter_args(scope.filters)
    return render_template(
        "hr/dashboard.html",
        scope=scope,
        campaign=scope.campaign,
        dash=dash,
        tables={t.key: t for t in build_tables(frame, dash, model_data)},
        compared=comparisons(frame, dash),
        choices=filter_choices(scope, frame),
        args=args,
        chart_names=charts.CHART_NAMES,
    )


@bp.get("/campaigns/<int:campaign_id>/charts/<name>.png")
def chart(campaign_id: int, name: str) -> ResponseReturnValue:
    """One chart of the dashboard as a PNG in the page's language (cached)."""
    if name not in charts.CHART_NAMES:
        abort(404)
    scope = campaign_scope(campaign_id)
    frame, dash, model_data = load(scope)
    key = (campaign_id, str(get_locale()), frame.version, invited_key(dash.invited),
           scope.filters, scope.k, maturity_model().digest, name)
    png = charts.cached_png(key, lambda: charts.draw(name, frame, dash, model_data))
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})


def about_lines(scope: Scope) -> list[list[str]]:
    """The first lines of every export: what it is, for which campaign and filters, when."""
    from ..models._types import utcnow

    lines = [[_("Campaign"), scope.campaign.title],
             [_("Exported"), format_datetime(utcnow(), "short")],
             [_("Privacy"), _("Groups with fewer than %(k)s respondents are hidden.", k=scope.k)]]
    f = scope.filters
    if f.organisation is not None:
        from ..extensions import db

        lines.append([_("Government body"), db.session.get(Organisation, f.organisation).name])
    if f.position is not None:
        from ..extensions import db

        profile = db.session.get(RoleProfile, f.position)
        lines.append([_("Position category"), profile.name if profile else str(f.position)])
    if f.governance_level:
        lines.append([_("Governance level"), label_of("governance", f.governance_level)])
    if f.sector:
        lines.append([_("Sector"), label_of("sector", f.sector)])
    return lines


@bp.get("/campaigns/<int:campaign_id>/export.xlsx")
def export_xlsx(campaign_id: int) -> ResponseReturnValue:
    """Every table of the dashboard in one workbook, a sheet per table."""
    scope = campaign_scope(campaign_id)
    frame, dash, model_data = load(scope)
    data = exports.to_xlsx(build_tables(frame, dash, model_data), about_lines(scope))
    return exports.download(data, f"qabilet-{scope.campaign.code}-{get_locale()}.xlsx")


@bp.get("/campaigns/<int:campaign_id>/export/<key>.csv")
def export_csv(campaign_id: int, key: str) -> ResponseReturnValue:
    """One table of the dashboard as CSV."""
    scope = campaign_scope(campaign_id)
    frame, dash, model_data = load(scope)
    table = {t.key: t for t in build_tables(frame, dash, model_data)}.get(key)
    if table is None:
        abort(404)
    data = exports.to_csv(table, about_lines(scope))
    return exports.download(data, f"qabilet-{scope.campaign.code}-{key}-{get_locale()}.csv")


@bp.get("/campaigns/<int:campaign_id>/report")
def printable_report(campaign_id: int) -> ResponseReturnValue:
    """The dashboard as a print-ready page (charts with their tables, no navigation)."""
    scope = campaign_scope(campaign_id)
    frame, dash, model_data = load(scope)
    args = filter_args(scope.filters)
    return render_template(
        "hr/report.html",
        scope=scope,
        campaign=scope.campaign,
        dash=dash,
        tables=build_tables(frame, dash, model_data),
        compared=comparisons(frame, dash),
        about=about_lines(scope),
        chart_url=lambda name: url_for("hr.chart", campaign_id=campaign_id, name=name, **args),
    )

