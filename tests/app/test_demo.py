"""The demo builds realistic data: bodies with project offices, coherent scales, abilities that
differ by position, and links that open the respondent path."""

from __future__ import annotations

import re

import numpy as np
import pytest

from analysis.reliability import cronbach_alpha
from survey import create_app
from survey.extensions import db
from survey.models import (
    AttemptResult,
    Campaign,
    Invitation,
    Organisation,
    RoleProfile,
    User,
)
from survey.questionnaires.loader import latest_version
from survey.results.releases import stored_atoms
from tests.conftest import AuthActions, empty_all_tables, make_config


@pytest.fixture(scope="module")
def demo_app(migrated_database):
    """One demo for the whole module: building it is the slow part."""
    app = create_app(make_config(migrated_database))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "--respondents", "200"])
        assert result.exit_code == 0, result.output
        app.demo_output = result.output
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def demo(demo_app):
    yield demo_app.demo_output
    db.session.rollback()


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def runner(demo_app):
    return demo_app.test_cli_runner()


def test_the_demo_prints_four_staff_accounts_and_working_links(demo, client):
    roles = {user.role for user in db.session.scalars(db.select(User))}
    assert roles == {"admin", "hr", "trainer", "assessor"}
    for email in ("admin@qabilet.demo", "hr@qabilet.demo", "trainer@qabilet.demo",
                  "assessor@qabilet.demo"):
        assert email in demo
    links = [line.split()[-1] for line in demo.splitlines() if "/i/" in line]
    assert len(links) == 3
    for link in links:
        path = link[link.index("/i/"):]
        assert client.get(path).status_code == 200


def test_every_body_has_assessments_over_two_periods_and_a_maturity_index(demo):
    from survey.models import Assessment
    from survey.questionnaires.reference import maturity_model
    from survey.results.maturity import body_maturity

    for organisation in db.session.scalars(db.select(Organisation)):
        assessments = db.session.scalars(db.select(Assessment).filter_by(
            organisation_id=organisation.id).order_by(Assessment.period_start)).all()
        assert len(assessments) == 2
        confirmed = [a for a in assessments if a.status == "confirmed"]
        assert confirmed
        body = body_maturity(confirmed[-1], maturity_model().model, 5)
        assert body.index is not None
        assert 1 <= body.index <= 5


def test_every_body_has_units_and_a_project_office(demo):
    organisations = db.session.scalars(db.select(Organisation)).all()
    assert len(organisations) >= 2
    for organisation in organisations:
        assert len(organisation.units) >= 3
        assert any(unit.is_project_office for unit in organisation.units)


def test_two_waves_and_an_adaptive_pilot_with_finished_and_unfinished_attempts(demo):
    campaigns = db.session.scalars(db.select(Campaign).order_by(Campaign.opens_at)).all()
    assert [(c.status, c.test_mode) for c in campaigns] == [
        ("closed", "linear"), ("closed", "adaptive"), ("open", "linear")]
    waves = [c for c in campaigns if c.test_mode == "linear"]
    assert waves[1].previous_campaign_id == waves[0].id
    for wave in campaigns:
        statuses = db.session.scalars(
            db.select(Invitation.status).where(Invitation.campaign_id == wave.id)
        ).all()
        finished = statuses.count("finished")
        assert 0.6 * len(statuses) < finished < len(statuses)
        results = db.session.scalar(db.select(db.func.count()).select_from(AttemptResult)
                                    .where(AttemptResult.campaign_id == wave.id))
        assert results == finished


def test_the_adaptive_pilot_ran_the_applications_item_choice_on_the_spring_calibration(
        demo, demo_app, client):
    from survey.models import Attempt, Calibration
    from survey.responses.adaptive import adaptive_rules, adaptive_state
    from survey.results.personal import personal_result

    pilot = db.session.scalar(db.select(Campaign).filter_by(test_mode="adaptive"))
    calibration = db.session.scalars(db.select(Calibration)).one()
    assert calibration.campaign_codes == ["wave-2026-spring"]
    results = db.session.scalars(db.select(AttemptResult).filter_by(campaign_id=pilot.id)).all()
    assert len(results) >= 50
    rules = adaptive_rules()
    with demo_app.test_request_context():
        for result in results:
            shown = sum(byte != 2 for byte in result.test_correct)
            assert rules.min_per_competence * 7 <= shown <= rules.max_items
            estimates = result.competence_estimates
            assert len(estimates) == 7
            assert all(0 < e["probability"] <= 1 and e["se"] > 0 for e in estimates.values())
            attempt = db.session.get(Attempt, result.attempt_id)
            # Stored answers and the seed say the test is over: the rule stops here.
            assert adaptive_state(attempt, pilot).item is None
        mine = personal_result(db.session.get(Attempt, results[0].attempt_id), pilot)
        assert mine.adaptive
        assert all(row.probability is not None for row in mine.competences)
        assert any(row.self_rated for row in mine.competences)
    # No item of the pilot reaches far past the exposure the rule aims at.
    shown = np.array([[byte != 2 for byte in r.test_correct] for r in results])
    assert shown.mean(axis=0).max() < 0.5
    AuthActions(client).login("hr@qabilet.demo", "demo-hr-2026")  # the account reads Russian
    response = client.get(f"/hr/campaigns/{pilot.id}/items")
    assert response.status_code == 200
    assert "Параметры IRT: калибровка № 1." in response.get_data(as_text=True)


def test_survey_scales_cohere_as_real_scales_do(demo):
    version = latest_version("digital_culture")
    rows = db.session.scalars(db.select(AttemptResult.survey_answers)).all()
    answers = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), -1).astype(float)
    answers[answers == 0] = np.nan
    for scale in {item.scale for item in version.items}:
        columns = [i for i, item in enumerate(version.items) if item.scale == scale]
        block = answers[:, columns]
        reverse = np.array([version.items[i].reverse for i in columns])
        block[:, reverse] = 6 - block[:, reverse]
        alpha = cronbach_alpha(block[~np.isnan(block).any(axis=1)]).alpha
        assert 0.7 <= alpha <= 0.95, (scale, alpha)


def test_abilities_differ_by_position_and_culture_by_body(demo):
    results = db.session.execute(
        db.select(AttemptResult, RoleProfile.code, Organisation.code)
        .join(RoleProfile, RoleProfile.id == AttemptResult.position_category_id)
        .join(Organisation, Organisation.id == AttemptResult.organisation_id)
    ).all()

    def mean_level(profile, competence):
        return np.mean([r.competence_levels[competence] for r, p, _o in results if p == profile])

    assert mean_level("it_specialist", "safety") > mean_level("specialist", "safety") + 0.5
    ministry = np.mean([r.culture_score for r, _p, o in results if o == "mdd"])
    district = np.mean([r.culture_score for r, _p, o in results if o == "akimat-abay"])
    assert ministry > district + 0.2


def test_running_the_demo_again_keeps_the_data_and_issues_new_links(demo, runner, client):
    before = db.session.scalar(db.select(db.func.count()).select_from(AttemptResult))
    # Someone has already started one of the printed links.
    link = next(line.split()[-1] for line in demo.splitlines() if line.strip().startswith("en "))
    client.post(link[link.index("/i/"):], data={"consent": "yes"})
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    assert "already there" in again.output
    assert len([line for line in again.output.splitlines() if "/i/" in line]) == 3
    assert db.session.scalar(db.select(db.func.count()).select_from(AttemptResult)) == before


# Latin words a Kazakh page may rightly show: names of systems and formats, and identifiers.
LATIN_ALLOWED = {
    "qabilet", "english", "egov", "kz", "ncalayer", "mobile", "qyzmet", "otinish", "adilet",
    "zan", "xlsx", "csv", "pdf", "yaml", "readme", "utf", "ets", "questionnaires", "yml", "demo",
    "http", "https", "www", "gov", "docx", "excel", "wi", "fi",
    # Names, acronyms and addresses the item bank quotes as they are written in Kazakh too.
    "sms", "sim", "vpn", "whatsapp", "cookie", "creative", "commons", "info", "site", "stat",
    "irt",  # item response theory, named by its acronym as ETS is
    "kind",  # the questionnaire file's key ("kind: survey"), quoted as it is written
}
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z]{2,}\b")


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<code\b.*?</code>", " ", html)  # identifiers a person types
    return re.sub(r"<[^>]+>", " ", html)


def identifiers() -> set[str]:
    from survey.models import Campaign, Competence, Item, Unit, User

    words = set()
    for model in (Organisation, Unit, RoleProfile, Competence, Item, Campaign):
        for code in db.session.scalars(db.select(model.code)):
            words |= {w.lower() for w in re.split(r"[^A-Za-z]+", code) if w}
    for email in db.session.scalars(db.select(User.email)):
        words |= {w.lower() for w in re.split(r"[^A-Za-z]+", email) if w}
    return words


def test_kazakh_pages_show_no_english(demo_app, client):
    allowed = LATIN_ALLOWED | identifiers()
    client.get("/language/kk")
    # A civil servant's pages first: landing, consent, the first survey page and the test.
    kk_link = next(line.split()[-1] for line in demo_app.demo_output.splitlines()
                   if line.strip().startswith("kk "))
    token = kk_link.rsplit("/", 1)[-1]
    landing = client.get(f"/i/{token}")
    assert landing.status_code == 200
    assert not {w for w in LATIN_WORD.findall(visible_text(landing.get_data(as_text=True)))
                if w.lower() not in allowed}
    client.post(f"/i/{token}", data={"consent": "yes"})
    respondent_pages = [f"/i/{token}/survey/1", f"/i/{token}/saved"]
    AuthActions(client).login("admin@qabilet.demo", "demo-admin-2026")
    queue, seen, english = [*respondent_pages, "/", "/admin/", "/hr/", "/trainer/"], set(), {}
    while queue and len(seen) < 80:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert path not in respondent_pages or response.status_code == 200, path
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        assert '<html lang="kk">' in page, path
        words = {w for w in LATIN_WORD.findall(visible_text(page)) if w.lower() not in allowed}
        if "/preview/en" not in path and words:
            english[path] = sorted(words)
        for link in re.findall(r'href="(/[^"#?]*)"', page):
            if not re.search(r"logout|language|\.(csv|xlsx|png|css)$|/static/", link):
                queue.append(link)
    assert len(seen) > 20
    assert english == {}
    assert not set(respondent_pages) - seen


# --- one place for each rule, checked on every demo respondent --------------------------------

def _demo_campaign_frames():
    from survey.questionnaires.reference import maturity_model
    from survey.results import frames
    from survey.results.dashboard import scored

    model = maturity_model().model
    for campaign in db.session.scalars(db.select(Campaign).order_by(Campaign.id)):
        frame = frames.read_frame(campaign)
        if frame.n:
            yield campaign, frame, scored(frame, model)


def test_the_dashboards_scores_of_every_demo_respondent_equal_the_stored_result(demo):
    checked = 0
    for campaign, frame, person in _demo_campaign_frames():
        stored = db.session.scalars(
            db.select(AttemptResult).filter_by(campaign_id=campaign.id)
            .order_by(AttemptResult.attempt_id)
        ).all()
        assert len(stored) == frame.n
        codes = [c.code for c in frame.layout.competences]
        for row, result in enumerate(stored):
            if result.culture_score is None:
                assert np.isnan(person.culture[row])
            else:
                assert person.culture[row] == pytest.approx(result.culture_score, abs=1e-4)
            assert int(person.culture_level[row]) == (result.culture_level or 0)
            scales = {sid: person.scales[row, i] for i, sid in enumerate(frame.layout.scale_ids)}
            for sid, value in (result.scale_scores or {}).items():
                assert scales[sid] == pytest.approx(value, abs=1e-4, nan_ok=True)
            levels = {code: int(person.levels[row, i]) for i, code in enumerate(codes)
                      if person.levels[row, i] > 0}
            assert levels == (result.competence_levels or {})
            checked += 1
    assert checked >= 200


def test_the_personal_results_courses_are_the_trainer_plans_courses_for_every_demo_respondent(
        demo, demo_app):
    from analysis.people import required_levels
    from analysis.training import course_needs
    from survey.models import Attempt
    from survey.questionnaires.reference import catalogue_courses
    from survey.results.personal import personal_result

    compared = with_courses = 0
    with demo_app.test_request_context():
        for campaign, frame, person in _demo_campaign_frames():
            catalogue = catalogue_courses([c.id for c in frame.layout.competences])
            # The plan's needs, person by person, as build_plan computes them.
            needs = course_needs(catalogue, person.levels,
                                 required_levels(frame.layout.required, frame.position)).need
            attempt_ids = db.session.scalars(
                db.select(AttemptResult.attempt_id).filter_by(campaign_id=campaign.id)
                .order_by(AttemptResult.attempt_id)
            ).all()
            for row, attempt_id in enumerate(attempt_ids):
                attempt = db.session.get(Attempt, attempt_id)
                shown = {course.code for course in personal_result(attempt, campaign).courses}
                planned = {catalogue[j].code for j in np.flatnonzero(needs[row])}
                assert shown == planned, attempt_id
                compared += 1
                with_courses += bool(shown)
    assert compared >= 200
    assert with_courses >= 50


def test_the_demo_dashboards_show_released_figures(demo, client):
    """The gate leaves the demo meaningful: each wave's HR dashboard has a score, by-unit
    figures and the release note, and most finished results are in a release."""
    AuthActions(client).login("hr@qabilet.demo", "demo-hr-2026")  # the account reads Russian
    for wave in db.session.scalars(db.select(Campaign)):
        page = client.get(f"/hr/campaigns/{wave.id}").get_data(as_text=True)
        assert 'class="big-score"' in page, wave.code
        assert "Показатели опубликованы:" in page
        scores = re.findall(r'<td class="num">([1-5][.,]\d\d)</td>', page)
        assert len(scores) >= 5, wave.code
        results = db.session.scalar(db.select(db.func.count()).where(
            AttemptResult.campaign_id == wave.id))
        released = sum(a >= 0 for a in stored_atoms(wave.id).values())
        assert released >= 0.8 * results, wave.code


def test_the_dashboards_self_rating_table_counts_what_the_stored_results_say(demo):
    """Over- and under-confidence on the dashboard, against a plain count over the stored
    results: self-ratings from the packed survey bytes, tested levels from the result."""
    from survey.questionnaires.reference import maturity_model
    from survey.results.dashboard import Filters, compute_dashboard
    from survey.results.releases import released_figures

    model = maturity_model().model
    for campaign, _frame, _person in _demo_campaign_frames():
        items = sorted(campaign.survey_version.items, key=lambda i: i.position)
        frame, gate, invited = released_figures(campaign, 5)
        dash = compute_dashboard(frame, gate, model, Filters(), invited, k=5)
        assert dash.confidence is not None
        for c, competence in enumerate(frame.layout.competences):
            over = same = under = 0
            atoms = stored_atoms(campaign.id)
            for result in db.session.scalars(
                    db.select(AttemptResult).filter_by(campaign_id=campaign.id)):
                if atoms.get(result.attempt_id, -1) < 0:
                    continue  # released results only
                tested = (result.competence_levels or {}).get(competence.code, 0)
                rated = next((result.survey_answers[i.position] for i in items
                              if i.type == "self_rating" and i.competence_id == competence.id), 0)
                if tested and rated:
                    over += rated > tested
                    same += rated == tested
                    under += rated < tested
            total = over + same + under
            assert total >= 5
            assert dash.confidence.n[c] == total
            assert dash.confidence.over[c] == pytest.approx(over / total)
            assert dash.confidence.under[c] == pytest.approx(under / total)
            assert dash.confidence.accurate[c] == pytest.approx(same / total)


def test_a_bodys_culture_score_on_the_maturity_page_is_the_hr_dashboards(demo):
    from survey.models import Organisation
    from survey.questionnaires.reference import maturity_model
    from survey.results.dashboard import Filters, compute_dashboard
    from survey.results.maturity import body_culture
    from survey.results.releases import released_figures

    model = maturity_model().model
    compared = 0
    for campaign in db.session.scalars(db.select(Campaign)):
        frame, gate, invited = released_figures(campaign, 5)
        for body in db.session.scalars(db.select(Organisation)):
            shown = body_culture(campaign, body, model, 5).score
            dash = compute_dashboard(frame, gate, model, Filters(organisation=body.id),
                                     invited, 5)
            if shown is None:
                assert not dash.overall.n[0] >= 5 or np.isnan(dash.overall.mean[0])
            else:
                assert dash.overall.mean[0] == pytest.approx(shown)
                compared += 1
    assert compared >= 3
