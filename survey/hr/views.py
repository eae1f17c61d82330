"""HR pages: campaigns, the dashboard with filters, charts, exports and the printable report.

Views parse the request, read through :mod:`survey.results.frames`, take numbers from
:mod:`survey.results.dashboard` (which calls `analysis`) and format them; access is checked by
:func:`survey.access.campaign_scope` on every route."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TYPE_CHECKING

from flask import Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_datetime, get_locale
from flask_babel import gettext as _

from .. import exports
from ..access import (
    Scope,
    campaign_scope,
    filter_args,
    organisation_scope,
    scope_choices,
    visible_campaigns,
)
from ..campaigns.invitations import progress
from ..i18n import GOVERNANCE_LEVEL_LABELS, LANGUAGE_CODES, SECTOR_LABELS, label_of, local_zone
from ..models import Organisation, RoleProfile
from ..models.org import GOVERNANCE_LEVELS, SECTORS
from ..questionnaires.reference import maturity_model
from ..results.dashboard import dashboard, invited_key
from ..results.releases import release_note, released_figures
from . import bp, charts
from .tables import build_tables
from .texts import evidence_text, sheet_names, verdict_text

if TYPE_CHECKING:
    from ..results.dashboard import Dashboard
    from ..results.frames import CampaignFrame


def load(scope: Scope) -> tuple[CampaignFrame, Dashboard, dict]:
    """The campaign's frame, the dashboard numbers for the scope, and the model's texts."""
    loaded = maturity_model()
    model, model_data = loaded.model, loaded.data
    # The invitations are read on every request, not cached with the frame: a staff-list
    # import adds invitations without adding a result, so the frame's version does not change.
    frame, gate, invited = released_figures(scope.campaign, scope.k)
    previous = None
    earlier = scope.campaign.previous_campaign
    if earlier is not None:
        paired = not scope.campaign.anonymous and not earlier.anonymous
        before_frame, before_gate, _invited = released_figures(earlier, scope.k)
        previous = (before_frame, before_gate, paired)
    dash = dashboard(frame, gate, model, scope.filters, invited, scope.k, previous)
    return frame, dash, model_data


def comparisons(frame: CampaignFrame, dash: Dashboard) -> dict:
    """Comparison sentences for the page and the report: whether units differ, and which."""
    layout = frame.layout
    units = dash.units_compared
    pairs = []
    for pair in units.pairs:
        if pair.verdict in ("no_difference", "insufficient_data"):
            continue
        # ``second`` scores higher when the effect is positive; −1 is "all other units".
        names = [layout.units[pair.first].name,
                 _("all other units") if pair.second < 0 else layout.units[pair.second].name]
        higher, lower = (names[1], names[0]) if pair.effect > 0 else (names[0], names[1])
        pairs.append({"higher": higher, "lower": lower,
                      "verdict": verdict_text(pair.verdict),
                      "evidence": evidence_text(pair.p_holm, abs(pair.effect))})
    omnibus = units.omnibus
    significant = omnibus.verdict not in ("no_difference", "insufficient_data")
    wave = dash.previous_wave
    return {
        "units_verdict": verdict_text(omnibus.verdict),
        "units_evidence": evidence_text(omnibus.p, omnibus.epsilon_squared, significant, "ε²")
        if omnibus.verdict != "insufficient_data" else "",
        "units_significant": significant,
        "pairs": pairs[:10],
        "wave": None if wave is None else {
            "verdict": verdict_text(wave.verdict),
            "evidence": evidence_text(
                wave.p, abs(wave.effect),
                wave.verdict not in ("no_difference", "insufficient_data")),
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
    """Campaigns of the organisations this user may see, with their status and progress in
    the user's bodies: invited, started but not finished, finished."""
    campaigns = visible_campaigns()
    counts = progress([c.id for c in campaigns], organisation_scope())
    rows = []
    for c in campaigns:
        by_status = counts.get(c.id, {})
        invited = sum(by_status.values())
        finished = by_status.get("finished", 0)
        rows.append({"campaign": c, "invited": invited, "started": by_status.get("started", 0),
                     "finished": finished, "rate": finished / invited if invited else None})
    return render_template("hr/index.html", rows=rows)


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
        release_note=release_note(dash.released_at, dash.waiting),
        chart_url=lambda name: chart_url(campaign_id, name, args),
    )


@bp.get("/campaigns/<int:campaign_id>/charts/<name>.png")
def chart(campaign_id: int, name: str) -> ResponseReturnValue:
    """One chart of the dashboard as a PNG in the page's language (cached)."""
    if name not in charts.CHART_NAMES:
        abort(404)
    # The language is part of the URL (``lang``), so a browser that kept the picture of one
    # language never shows it on a page of another; without it, the page's language.
    language = request.args.get("lang") or str(get_locale())
    if language not in LANGUAGE_CODES:
        abort(400)
    scope = campaign_scope(campaign_id)
    with force_locale(language):
        frame, dash, model_data = load(scope)
        key = (campaign_id, language, frame.version, dash.release, invited_key(dash.invited),
               scope.filters, scope.k, maturity_model().digest, name)
        png = charts.cached_png(key, lambda: charts.draw(name, frame, dash, model_data))
    return Response(png, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})


def chart_url(campaign_id: int, name: str, args: dict[str, str]) -> str:
    """The address of one chart in the page's language and filters."""
    return url_for("hr.chart", campaign_id=campaign_id, name=name, lang=str(get_locale()), **args)


def about_text(lines: list[list]) -> list[tuple[str, str]]:
    """The export's first lines as a page shows them: (label, text), dates in the language."""
    return [(str(line[0]),
             format_datetime(line[1].replace(tzinfo=local_zone()), "medium")
             if isinstance(line[1], datetime) else " ".join(str(v) for v in line[1:]))
            for line in lines]


def about_lines(scope: Scope, released: str | None = None) -> list[list]:
    """The first lines of every export: what it is, for which campaign and filters, when."""
    from ..models._types import utcnow

    now = utcnow().astimezone(local_zone())
    # A spreadsheet date cell (local time, no zone: XLSX keeps none) and the zone beside it.
    lines: list[list] = [[_("Campaign"), scope.campaign.title],
             [_("Exported"), now.replace(tzinfo=None, microsecond=0),
              f"{now.tzinfo} (UTC{now.strftime('%z')[:3]}:{now.strftime('%z')[3:]})"],
             [_("Privacy"), _("Groups with fewer than %(k)s respondents are hidden.", k=scope.k)]]
    if released is not None:
        lines.append([_("Figures released"), released])
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
    data = exports.to_xlsx(build_tables(frame, dash, model_data),
                           about_lines(scope, release_note(dash.released_at, dash.waiting)),
                           sheet_names())
    return exports.download(data, f"qabilet-{scope.campaign.code}-{get_locale()}.xlsx")


@bp.get("/campaigns/<int:campaign_id>/export/<key>.csv")
def export_csv(campaign_id: int, key: str) -> ResponseReturnValue:
    """One table of the dashboard as CSV."""
    scope = campaign_scope(campaign_id)
    frame, dash, model_data = load(scope)
    table = {t.key: t for t in build_tables(frame, dash, model_data)}.get(key)
    if table is None:
        abort(404)
    data = exports.to_csv(table)
    return exports.download(data, f"qabilet-{scope.campaign.code}-{key}-{get_locale()}.csv")


def _report_context(campaign_id: int) -> dict:
    scope = campaign_scope(campaign_id)
    frame, dash, model_data = load(scope)
    args = filter_args(scope.filters)
    return {"scope": scope, "campaign": scope.campaign, "dash": dash, "frame": frame,
            "model_data": model_data, "tables": build_tables(frame, dash, model_data),
            "compared": comparisons(frame, dash),
            "about": about_text(about_lines(scope, release_note(dash.released_at, dash.waiting))),
            "release_note": release_note(dash.released_at, dash.waiting), "args": args}


@bp.get("/campaigns/<int:campaign_id>/report.pdf")
def report_pdf(campaign_id: int) -> Response:
    """The printable report as an A4 PDF (WeasyPrint, the same template): the campaign, the
    reader's name and the date on every page; the charts are embedded in the file."""
    context = _report_context(campaign_id)
    scope = context["scope"]
    frame, dash, model_data = context.pop("frame"), context["dash"], context.pop("model_data")
    language = str(get_locale())

    def embedded(name: str) -> str:
        key = (campaign_id, language, frame.version, dash.release, invited_key(dash.invited),
               scope.filters,
               scope.k, maturity_model().digest, name)
        png = charts.cached_png(key, lambda: charts.draw(name, frame, dash, model_data))
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")

    from ..pdf import render_pdf
    from .report_print import report_header

    header, footer = report_header(scope.campaign.title)
    pdf = render_pdf("hr/report.html", chart_url=embedded, pdf_header=header,
                     pdf_footer=footer, **context)
    return exports.download(pdf, f"qabilet-{scope.campaign.code}-{language}.pdf")


@bp.get("/campaigns/<int:campaign_id>/report")
def printable_report(campaign_id: int) -> ResponseReturnValue:
    """The dashboard as a print-ready page (charts with their tables, no navigation)."""
    context = _report_context(campaign_id)
    context.pop("frame")
    context.pop("model_data")
    args = context["args"]
    return render_template("hr/report.html",
                           chart_url=lambda name: chart_url(campaign_id, name, args), **context)
