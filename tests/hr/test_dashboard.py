"""The dashboard shows what `analysis` computes, suppresses small groups, and speaks the
page's language."""

from __future__ import annotations

import re

import numpy as np
import pytest
from flask_babel import refresh

from analysis.culture import group_culture
from survey.extensions import db
from survey.questionnaires.reference import maturity_model
from survey.results import dashboard as report
from survey.results import frames


def _numbers(world, organisations):
    frame = frames.load_campaign(world.current)
    model = maturity_model().model
    filters = report.Filters(organisations=organisations)
    invited = frames.invitation_counts(world.current.id, frame.layout.units)
    previous = (frames.load_campaign(world.previous), False)
    return frame, model, report.dashboard(frame, model, filters, invited, 5, previous)


def test_the_score_is_the_analysis_group_mean_of_the_scoped_rows(world):
    frame, model, dash = _numbers(world, (world.beta.id,))
    scores = report.scored(frame, model).culture
    beta = frame.organisation == [o.id for o in frame.layout.organisations].index(world.beta.id)
    expected = group_culture(model, scores[beta], np.zeros(beta.sum(), dtype=int), 1)
    assert dash.n == 35
    assert dash.overall.mean[0] == pytest.approx(expected.mean[0])
    assert dash.overall.low[0] < dash.overall.mean[0] < dash.overall.high[0]
    assert 1 <= dash.overall.level[0] <= 5


def test_units_below_k_and_their_complement_are_suppressed(world):
    frame, _model, dash = _numbers(world, (world.alpha.id,))
    codes = {u.id: i for i, u in enumerate(frame.layout.units)}
    tiny, small = codes[world.alpha.units[3].id], codes[world.alpha.units[2].id]
    assert dash.finished[tiny] == -1
    assert dash.by_unit.suppressed[tiny]
    # The 3-person unit alone could be recovered from the total: the next smallest hides too.
    assert dash.by_unit.suppressed[small]
    assert np.isnan(dash.gaps_by_unit.share_below[tiny]).all()
    assert dash.finished[codes[world.alpha.units[0].id]] == 30


def test_the_previous_wave_comparison_finds_the_improvement(world):
    _frame, _model, dash = _numbers(world, (world.alpha.id, world.beta.id))
    assert dash.previous_wave.verdict.endswith("improvement")
    assert dash.previous_wave.test == "mann_whitney"


@pytest.mark.parametrize(("lang", "words"), [
    ("ru", ["Балл цифровой культуры", "Дефицит компетенций", "Доля ответивших по подразделениям"]),
    ("kk", ["Цифрлық мәдениет балы", "Құзыреттілік олқылығы"]),
    ("en", ["Digital-culture score", "Competency gaps"]),
])
def test_the_dashboard_speaks_the_chosen_language(world, client, lang, words, auth):
    auth.as_("hr@alpha.kz", lang)
    page = client.get(f"/hr/campaigns/{world.current.id}").get_data(as_text=True)
    for word in words:
        assert word in page
    assert "<caption>" in page
    assert 'scope="col"' in page


def test_hidden_cells_say_why_and_never_show_a_number(world, client, auth):
    auth.as_("hr@alpha.kz", "en")
    page = client.get(f"/hr/campaigns/{world.current.id}").get_data(as_text=True)
    assert "Hidden: fewer than 5 respondents" in page


def test_filters_narrow_the_rows(world, client, auth):
    auth.as_("admin@example.kz", "en")
    everyone = client.get(f"/hr/campaigns/{world.current.id}").get_data(as_text=True)
    health = client.get(f"/hr/campaigns/{world.current.id}?sector=health").get_data(as_text=True)
    assert "Ministry alpha" in everyone
    assert "Ministry alpha</th>" not in health
    assert "Ministry beta" in health


def test_every_chart_is_a_png_with_a_text_alternative(world, client, auth):
    auth.as_("hr@alpha.kz", "kk")
    page = client.get(f"/hr/campaigns/{world.current.id}").get_data(as_text=True)
    assert page.count('<img src="/hr/campaigns/') == 5
    assert 'alt=""' not in page
    for name in ("subscores", "levels", "response", "gaps_units", "gaps_positions"):
        response = client.get(f"/hr/campaigns/{world.current.id}/charts/{name}.png")
        assert response.status_code == 200
        assert response.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/hr/campaigns/{world.current.id}/charts/nope.png").status_code == 404


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The names of the charts drawn (not taken from the cache), in order."""
    from survey.hr import charts

    names: list[str] = []
    draw = charts.draw

    def counting(name, *args):
        names.append(name)
        return draw(name, *args)

    monkeypatch.setattr(charts, "draw", counting)
    return names


def test_charts_are_cached_per_language_and_redrawn_after_new_results(world, client, auth,
                                                                       drawn):
    from survey.extensions import db
    from tests.hr import factories as f

    auth.as_("hr@alpha.kz", "ru")
    url = f"/hr/campaigns/{world.current.id}/charts/levels.png"
    first = client.get(url).data
    assert len(drawn) == 1
    assert client.get(url).data == first
    assert len(drawn) == 1
    client.get("/language/kk")
    # The test app context outlives requests; forget the locale Flask-Babel cached in it.
    refresh()
    client.get(url)
    assert len(drawn) == 2
    f.results(world.current, world.cat, {world.alpha.units[0]: 1}, seed=11)
    db.session.commit()
    client.get(url)
    assert len(drawn) == 3


def test_a_new_app_starts_with_an_empty_cache(world, app, drawn, auth):
    from survey import create_app
    from tests.conftest import AuthActions, make_config

    url = f"/hr/campaigns/{world.current.id}/charts/levels.png"
    auth.as_("hr@alpha.kz", "en").get(url)
    other = create_app(make_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    with other.app_context():
        try:
            AuthActions(other.test_client()).as_("hr@alpha.kz", "en").get(url)
        finally:
            # Its own engine: closed here, or the garbage collector finds its connection open.
            db.session.remove()
            db.engine.dispose()
    assert drawn == ["levels", "levels"]


def test_the_printable_report_has_every_table_and_no_navigation(world, client, auth):
    auth.as_("hr@alpha.kz", "ru")
    page = client.get(f"/hr/campaigns/{world.current.id}/report").get_data(as_text=True)
    assert page.count("<caption>") >= 11
    assert "Отчёт для печати" in page
    assert 'class="staff-nav"' not in page


def _response_row(page: str, unit: str) -> tuple[str, str, str]:
    match = re.search(rf'<td>{unit}</td>\s*<td class="num">(\d+)</td>\s*'
                      rf'<td class="num">(\d+)</td>\s*<td class="num">(\d+%)</td>', page)
    assert match, f"no response-rate row for {unit}"
    return match.groups()


def test_invitations_added_after_the_last_result_count_at_once(world, client, auth, drawn):
    from survey.extensions import db
    from survey.models import Invitation

    auth.as_("hr@alpha.kz", "en")
    url = f"/hr/campaigns/{world.current.id}"
    assert _response_row(client.get(url).get_data(as_text=True), "Unit 0") == ("32", "30", "94%")
    client.get(f"{url}/charts/response.png")
    unit = world.alpha.units[0]
    db.session.add_all(
        Invitation(campaign_id=world.current.id, token_hash=f"{n:064x}", unit_id=unit.id,
                   organisation_id=unit.organisation_id, status="new",
                   position_category_id=world.cat.profiles[0].id)
        for n in range(10**6, 10**6 + 8))
    db.session.commit()  # a staff-list import: new invitations, no new result
    assert _response_row(client.get(url).get_data(as_text=True), "Unit 0") == ("40", "30", "75%")
    client.get(f"{url}/charts/response.png")
    assert drawn == ["response", "response"]  # the response-rate chart is drawn again too


def test_the_cached_dashboard_follows_k_and_the_model(world):
    from dataclasses import replace

    frame, model, dash = _numbers(world, (world.alpha.id,))
    filters = report.Filters(organisations=(world.alpha.id,))
    invited = frames.invitation_counts(world.current.id, frame.layout.units)
    previous = (frames.load_campaign(world.previous), False)
    assert report.dashboard(frame, model, filters, invited, 20, previous).k == 20
    # Every respondent in band 1: a model with other cut scores is scored again, not served
    # from the cache of the first.
    flat = replace(model, min_scores=(1.0, 4.999, 4.9995, 4.9998, 4.9999))
    other = report.dashboard(frame, flat, filters, invited, 5, previous)
    assert other.level_counts[0] == other.n
    assert dash.level_counts[0] != dash.n
