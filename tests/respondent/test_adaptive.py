"""The adaptive test on the respondent path, and the linear form of a larger bank."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
from flask import Flask

from analysis.adaptive import AdaptiveRules, default_item_parameters, item_bank, next_item
from analysis.exposure import sympson_hetter
from survey.extensions import db
from survey.jobs.scheduler import tick
from survey.models import Attempt, AttemptResult, ExposureControl
from survey.models._types import utcnow
from tests.admin.factories import staff
from tests.respondent import factories as f
from tests.respondent.walk import complete_test, consent, fields_on, form_address

RULES = {"cut_scores": [-0.595, 0.405, 1.405, 2.405], "max_items": 6, "target_se": 0.1,
         "min_per_competence": 2, "randomesque": 3, "exposure": "randomesque"}
EXPOSED = {**RULES, "randomesque": 1, "max_exposure": 0.3}


def adaptive_world(rules=RULES, survey: bool = False, **campaign_fields):
    world = f.world(survey=survey, test_mode="adaptive", **campaign_fields)
    f.use_adaptive_rules(rules)
    return world


def shown_item(client, token, page):
    html = client.get(f"/i/{token}/test/{page}").text
    names = fields_on(html)
    assert len(names) == 1, names  # one item a page
    return names[0], html


def provisional_bank(version):
    """The version's items in bank order and their bank on provisional parameters."""
    items = sorted(version.items, key=lambda i: i.position)
    a, b = default_item_parameters([i.level for i in items])
    codes = {c: n for n, c in enumerate(sorted({i.competence.position for i in items}))}
    return items, item_bank(a, b, [codes[i.competence.position] for i in items], 2)


def expected_next(version, answered: list[tuple[int, float]], seed: int, max_exposure=None,
                  randomesque: int = 3):
    """The next item by analysis.adaptive.next_item on provisional parameters, as bank index."""
    items, bank = provisional_bank(version)
    rules = AdaptiveRules(max_items=6, target_se=0.1, min_per_competence=2,
                          randomesque=randomesque, max_exposure=max_exposure)
    eligibility = None if max_exposure is None else sympson_hetter(bank, rules)
    answered = sorted(answered)
    step = next_item(bank, [i for i, _ in answered], [c for _, c in answered], seed, rules,
                     eligibility)
    return None if step.item is None else f"q{items[step.item].id}"


def test_an_adaptive_attempt_shows_the_item_next_item_picks_and_resumes_on_another_device(
        app: Flask, client):
    world = adaptive_world()
    token = world.invite()
    client.get("/language/en")
    consent(client, token)
    client.post(f"/i/{token}/test")
    version = world.campaign.test_version
    by_field = {f"q{i.id}": i for i in version.items}
    right = f.right_answers(version)
    seed = db.session.scalars(db.select(Attempt)).one().seed
    answered: list[tuple[int, float]] = []
    for page in range(1, 7):
        name, html = shown_item(client, token, page)
        assert "of at most 6" in html
        assert name == expected_next(version, answered, seed)
        # Another device (a new client, no cookies) sees the same item.
        other = app.test_client()
        assert fields_on(other.get(f"/i/{token}/test/{page}").text) == [name]
        item = by_field[name]
        good = page % 2 == 1
        values = right[name] if good else (["false"] if right[name] == ["true"] else ["d"])
        response = client.post(f"/i/{token}/test/{page}", data={name: values, "action": "next"})
        answered.append((item.position, 1.0 if good else 0.0))
        if page < 6:  # the next item itself, the one a GET of its page shows
            assert response.status_code == 200
            assert form_address(response.text) == f"/i/{token}/test/{page + 1}"
            assert fields_on(response.text) == [expected_next(version, answered, seed)]
        else:  # the rules end the test at six: on to the review
            assert response.status_code == 302
            assert response.location.endswith("/test/review")
    # Six items is the maximum: the next request leads to the review, which finishes it.
    response = client.get(f"/i/{token}/test/7")
    assert response.location.endswith("/test/review")
    assert client.get(response.location).status_code == 200
    assert "/result" in client.post(f"/i/{token}/finish").location
    result = db.session.scalars(db.select(AttemptResult)).one()
    assert sum(byte == 2 for byte in result.test_correct) == len(version.items) - 6
    assert set(result.competence_estimates) == {"information_data", "safety"}
    for estimate in result.competence_estimates.values():
        assert 0 < estimate["probability"] <= 1
        assert estimate["se"] > 0
        assert estimate["n_items"] >= 2
    assert result.competence_levels == {
        code: e["level"] for code, e in result.competence_estimates.items()}
    page = client.get(f"/i/{token}/result?lang=en").text
    for estimate in result.competence_estimates.values():
        assert f"{round(100 * estimate['probability'])} %" in page


def test_with_max_exposure_the_attempt_uses_the_sympson_hetter_parameters_of_its_bank(client):
    attempts_follow_the_exposure_control(client, adaptive_world(EXPOSED), attempts=3, pages=3)


def test_an_adaptive_item_must_be_answered_and_a_wrong_page_goes_to_the_current_one(client):
    world = adaptive_world()
    token = world.invite()
    consent(client, token)
    client.post(f"/i/{token}/test")
    name, _html = shown_item(client, token, 1)
    assert client.post(f"/i/{token}/test/1", data={"action": "next"}).status_code == 422
    assert client.get(f"/i/{token}/test/3").location.endswith(f"/i/{token}/test/1")
    answer = f.right_answers(world.campaign.test_version)[name]
    assert client.post(f"/i/{token}/test/1",
                       data={name: answer, "action": "later"}).status_code == 302
    # Saved with "later": the next visit continues with the second item.
    assert client.get(f"/i/{token}/test/1").location.endswith(f"/i/{token}/test/2")


def test_a_linear_campaign_presents_only_the_form_and_marks_the_rest_not_presented(client):
    world = f.world(survey=False)
    version = world.campaign.test_version
    form = [i.code for i in version.items if i.level <= 3]
    version.definition = {**version.definition, "linear_form": form}
    db.session.commit()
    token = world.invite()
    consent(client, token)
    complete_test(client, token, f.right_answers(version))
    result = db.session.scalars(db.select(AttemptResult)).one()
    in_form = [i.code in form for i in sorted(version.items, key=lambda i: i.position)]
    assert [byte == 2 for byte in result.test_correct] == [not x for x in in_form]
    assert all(byte == 1 for byte, x in zip(result.test_correct, in_form, strict=True) if x)
    # The rule over the presented items: every form level passed, the form goes up to 3.
    assert result.competence_levels == {"information_data": 3, "safety": 3}
    assert result.competence_estimates is None
    assert not math.isnan(np.mean(list(result.competence_levels.values())))


def test_the_timer_posting_an_adaptive_page_without_an_answer_at_zero_ends_the_test(client):
    world = adaptive_world()
    token = world.invite()
    consent(client, token)
    client.post(f"/i/{token}/test")
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() + timedelta(seconds=2)
    db.session.commit()
    response = client.post(f"/i/{token}/test/1", data={"action": "next"})
    assert "/result" in response.location
    assert db.session.scalars(db.select(AttemptResult)).one().test_correct.count(2) == len(
        world.campaign.test_version.items)


def attempts_follow_the_exposure_control(client, world, attempts: int = 2,
                                         pages: int = 2) -> None:
    """Take a few attempts (each its own seed) and check each item is the one the
    simulation's eligibility gives, computed here on its own from the provisional parameters."""
    version = world.campaign.test_version
    by_field = {f"q{i.id}": i for i in version.items}
    right = f.right_answers(version)
    for _ in range(attempts):
        token = world.invite()
        consent(client, token)
        client.post(f"/i/{token}/test")
        seed = db.session.scalars(db.select(Attempt).order_by(Attempt.id.desc())).first().seed
        answered: list[tuple[int, float]] = []
        for page in range(1, pages + 1):
            name, _html = shown_item(client, token, page)
            assert name == expected_next(version, answered, seed, max_exposure=0.3,
                                         randomesque=1)
            client.post(f"/i/{token}/test/{page}", data={name: right[name], "action": "next"})
            answered.append((by_field[name].position, 1.0))


def no_simulation(*args, **kwargs):
    raise AssertionError("the exposure control was simulated on a respondent's request")


def test_the_scheduler_stores_the_exposure_control_so_no_request_simulates_it(
        app: Flask, client, monkeypatch):
    world = adaptive_world(EXPOSED)
    version = world.campaign.test_version
    assert tick().exposure_prepared == [version.id]
    row = db.session.scalars(db.select(ExposureControl)).one()
    assert (row.test_version_id, row.calibration_id) == (version.id, None)
    _items, bank = provisional_bank(version)
    rules = AdaptiveRules(max_items=6, target_se=0.1, min_per_competence=2, randomesque=1,
                          max_exposure=0.3)
    np.testing.assert_allclose(row.eligibility, sympson_hetter(bank, rules))
    assert tick().exposure_prepared == []  # stored once
    # A fresh process (no copy of its own) reads the stored row and simulates nothing.
    app.extensions.pop("test_exposure", None)
    monkeypatch.setattr("survey.responses.adaptive.sympson_hetter", no_simulation)
    attempts_follow_the_exposure_control(client, world)


def test_without_a_stored_row_the_request_simulates_it_and_writes_nothing(client, caplog):
    world = adaptive_world(EXPOSED)
    with caplog.at_level("WARNING", logger="survey.responses.adaptive"):
        attempts_follow_the_exposure_control(client, world)
    assert db.session.scalars(db.select(ExposureControl)).all() == []
    assert sum("is not stored" in record.getMessage() for record in caplog.records) == 1


def test_opening_an_adaptive_campaign_stores_its_exposure_control(auth, client, monkeypatch):
    world = adaptive_world(EXPOSED, status="draft")
    admin = auth.as_(staff("admin", "admin@qabilet.kz"))
    assert db.session.scalars(db.select(ExposureControl)).all() == []
    response = admin.post(f"/admin/campaigns/{world.campaign.id}/status/open")
    assert response.status_code == 302
    db.session.refresh(world.campaign)
    assert world.campaign.status == "open"
    row = db.session.scalars(db.select(ExposureControl)).one()
    assert row.test_version_id == world.campaign.test_version_id
    auth.logout()
    app = admin.application
    app.extensions.pop("test_exposure", None)
    monkeypatch.setattr("survey.responses.adaptive.sympson_hetter", no_simulation)
    attempts_follow_the_exposure_control(client, world, attempts=1)


def test_opening_an_adaptive_campaign_from_the_command_line_stores_its_exposure_control(runner):
    world = adaptive_world(EXPOSED, status="draft")
    result = runner.invoke(args=["campaigns", "open", world.campaign.code])
    assert result.exit_code == 0, result.output
    assert "simulated and stored" in result.output
    row = db.session.scalars(db.select(ExposureControl)).one()
    assert row.test_version_id == world.campaign.test_version_id
    again = runner.invoke(args=["campaigns", "close", world.campaign.code])
    assert "simulated" not in again.output
