"""Staff accounts from the command line, and logging in with them."""

from __future__ import annotations

from survey.extensions import db
from survey.models import AuditEntry, User
from tests import factories as f

PASSWORD = "correct horse battery"


def create(runner, *args, password=PASSWORD):
    return runner.invoke(
        args=["users", "create", *args, "--password", password]
    )


def test_an_admin_account_is_created_with_a_hashed_password(runner, app):
    result = create(runner, "--email", "Admin@Example.kz", "--name", "Admin", "--role", "admin")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert user.email == "admin@example.kz"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_an_hr_account_is_scoped_to_its_organisations(runner, app):
    f.organisation("mdd")
    f.organisation("akimat")
    db.session.commit()
    result = create(runner, "--email", "hr@example.kz", "--name", "HR", "--role", "hr",
                    "--org", "mdd")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert [o.code for o in user.organisations] == ["mdd"]


def test_unknown_organisation_duplicate_e_mail_and_short_password_are_refused(runner, app):
    result = create(runner, "--email", "a@example.kz", "--name", "A", "--role", "hr",
                    "--org", "nope")
    assert result.exit_code != 0
    assert "no organisation with code 'nope'" in result.output
    assert create(runner, "--email", "a@example.kz", "--name", "A", "--role", "hr").exit_code == 0
    again = create(runner, "--email", "A@example.kz", "--name", "B", "--role", "trainer")
    assert again.exit_code != 0
    assert "already exists" in again.output
    short = create(runner, "--email", "b@example.kz", "--name", "B", "--role", "hr",
                   password="short")
    assert short.exit_code != 0
    assert "at least 10 characters" in short.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_wrong_passwords_slow_the_account_down_but_never_lock_the_owner_out(runner, client,
                                                                          auth):
    from datetime import timedelta

    from survey.models._types import utcnow

    create(runner, "--email", "hr@example.kz", "--name", "HR", "--role", "hr")
    wrong = auth.login("hr@example.kz", "not the password", headers={"Accept-Language": "ru"})
    assert wrong.status_code == 401
    assert "Неверная электронная почта или пароль." in wrong.get_data(as_text=True)
    for _ in range(3):  # the fourth failure in a row is the first to cost a wait
        auth.login("hr@example.kz", "not the password", headers={"Accept-Language": "en"})
    user = db.session.scalar(db.select(User).filter_by(email="hr@example.kz"))
    wait = user.locked_until - utcnow()
    assert timedelta(0) < wait <= timedelta(seconds=1)
    delayed = auth.login("hr@example.kz", PASSWORD, headers={"Accept-Language": "kk"})
    assert delayed.status_code == 429
    assert "тіркелгімен тым көп сәтсіз әрекет жасалды" in delayed.get_data(as_text=True)
    # Once the wait has passed, the right password opens the account.
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert auth.login("hr@example.kz", PASSWORD).status_code == 302
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert actions.count("login_failed") == 4
    assert actions.count("login_delayed") == 1
    assert actions.count("login") == 1


def test_the_wait_doubles_and_stops_at_a_minute(app):
    from datetime import timedelta

    from survey.accounts.users import login_delay

    assert [login_delay(n).total_seconds() for n in range(1, 9)] == [0, 0, 0, 1, 2, 4, 8, 16]
    assert login_delay(50) == timedelta(seconds=60)
    assert login_delay(10**6) == timedelta(seconds=60)


def test_the_right_password_logs_in_and_logout_needs_a_post(runner, client, auth):
    create(runner, "--email", "tr@example.kz", "--name", "Trainer", "--role", "trainer")
    response = auth.login("tr@example.kz", PASSWORD, headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/trainer/"
    assert client.get("/trainer/").status_code == 200
    assert client.get("/hr/").status_code == 403
    assert client.get("/staff/logout").status_code == 405
    assert client.post("/staff/logout").status_code == 302
    assert client.get("/trainer/").status_code == 302  # back to the login page


def test_many_attempts_from_one_address_are_refused_and_recorded(runner, client, auth, app):
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    create(runner, "--email", "hr@example.kz", "--name", "HR", "--role", "hr")
    for n in range(5):
        assert auth.login(f"guess{n}@example.kz", "anything at all").status_code == 401
    refused = auth.login("hr@example.kz", PASSWORD, headers={"Accept-Language": "ru"})
    assert refused.status_code == 429
    assert "Слишком много попыток" in refused.get_data(as_text=True)
    user = db.session.scalar(db.select(User).filter_by(email="hr@example.kz"))
    assert user.locked_until is None  # the account itself was never the target
    throttled = db.session.scalars(db.select(AuditEntry).filter_by(action="login_throttled")).all()
    assert [(e.remote_addr, e.details["limit"]) for e in throttled] == [("127.0.0.1",
                                                                         "5 per 1 minute")]
    other = auth.login("hr@example.kz", PASSWORD, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 302
