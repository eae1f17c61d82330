"""The overall digital maturity: the page of one body and period, its radar chart and
printable report, the body's periods over time, and the comparison of bodies — numbers from
:mod:`survey.results.maturity`, never computed here."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import exports
from ..access import may_read_maturity as may_read
from ..config import privacy_min_group
from ..extensions import db
from ..models import Assessment, Organisation
from ..models._types import utcnow
from ..questionnaires.reference import expert_checklists, maturity_model
from ..results import maturity
from . import bp, charts
from .tables import benchmark_table, dimensions_table, history_table, period_text
from .texts import (
    GROUPING_NAMES,
    PROJECT_OFFICE_NAMES,
    criterion_names,
    dimension_names,
    group_labels,
    level_names,
    recommendation,
)
from .views import assessment_or_403, body_or_403

LANGUAGES = ("kk", "ru", "en")


def _k() -> int:
    return privacy_min_group()


def _chosen(organisation: Organisation) -> Assessment | None:
    """The assessment the page is about: ``?assessment=<id>`` of this body, else the latest
    confirmed one, else the latest of any status (its expert dimensions then count as
    missing)."""
    raw = request.args.get("assessment", "").strip()
    if raw:
        if not raw.isdigit():
            abort(400)
        chosen = db.session.get(Assessment, int(raw))
        if chosen is None or chosen.organisation_id != organisation.id:
            abort(404)
        return chosen
    query = db.select(Assessment).where(Assessment.organisation_id == organisation.id) \
        .order_by(Assessment.period_start.desc())
    return db.session.scalars(query.where(Assessment.status == "confirmed")).first() \
        or db.session.scalars(query).first()


def _texts(body: maturity.BodyMaturity, model_data: dict) -> dict:
    names = criterion_names(expert_checklists().expert.checklists)
    dims = dimension_names(model_data)
    return {
        "dimension_names": dims,
        "level_names": level_names(model_data),
        "criterion": lambda ident: names.get(ident, ident),
        "overall_recommendation": recommendation(model_data, body.level),
        "dimension_recommendations": [
            (dims.get(d, d), recommendation(model_data, body.levels[d], d))
            for d, s in body.scores.items() if s is not None
        ],
        "project_office_name": PROJECT_OFFICE_NAMES[body.organisation.project_office],
    }


def _body(organisation_id: int) -> tuple[Organisation, Assessment | None,
                                         maturity.BodyMaturity | None, dict]:
    organisation = body_or_403(organisation_id)
    assessment = _chosen(organisation)
    loaded = maturity_model()
    body = maturity.body_maturity(assessment, loaded.model, _k()) if assessment else None
    return organisation, assessment, body, loaded.data


@bp.get("/bodies/<int:organisation_id>/maturity")
def body_page(organisation_id: int) -> ResponseReturnValue:
    """The body's overall digital maturity for one period."""
    organisation, assessment, body, model_data = _body(organisation_id)
    periods = db.session.scalars(db.select(Assessment).where(
        Assessment.organisation_id == organisation.id).order_by(Assessment.period_start)).all()
    return render_template(
        "assessor/maturity.html", organisation=organisation, assessment=assessment, body=body,
        periods=periods, k=_k(), table=dimensions_table(body, model_data) if body else None,
        chart_url=_radar_url(body), **(_texts(body, model_data) if body else {}))


@bp.get("/bodies/<int:organisation_id>/report")
def body_report(organisation_id: int) -> ResponseReturnValue:
    """The same page, ready to print."""
    organisation, assessment, body, model_data = _body(organisation_id)
    if body is None:
        abort(404)
    return render_template(
        "assessor/report.html", organisation=organisation, assessment=assessment, body=body,
        k=_k(), table=dimensions_table(body, model_data), chart_url=_radar_url(body),
        printed=format_datetime(utcnow(), "short"), **_texts(body, model_data))


def _radar_url(body: maturity.BodyMaturity | None) -> str | None:
    if body is None:
        return None
    return url_for("assessor.radar", assessment_id=body.assessment.id, lang=str(get_locale()))


def _png(data: bytes) -> Response:
    return Response(data, mimetype="image/png", headers={"Cache-Control": "private, max-age=300"})


@bp.get("/assessments/<int:assessment_id>/radar.<lang>.png")
def radar(assessment_id: int, lang: str) -> ResponseReturnValue:
    """The four dimensions on a radar, labelled in ``lang``."""
    if lang not in LANGUAGES:
        abort(404)
    assessment = assessment_or_403(assessment_id)
    loaded = maturity_model()
    body = maturity.body_maturity(assessment, loaded.model, _k())
    key = ("radar", assessment.id, assessment.status, lang, tuple(body.scores.items()))
    with force_locale(lang):
        return _png(charts.cached_png(key, lambda: charts.radar(body, loaded.data)))


def _history(organisation_id: int) -> tuple[Organisation, list[maturity.BodyMaturity], dict]:
    organisation = body_or_403(organisation_id)
    loaded = maturity_model()
    return organisation, maturity.history(organisation, loaded.model, _k()), loaded.data


@bp.get("/bodies/<int:organisation_id>/history")
def history(organisation_id: int) -> ResponseReturnValue:
    """The index and each dimension over the body's confirmed periods."""
    organisation, bodies, model_data = _history(organisation_id)
    return render_template(
        "assessor/history.html", organisation=organisation, bodies=bodies,
        table=history_table(bodies, model_data), period_text=period_text,
        chart_url=url_for("assessor.history_chart", organisation_id=organisation.id,
                          lang=str(get_locale())))


@bp.get("/bodies/<int:organisation_id>/history.<lang>.png")
def history_chart(organisation_id: int, lang: str) -> ResponseReturnValue:
    if lang not in LANGUAGES:
        abort(404)
    organisation, bodies, _data = _history(organisation_id)
    key = ("history", organisation.id, lang, tuple((b.assessment.id, b.index) for b in bodies))
    with force_locale(lang):
        return _png(charts.cached_png(key, lambda: charts.history(bodies)))


@bp.get("/bodies/<int:organisation_id>/history.xlsx")
def history_xlsx(organisation_id: int) -> ResponseReturnValue:
    organisation, bodies, model_data = _history(organisation_id)
    data = exports.to_xlsx([history_table(bodies, model_data)], _about(organisation.name))
    return exports.download(data, f"qabilet-maturity-{organisation.code}-{get_locale()}.xlsx")


def _about(subject: str) -> list[list[str]]:
    return [[_("Digital maturity"), subject],
            [_("Exported"), format_datetime(utcnow(), "short")],
            [_("Privacy"), _("A culture score is shown only when at least %(k)s results make "
                             "it.", k=_k())]]


def _benchmark() -> tuple[str, list[maturity.BodyMaturity], maturity.Benchmark, dict, dict]:
    grouping = request.args.get("by", "governance_level")
    if grouping not in maturity.GROUPINGS:
        abort(400)
    organisations = [o for o in db.session.scalars(
        db.select(Organisation).order_by(Organisation.code)) if may_read(current_user, o.id)]
    loaded = maturity_model()
    bodies = maturity.latest(organisations, loaded.model, _k())
    result = maturity.benchmark(bodies, grouping, loaded.model)
    labels = group_labels(grouping)
    return grouping, bodies, result, labels, loaded.data


@bp.get("/benchmark")
def benchmark() -> ResponseReturnValue:
    """Bodies in scope compared by governance level, sector or project-office type."""
    grouping, bodies, result, labels, model_data = _benchmark()
    labels["_k"] = _k()
    return render_template(
        "assessor/benchmark.html", grouping=grouping, bodies=bodies,
        groupings=[(g, GROUPING_NAMES[g]) for g in maturity.GROUPINGS],
        table=benchmark_table(result, model_data, labels), names=dimension_names(model_data),
        period_text=period_text,
        chart_url=url_for("assessor.benchmark_chart", by=grouping, lang=str(get_locale())))


@bp.get("/benchmark.<lang>.png")
def benchmark_chart(lang: str) -> ResponseReturnValue:
    if lang not in LANGUAGES:
        abort(404)
    grouping, bodies, result, _labels, _data = _benchmark()
    key = ("benchmark", current_user.id, grouping, lang,
           tuple((b.assessment.id, b.index) for b in bodies))
    with force_locale(lang):
        labels = group_labels(grouping)
        return _png(charts.cached_png(key, lambda: charts.benchmark(result, labels)))


@bp.get("/benchmark.xlsx")
def benchmark_xlsx() -> ResponseReturnValue:
    grouping, _bodies, result, labels, model_data = _benchmark()
    labels["_k"] = _k()
    data = exports.to_xlsx([benchmark_table(result, model_data, labels)],
                           _about(str(GROUPING_NAMES[grouping])))
    return exports.download(data, f"qabilet-benchmark-{grouping}-{get_locale()}.xlsx")
