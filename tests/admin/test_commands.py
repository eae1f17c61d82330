"""The command-line part: campaigns create/open/close/list, invitations import/reissue/send."""

from __future__ import annotations

import csv

from survey.extensions import db
from survey.models import AuditEntry, Campaign, Invitation
from survey.tokens import hash_token

STAFF = ("organisation;unit;position;name;email;personnel_number\n"
         "mdd;it;specialist;Aigerim;aigerim@gov.kz;1\n"
         "mdd;hr;leadership;Ivan;ivan@gov.kz;2\n")


def create(runner, *extra):
    return runner.invoke(args=[
        "campaigns", "create", "wave-2026", "--title-kk", "2026 кезеңі", "--title-ru",
        "Волна 2026", "--title-en", "Wave 2026", "--org", "mdd", "--org", "akimat",
        "--opens", "2026-03-01", "--closes", "2026-03-31", *extra])


def read_links(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_a_campaign_is_created_as_a_draft_with_the_latest_questionnaires(runner, world):
    result = create(runner, "--identified", "--time-limit", "30", "--language", "ru")
    assert result.exit_code == 0, result.output
    campaign = db.session.scalar(db.select(Campaign).filter_by(code="wave-2026"))
    assert (campaign.status, campaign.anonymous, campaign.test_time_limit_minutes) == (
        "draft", False, 30)
    assert campaign.survey_version_id == world.survey.id
    assert campaign.test_version_id == world.test.id
    assert {o.code for o in campaign.organisations} == {"mdd", "akimat"}
    assert campaign.closes_at > campaign.opens_at


def test_a_campaign_can_present_its_test_adaptively(runner, world):
    assert create(runner).exit_code == 0
    assert db.session.scalar(db.select(Campaign.test_mode)) == "linear"
    result = runner.invoke(args=[
        "campaigns", "create", "wave-cat", "--title-kk", "Бейімделгіш кезең", "--title-ru",
        "Адаптивная волна", "--title-en", "Adaptive wave", "--org", "mdd", "--opens",
        "2026-03-01", "--closes", "2026-03-31", "--test-mode", "adaptive"])
    assert result.exit_code == 0, result.output
    campaign = db.session.scalar(db.select(Campaign).filter_by(code="wave-cat"))
    assert campaign.test_mode == "adaptive"


def test_bad_campaign_settings_are_listed_in_english_and_nothing_is_created(runner, world):
    result = runner.invoke(args=[
        "campaigns", "create", "Wave 2026", "--title-kk", "", "--title-ru", "В", "--title-en",
        "W", "--org", "mdd", "--opens", "2026-03-31", "--closes", "2026-03-01"])
    assert result.exit_code == 1
    assert "code: The code may hold only lower-case" in result.output
    assert "dates: The closing date must be after the opening date." in result.output
    assert db.session.scalar(db.select(db.func.count(Campaign.id))) == 0


def test_a_campaign_goes_from_draft_to_open_to_closed_and_is_listed(runner, world):
    create(runner)
    assert runner.invoke(args=["campaigns", "open", "wave-2026"]).exit_code == 0
    assert runner.invoke(args=["campaigns", "close", "wave-2026"]).exit_code == 0
    refused = runner.invoke(args=["campaigns", "close", "wave-2026"])
    assert refused.exit_code == 1
    assert "cannot be moved" in refused.output
    listing = runner.invoke(args=["campaigns", "list"]).output
    assert "wave-2026" in listing
    assert "closed" in listing


def test_importing_a_staff_list_writes_each_link_once_and_stores_only_hashes(
        runner, world, tmp_path):
    create(runner)
    staff, links = tmp_path / "staff.csv", tmp_path / "links.csv"
    staff.write_text(STAFF, encoding="utf-8")
    result = runner.invoke(args=["invitations", "import", "wave-2026", str(staff),
                                 "--links", str(links)])
    assert result.exit_code == 0, result.output
    rows = read_links(links)
    assert [(r["name"], r["email"], r["unit"]) for r in rows] == [
        ("Aigerim", "aigerim@gov.kz", "it"), ("Ivan", "ivan@gov.kz", "hr")]
    tokens = [r["link"].rsplit("/i/", 1)[1] for r in rows]
    assert rows[0]["link"].startswith("http://127.0.0.1:5000/i/")
    stored = set(db.session.scalars(db.select(Invitation.token_hash)))
    assert stored == {hash_token(t) for t in tokens}
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="staff_list_imported"))


def test_a_staff_list_with_a_bad_row_is_refused_whole(runner, world, tmp_path):
    create(runner)
    staff, links = tmp_path / "staff.csv", tmp_path / "links.csv"
    staff.write_text(STAFF + "mdd;basement;specialist;X;x@gov.kz;3\n", encoding="utf-8")
    result = runner.invoke(args=["invitations", "import", "wave-2026", str(staff),
                                 "--links", str(links)])
    assert result.exit_code == 1
    assert "row 4, unit: The government body has no unit with the code “basement”." \
        in result.output
    assert not links.exists()
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_a_lost_link_is_reissued_and_the_old_one_stops_working(runner, world, tmp_path):
    create(runner)
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    runner.invoke(args=["invitations", "import", "wave-2026", str(staff),
                        "--links", str(tmp_path / "first.xlsx")])
    result = runner.invoke(args=["invitations", "reissue", "wave-2026", "--email",
                                 "ivan@gov.kz", "--links", str(tmp_path / "again.csv")])
    assert result.exit_code == 0, result.output
    (row,) = read_links(tmp_path / "again.csv")
    token = row["link"].rsplit("/i/", 1)[1]
    invitation = db.session.scalar(db.select(Invitation).filter_by(email="ivan@gov.kz"))
    assert invitation.token_hash == hash_token(token)


def test_invitations_are_sent_through_the_configured_smtp_server(
        runner, world, tmp_path, smtp_server):
    create(runner, "--language", "ru")
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, encoding="utf-8")
    runner.invoke(args=["campaigns", "open", "wave-2026"])
    # Imported through the command line the links are already handed out; reissue two as new.
    runner.invoke(args=["invitations", "import", "wave-2026", str(staff),
                        "--links", str(tmp_path / "l.csv")])
    for invitation in db.session.scalars(db.select(Invitation)):
        invitation.status = "new"
    db.session.commit()
    result = runner.invoke(args=["invitations", "send", "wave-2026"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 e-mails." in result.output
    recipients = sorted(r for rcpts, _m in smtp_server.messages for r in rcpts)
    assert recipients == ["aigerim@gov.kz", "ivan@gov.kz"]
    message = smtp_server.messages[0][1]
    assert message["Subject"] == "Приглашение: Волна 2026"
    token = message.get_content().split("/i/", 1)[1].split()[0]
    assert db.session.scalar(db.select(Invitation).filter_by(token_hash=hash_token(token)))
