"""Releases stored in the database: formed when a page is read and results wait, once per
release number even when two workers try at the same moment, never changed afterwards, and
completed when the campaign closes. The frame hands the gate the real unit tree."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.gaps import gap_summary
from analysis.privacy import release
from survey.extensions import db, process_cache
from survey.models import AttemptResult, Release, ReleaseAtom
from survey.questionnaires.reference import maturity_model
from survey.results import building, frames, releases
from survey.results import dashboard as report
from survey.results.releases import released_figures
from tests.hr import factories as f


@pytest.fixture
def wave(app):
    cat = f.catalogue()
    body = f.body("eta", 3)
    db.session.flush()
    body.units[1].parent_id = body.units[0].id
    wave = f.campaign(cat, [body], code="wave-eta")
    f.results(wave, cat, {body.units[0]: 9, body.units[1]: 3, body.units[2]: 3}, seed=41)
    db.session.commit()
    return cat, body, wave


def _stored(campaign_id):
    """(attempt id, release row, atom) of every result as the releases stored them (None =
    not seen by a release / pending), in attempt-id order."""
    ids, atoms = releases.stored_members(campaign_id)
    seen = {int(i): (r, None if a < 0 else int(a))
            for r, (i, a) in enumerate(zip(ids, atoms, strict=True))}
    every = db.session.scalars(db.select(AttemptResult.attempt_id).where(
        AttemptResult.campaign_id == campaign_id).order_by(AttemptResult.attempt_id)).all()
    return [(i, *seen.get(i, (None, None))) for i in every]


def test_the_frame_passes_the_real_unit_tree(wave):
    _cat, body, campaign = wave
    frame = frames.load_campaign(campaign)
    codes = {u.id: i for i, u in enumerate(frame.layout.units)}
    org = releases.organisation(frame)
    assert org.unit_parent[codes[body.units[1].id]] == codes[body.units[0].id]
    assert org.unit_parent[codes[body.units[0].id]] == -1


def test_a_page_read_forms_the_first_release_and_a_second_read_changes_nothing(wave):
    _cat, _body, campaign = wave
    frame, gate, _invited = released_figures(campaign, 5)
    assert gate.number == 1
    stored = _stored(campaign.id)
    assert sorted(r for _a, r, _atom in stored) == list(range(len(stored)))
    atoms = [a for _i, _r, a in stored if a is not None]
    assert all(atoms.count(a) >= 5 for a in set(atoms))
    process_cache.clear()
    _frame, again, _invited = released_figures(campaign, 5)
    assert again.number == 1
    assert _stored(campaign.id) == stored
    assert db.session.scalar(db.select(db.func.count()).select_from(Release)) == 1
    assert np.array_equal(again.partition.atom, gate.partition.atom)
    assert gate.released_at is not None


def test_two_workers_forming_the_same_release_store_it_once(wave):
    cat, body, campaign = wave
    released_figures(campaign, 5)
    f.results(campaign, cat, {body.units[2]: 6}, seed=42)
    db.session.commit()
    frame = frames.load_campaign(campaign)
    invited = frames.invitation_counts(campaign.id, frame.layout.units)
    # Both workers read release 1 and form release 2 from it.
    stale = releases._read(frame, 5)
    first = releases._next(stale, frame, 5, releases.outstanding(frame, invited))
    second = releases._next(stale, frame, 5, releases.outstanding(frame, invited))
    assert first is not None
    assert second is not None
    assert releases._store(campaign.id, *first, frame, stale, False)
    stored = _stored(campaign.id)
    assert not releases._store(campaign.id, *second, frame, stale, False)  # refused: taken
    assert _stored(campaign.id) == stored
    numbers = db.session.scalars(db.select(Release.number).where(
        Release.campaign_id == campaign.id)).all()
    assert sorted(numbers) == [1, 2]
    atoms = db.session.scalars(db.select(ReleaseAtom.atom).where(
        ReleaseAtom.campaign_id == campaign.id).order_by(ReleaseAtom.atom)).all()
    assert atoms == list(range(len(atoms)))


def test_old_atoms_never_change_and_new_results_wait_until_they_make_a_group(wave):
    cat, body, campaign = wave
    _frame, gate, _invited = released_figures(campaign, 5)
    before = {a: (r, atom) for a, r, atom in _stored(campaign.id)}
    f.results(campaign, cat, {body.units[0]: 2}, seed=43)
    db.session.commit()
    _frame, gate2, _invited = released_figures(campaign, 5)
    for attempt, row, atom in _stored(campaign.id):
        if attempt in before and before[attempt][1] is not None:
            assert (row, atom) == before[attempt]
    assert gate2.number >= gate.number


def test_closing_the_campaign_releases_what_waited_for_late_finishers(wave):
    from survey.campaigns.lifecycle import change_status

    _cat, body, campaign = wave
    frame, gate, _invited = released_figures(campaign, 5)
    codes = {u.id: i for i, u in enumerate(frame.layout.units)}
    small = np.isin(frame.unit, [codes[body.units[1].id], codes[body.units[2].id]])
    # Two units of three with outstanding invitations: their results wait in their unit.
    assert (gate.partition.atom[small] == -1).all()
    change_status(campaign, "closed")
    db.session.commit()
    final = db.session.scalars(db.select(Release).where(Release.campaign_id == campaign.id)
                               .order_by(Release.number.desc())).first()
    assert final.final
    frame, closed, _invited = released_figures(campaign, 5)
    # Nothing more will come: they are handed up and form a group of six at the body.
    assert (closed.partition.atom[small] >= 0).all()
    assert closed.number == gate.number + 1


def test_a_body_s_released_culture_score_for_other_pages(wave):
    _cat, body, campaign = wave
    frame, gate, _invited = released_figures(campaign, 5)
    score = report.body_culture_score(campaign, body.id, 5)
    culture = report.scored(frame, maturity_model().model).culture
    released = release(gate.partition, frame.organisation == 0, culture)
    assert score.n[0] == released.n_valid[0]
    assert score.mean[0] == pytest.approx(released.means[0])


def test_released_gaps_equal_the_gap_summary_of_the_released_rows(wave):
    _cat, _body, campaign = wave
    frame, gate, _invited = released_figures(campaign, 5)
    from analysis.released import released_gaps

    gaps = report.scored(frame, maturity_model().model).gaps
    everyone = np.ones(frame.n, dtype=bool)
    rows = release(gate.partition, everyone).rows
    zero = np.zeros(frame.n, dtype=np.intp)
    ours = released_gaps(gate.partition, everyone, gaps, zero, 1)
    plain = gap_summary(gaps[rows], zero[rows], 1, 1)
    assert ours.headcount[0] == plain.headcount[0]
    np.testing.assert_allclose(ours.share_below, plain.share_below, equal_nan=True)
    np.testing.assert_allclose(ours.priority, plain.priority, equal_nan=True)


def test_a_trainer_sees_names_to_enrol_in_an_identified_campaign_never_scores(app, client, auth):
    from survey.accounts.users import create_user
    from survey.models import Person
    from tests.conftest import STAFF_PASSWORD

    cat = f.catalogue()
    body = f.body("theta", 1)
    db.session.flush()
    persons = [Person(organisation_id=body.id, unit_id=body.units[0].id,
                      position_category_id=cat.profiles[0].id, full_name=f"Адам {i}",
                      email=f"t{i}@theta.kz", language="kk") for i in range(10)]
    db.session.add_all(persons)
    db.session.flush()
    campaign = f.campaign(cat, [body], anonymous=False, code="wave-theta")
    f.results(campaign, cat, {body.units[0]: 10}, seed=51, persons=[p.id for p in persons],
              invited_extra=0)
    create_user("trainer@theta.kz", "Trainer", STAFF_PASSWORD, "trainer", [body])
    db.session.commit()
    auth.as_("trainer@theta.kz", "en")
    page = client.get(f"/trainer/campaigns/{campaign.id}").get_data(as_text=True)
    assert "People to enrol" in page
    assert "Адам 3" in page
    assert "Digital-culture score" not in page


def test_a_worker_that_finds_the_build_taken_serves_the_latest_release(wave):
    cat, body, campaign = wave
    assert released_figures(campaign, 5)[1].number == 1
    f.results(campaign, cat, {body.units[2]: 6}, seed=44)
    db.session.commit()
    assert building.claim(campaign.id)  # another thread of this worker is building
    try:
        _frame, gate, _invited = released_figures(campaign, 5)
        assert gate.number == 1
        assert gate.waiting >= 6
    finally:
        building.give_back(campaign.id)
    assert released_figures(campaign, 5)[1].number == 2


def test_in_the_background_a_page_read_serves_the_latest_release_and_never_builds(app, wave):
    cat, body, campaign = wave
    app.config["RELEASE_BUILD"] = "background"
    try:
        assert released_figures(campaign, 5)[1].number == 0  # built after the read
        building.wait_for_builds(60)
        assert released_figures(campaign, 5)[1].number == 1
        f.results(campaign, cat, {body.units[2]: 6}, seed=45)
        db.session.commit()
        _frame, gate, _invited = released_figures(campaign, 5)
        assert gate.number == 1
        assert gate.waiting >= 6
        building.wait_for_builds(60)
        _frame, gate, _invited = released_figures(campaign, 5)
        assert gate.number == 2
        assert gate.waiting < 6
        assert building.schedule(campaign.id, lambda _c: None)  # nothing left running
    finally:
        building.wait_for_builds(60)
        app.config["RELEASE_BUILD"] = "inline"
