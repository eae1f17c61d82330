"""The item-quality page: who may see it, that its numbers are `analysis/`'s, that a planted
weak statement and a planted language-biased question are flagged, and that it speaks
kk, ru and en."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pytest
from flask_babel import format_decimal, format_percent

from analysis.dif import mantel_haenszel_dif
from analysis.items import item_statistics
from analysis.reliability import scale_reliability
from survey.accounts.users import create_user
from survey.extensions import db
from survey.models import AttemptResult
from survey.questionnaires.reference import maturity_model
from survey.results import dashboard as report
from survey.results import frames, quality
from survey.results.releases import released_figures
from tests.conftest import STAFF_PASSWORD as PASSWORD
from tests.conftest import AuthActions
from tests.hr import factories as f

WEAK, BIASED = "s00", "t01"  # the planted statement and question


@pytest.fixture
def planted(app):
    """A campaign of 390 respondents (360 in body gamma, 30 in body delta), answers in kk, ru
    and en in turn. Statement s00 is answered at random (unrelated to its scale); question t01
    is answered wrongly by most Russian-language respondents whatever their ability."""
    cat = f.catalogue(survey_items=20)  # four statements per scale
    gamma, delta = f.body("gamma", 2), f.body("delta", 1)
    db.session.flush()
    campaign = f.campaign(cat, [gamma, delta], code="planted")
    f.results(campaign, cat, {gamma.units[0]: 180, gamma.units[1]: 180, delta.units[0]: 30}, seed=11)
    rng = np.random.default_rng(5)
    weak = [i.code for i in cat.survey.items].index(WEAK)
    biased = [i.code for i in cat.test.items].index(BIASED)
    rows = db.session.scalars(db.select(AttemptResult).where(
        AttemptResult.campaign_id == campaign.id).order_by(AttemptResult.attempt_id)).all()
    for row in rows:
        answers = bytearray(row.survey_answers)
        answers[weak] = int(rng.integers(1, 6))
        row.survey_answers = bytes(answers)
        if row.language == "ru" and rng.random() < 0.8:
            correct, choices = bytearray(row.test_correct), bytearray(row.test_choices)
            correct[biased], choices[biased] = 0, 1
            row.test_correct, row.test_choices = bytes(correct), bytes(choices)
    pilot = f.campaign(cat, [gamma], code="gamma-pilot", year=2025)
    f.results(pilot, cat, {gamma.units[0]: 8}, seed=12)
    create_user("admin@example.kz", "Admin", PASSWORD, "admin")
    create_user("hr@gamma.kz", "Гүлнар Ахметова", PASSWORD, "hr", [gamma])
    create_user("hr@delta.kz", "Дәурен Сәрсенов", PASSWORD, "hr", [delta])
    create_user("trainer@gamma.kz", "Trainer", PASSWORD, "trainer", [gamma])
    db.session.commit()
    campaign.pilot = pilot
    return campaign, gamma, delta


def _page(client, campaign, email, lang="en"):
    AuthActions(client).as_(email, lang)
    response = client.get(f"/hr/campaigns/{campaign.id}/items")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _row(html: str, table_title: str, code: str) -> str:
    table = html[html.index(f"<caption>{table_title}</caption>"):]
    table = table[:table.index("</table>")]
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(code)}</th>.*?</tr>", table, re.S)
    assert match, f"{code} not in {table_title}"
    return match.group(0)


ITEM_ROUTES = ("/hr/campaigns/{c}/items", "/hr/campaigns/{c}/items.xlsx",
               "/hr/campaigns/{c}/items/test_items.csv")


@pytest.mark.parametrize("route", ITEM_ROUTES)
def test_roles_and_scope(planted, app, route):
    campaign, gamma, _delta = planted
    url = route.format(c=campaign.id)
    assert app.test_client().get(url).status_code == 302  # to the login page
    assert AuthActions(app.test_client()).as_("trainer@gamma.kz", "en").get(url).status_code == 403
    delta = AuthActions(app.test_client()).as_("hr@delta.kz", "en")
    assert delta.get(url).status_code == 200
    assert delta.get(route.format(c=campaign.pilot.id)).status_code == 403  # gamma's only
    assert delta.get(f"{url}?organisation={gamma.id}").status_code == 403
    assert delta.get(f"{url}?unit={gamma.units[0].id}").status_code == 403
    admin = AuthActions(app.test_client()).as_("admin@example.kz", "en")
    assert admin.get(route.format(c=campaign.pilot.id)).status_code == 200


def test_an_analyst_sees_only_their_bodys_respondents(planted, client):
    campaign, _gamma, _delta = planted
    html = _page(client, campaign, "hr@delta.kz")
    assert "Respondents counted: 30, of whom 30 took the test." in html
    assert "Ministry delta" in html
    assert "gamma" not in html.lower()
    # 10 people per language: the languages are not compared, and the page says why.
    assert "each language needs at least 100 test takers" in html
    assert "Differences between languages: Kazakh and Russian" not in html


def test_the_numbers_on_the_page_are_the_analysis_numbers(planted, client, app):
    campaign, _gamma, _delta = planted
    html = _page(client, campaign, "admin@example.kz")
    frame = frames.load_campaign(campaign)
    layout = frame.layout
    scales = scale_reliability(frame.survey_float, layout.item_scale, layout.item_reverse,
                               len(layout.scale_ids))
    stats = item_statistics(frame.correct_float)
    dif = mantel_haenszel_dif(frame.correct_float, frame.language, 3)
    with app.test_request_context():
        model_names = {sub["source"][6:]: sub["name"]["en"]
                       for sub in maturity_model().data["culture_subscores"]
                       if sub["source"].startswith("scale:")}
        names = [model_names[scale] for scale in layout.scale_ids]
        for s in scales:
            for i, j in enumerate(s.items):
                row = _row(html, "Survey statements", layout.survey_items[j].code)
                assert format_decimal(s.item_rest_r[i], "0.00") in row
                assert format_decimal(s.alpha_if_deleted[i], "0.00") in row
            row = _row(html, "Reliability of the survey scales", names[s.scale])
            for value in (s.alpha.alpha, s.alpha.low, s.alpha.high):
                assert format_decimal(value, "0.00") in row
        for j, item in enumerate(layout.test_items):
            row = _row(html, "Test questions", item.code)
            assert format_percent(stats.facility[j], "#,##0%") in row
            assert format_decimal(stats.item_rest_r[j], "0.00") in row
            assert format_decimal(stats.discrimination_index[j], "0.00") in row
            row = _row(html, "Differences between languages: Kazakh and Russian", item.code)
            assert format_decimal(dif[0].delta[j], "0.00") in row
            assert f">{dif[0].category[j]}<" in row
    assert "Respondents counted: 390, of whom 390 took the test." in html


def test_the_planted_weak_statement_and_biased_question_are_flagged(planted, client):
    campaign, _gamma, _delta = planted
    html = _page(client, campaign, "admin@example.kz")
    weak = _row(html, "Survey statements", WEAK)
    assert "Weak statement: its correlation with the rest of its scale is below 0.30." in weak
    biased = _row(html, "Differences between languages: Kazakh and Russian", BIASED)
    assert ">C<" in biased
    assert "ETS class C" in biased
    assert "harder in this language: Russian" in biased
    # Between Kazakh and English nothing was planted.
    assert ">A<" in _row(html, "Differences between languages: Kazakh and English", BIASED)
    review = html[html.index('id="review-title"'):html.index('id="scales-title"')]
    assert WEAK in review
    assert BIASED in review
    # The delta analyst's 30 respondents are not enough to compare languages.
    frame, gate, _invited = released_figures(campaign, 5)
    q = quality.compute_quality(frame, gate.partition, np.ones(frame.n, dtype=bool), 5,
                                frames.test_choices(campaign, frame))
    assert q.distractors is not None
    assert len(q.dif) == 3


@pytest.mark.parametrize(("lang", "words"), [
    ("kk", ["Сұрақтар сапасы", "Әлсіз тұжырым", "орыс тілі"]),
    ("ru", ["Качество вопросов", "Слабое утверждение", "русский язык"]),
    ("en", ["Item quality", "Weak statement", "Russian"]),
])
def test_the_page_speaks_the_chosen_language(planted, client, lang, words):
    campaign, _gamma, _delta = planted
    html = _page(client, campaign, "admin@example.kz", lang)
    for word in words:
        assert word in html


def test_the_dashboard_links_the_page_and_the_tables_export(planted, client, auth):
    campaign, _gamma, _delta = planted
    auth.as_("hr@gamma.kz", "en")
    dashboard = client.get(f"/hr/campaigns/{campaign.id}").get_data(as_text=True)
    assert f"/hr/campaigns/{campaign.id}/items" in dashboard
    response = client.get(f"/hr/campaigns/{campaign.id}/items/test_items.csv")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0][0] == "Code"  # the header first: nothing above it
    assert any(line[:1] == [BIASED] for line in lines)
    workbook = client.get(f"/hr/campaigns/{campaign.id}/items.xlsx")
    assert workbook.status_code == 200
    assert workbook.data[:2] == b"PK"
    assert client.get(f"/hr/campaigns/{campaign.id}/items/nothing.csv").status_code == 404


def test_nothing_is_computed_below_k(planted, app):
    campaign, _gamma, _delta = planted
    frame, gate, _invited = released_figures(campaign, 5)
    rows = np.zeros(frame.n, dtype=bool)
    rows[:4] = True
    q = quality.compute_quality(frame, gate.partition, rows, 5, None)
    assert q.scales is None
    assert q.items is None
    assert q.dif == ()
    assert (q.language_counts == -1).all()
    assert report.row_mask(frame, report.Filters()).all()
