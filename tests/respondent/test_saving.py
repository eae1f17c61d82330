"""Saving is idempotent and cheap: replays, concurrent posts, no writes on GET, few statements."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import event

from survey.extensions import db
from survey.models import Answer, Attempt, AttemptResult
from tests.respondent import factories as f
from tests.respondent.walk import (
    complete_survey,
    complete_test,
    consent,
    form_address,
    survey_page_form,
)

WRITES = ("INSERT", "UPDATE", "DELETE")


class Statements:
    """SQL statements the app sends while the block runs."""

    def __enter__(self):
        self.seen: list[str] = []
        self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def _record(self, _conn, _cursor, statement, *_args):
        self.seen.append(statement.lstrip().split(None, 1)[0].upper())

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def writes(self) -> list[str]:
        return [s for s in self.seen if s in WRITES]


def answer_rows() -> list[tuple[int, str]]:
    return db.session.execute(db.select(Answer.item_id, Answer.value).order_by(Answer.item_id)).all()


def test_a_replayed_page_post_neither_duplicates_nor_loses_an_answer(client):
    world = f.world()
    token = world.invite()
    consent(client, token)
    form = survey_page_form(world.campaign.survey_version, "engagement", "3")
    first = client.post(f"/i/{token}/survey/1", data=form)
    rows = answer_rows()
    replay = client.post(f"/i/{token}/survey/1", data=form)
    assert replay.status_code == first.status_code == 200  # both answer with page 2
    assert form_address(replay.text) == form_address(first.text) == f"/i/{token}/survey/2"
    assert answer_rows() == rows
    assert len(rows) == f.SURVEY_ITEMS_PER_SCALE
    assert db.session.scalar(db.select(Attempt.page)) == 2


def test_a_changed_answer_replaces_the_old_one(client):
    world = f.world()
    token = world.invite()
    consent(client, token)
    version = world.campaign.survey_version
    client.post(f"/i/{token}/survey/1", data=survey_page_form(version, "engagement", "3"))
    client.post(f"/i/{token}/survey/1", data=survey_page_form(version, "engagement", "5"))
    assert {value for _item, value in answer_rows()} == {"5"}


def test_a_late_replay_of_an_earlier_page_does_not_move_the_person_back(client):
    world = f.world()
    token = world.invite()
    consent(client, token)
    version = world.campaign.survey_version
    client.post(f"/i/{token}/survey/1", data=survey_page_form(version, "engagement"))
    client.post(f"/i/{token}/survey/2", data={**survey_page_form(version, "motivation"),
                                              "action": "later"})
    client.post(f"/i/{token}/survey/1", data=survey_page_form(version, "engagement"))
    assert client.get(f"/i/{token}").location == f"/i/{token}/survey/2"


def test_concurrent_posts_of_the_same_page_store_each_answer_once(app):
    world = f.world()
    token = world.invite()
    consent(app.test_client(), token)
    form = survey_page_form(world.campaign.survey_version, "engagement", "4")
    statuses, start = [], threading.Barrier(6)

    def post():
        client = app.test_client()
        start.wait()
        statuses.append(client.post(f"/i/{token}/survey/1", data=form).status_code)

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6  # each answered with page 2
    db.session.expire_all()
    assert len(answer_rows()) == f.SURVEY_ITEMS_PER_SCALE
    assert db.session.scalar(db.select(Attempt.page)) == 2


def test_concurrent_finishes_pack_one_result(app):
    world = f.world()
    token = world.invite()
    client = app.test_client()
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    client.post(f"/i/{token}/test")
    statuses, start = [], threading.Barrier(4)

    def finish():
        start.wait()
        statuses.append(app.test_client().post(f"/i/{token}/finish").status_code)

    threads = [threading.Thread(target=finish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 4
    assert db.session.scalar(db.select(db.func.count()).select_from(AttemptResult)) == 1


def test_no_get_on_the_path_writes_to_the_database(client):
    world = f.world()
    token = world.invite()
    with Statements() as sql:
        client.get(f"/i/{token}")
    assert sql.writes == []
    consent(client, token)
    version = world.campaign.survey_version
    with Statements() as sql:
        client.get(f"/i/{token}")
        client.get(f"/i/{token}/survey/1")
    assert sql.writes == []
    complete_survey(client, token, version, f.SCALES)
    with Statements() as sql:
        client.get(f"/i/{token}/test")
    assert sql.writes == []
    complete_test(client, token, f.right_answers(world.campaign.test_version))
    with Statements() as sql:
        client.get(f"/i/{token}/result")
        client.get(f"/i/{token}")
    assert sql.writes == []


def test_a_page_save_costs_a_handful_of_statements(client):
    world = f.world()
    token = world.invite()
    consent(client, token)
    client.get(f"/i/{token}/survey/1")  # the version layout is cached from here on
    form = survey_page_form(world.campaign.survey_version, "engagement")
    with Statements() as sql:
        client.post(f"/i/{token}/survey/1", data=form)
    queries = [s for s in sql.seen if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
    # Find the attempt, claim it and move it on, upsert the page's answers. Page 2 was never
    # reached, so it has no saved answers to read for the page sent back.
    assert queries == ["SELECT", "UPDATE", "INSERT"], sql.seen
    client.post(f"/i/{token}/survey/2", data={"action": "back"})
    with Statements() as sql:
        again = client.post(f"/i/{token}/survey/1", data=form)
    queries = [s for s in sql.seen if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
    # Page 2 was reached before: its saved answers are read to show them.
    assert queries == ["SELECT", "UPDATE", "INSERT", "SELECT"], sql.seen
    assert form_address(again.text) == f"/i/{token}/survey/2"


def test_a_page_posted_while_another_request_finishes_the_attempt_is_refused_not_lost(
        client, monkeypatch):
    """The page was read as "in the test"; before it saves, another request (a second tab, the
    timer, the campaign closing) finishes the attempt. Its answers must not be written after the
    result was packed: the save is refused and the person is taken to the result."""
    from sqlalchemy import update

    from survey.respondent import views

    world = f.world()
    token = world.invite()
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    client.post(f"/i/{token}/test")
    page = client.get(f"/i/{token}/test/1").text
    answers = f.right_answers(world.campaign.test_version)
    from tests.respondent.walk import fields_on

    names = fields_on(page)
    found = views.ops.find_attempt

    def found_then_finished_elsewhere(link):
        result = found(link)
        with db.engine.begin() as other_request:
            other_request.execute(update(Attempt).where(Attempt.id == result[0].id)
                                  .values(stage="finished"))
        return result

    before = db.session.scalar(db.select(db.func.count()).select_from(Answer))
    monkeypatch.setattr(views.ops, "find_attempt", found_then_finished_elsewhere)
    response = client.post(f"/i/{token}/test/1", data={n: answers[n] for n in names})
    monkeypatch.undo()
    assert response.status_code == 302
    assert response.location.endswith(f"/i/{token}/result")
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == before


@pytest.mark.parametrize("path", ["", "/survey/1", "/test/1"])
def test_pages_stay_light(client, path):
    world = f.world()
    token = world.invite()
    if path:
        consent(client, token)
    if path == "/test/1":
        complete_survey(client, token, world.campaign.survey_version, f.SCALES)
        client.post(f"/i/{token}/test")
    page = client.get(f"/i/{token}{path}")
    css = Path(client.application.static_folder, "qabilet.css").stat().st_size
    assert page.status_code == 200
    assert len(page.data) + css < 100_000
