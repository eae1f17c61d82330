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


def test_login_takes_staff_to_their_page_and_wrong_passwords_lock_the_account(runner, client, auth):
    create(runner, "--email", "hr@example.kz", "--name", "HR", "--role", "hr")
    wrong = auth.login("hr@example.kz", "not the password", headers={"Accept-Language": "ru"})
    assert wrong.status_code == 401
    assert "Неверная электронная почта или пароль." in wrong.get_data(as_text=True)
    for _ in range(4):
        auth.login("hr@example.kz", "not the password", headers={"Accept-Language": "en"})
    locked = auth.login("hr@example.kz", PASSWORD, headers={"Accept-Language": "kk"})
    assert locked.status_code == 401
    assert "Тіркелгі 15 минутқа бұғатталды" in locked.get_data(as_text=True)
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert actions.count("login_failed") == 5


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


def test_many_failures_from_one_address_are_refused_even_for_other_accounts(runner, client, auth):
    from survey.accounts.users import MAX_FAILED_PER_ADDRESS

    create(runner, "--email", "hr@example.kz", "--name", "HR", "--role", "hr")
    for n in range(MAX_FAILED_PER_ADDRESS):
        assert auth.login(f"guess{n}@example.kz", "anything at all", headers={"Accept-Language": "en"}).status_code == 401
    refused = auth.login("hr@example.kz", PASSWORD, headers={"Accept-Language": "ru"})
    assert refused.status_code == 429
    assert "Слишком много неудачных попыток с этого адреса" in refused.get_data(as_text=True)
    user = db.session.scalar(db.select(User).filter_by(email="hr@example.kz"))
    assert user.locked_until is None  # the account itself was never the target
    other = auth.login("hr@example.kz", PASSWORD, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 302
