"""Shared fixtures: an app on a migrated database (SQLite by default, PostgreSQL when
``QABILET_TEST_DATABASE_URL`` is set), its client and CLI runner, and ``auth``, the one
staff-login helper of every test package (flaskr's).

The schema is built once per run by the real Alembic migrations; each test then starts from
empty tables."""

from __future__ import annotations

import os
import tempfile

# Jobs run at once, inside the call that queues them (survey/jobs/queue.py reads this when
# first imported); the consumer's own tests start a real one in a subprocess.
os.environ["QABILET_JOBS_IMMEDIATE"] = "1"
os.environ.pop("REDIS_URL", None)

import flask_migrate  # noqa: E402
import pytest  # noqa: E402
from sqlalchemy import text  # noqa: E402

from survey import create_app  # noqa: E402
from survey.config import normalise_database_url  # noqa: E402
from survey.extensions import db  # noqa: E402

TEST_DATABASE_URL = os.environ.get("QABILET_TEST_DATABASE_URL")
# The password of every staff account the factories create.
STAFF_PASSWORD = "correct-horse-battery"


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if TEST_DATABASE_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return normalise_database_url(TEST_DATABASE_URL)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'qabilet-test.sqlite'}"


def make_config(database_uri: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        # Real Argon2id, at a cost that keeps hundreds of logins quick.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        # Tests log in far more often than a person; the limit's own tests lower it.
        "LOGIN_RATE_LIMIT": "10000 per minute",
        # A page read builds a due release itself, so a test sees it at once (the background
        # build has its own test).
        "RELEASE_BUILD": "inline",
        # Previewed staff lists, out of the repository's instance folder.
        "UPLOAD_FOLDER": os.path.join(tempfile.gettempdir(), f"qabilet-test-uploads-{os.getpid()}"),
        "MAIL_PER_MINUTE": 60000,
        **extra,
    }


@pytest.fixture(scope="session")
def migrated_database(database_uri: str) -> str:
    """Run every migration once, on the real engine of this run."""
    app = create_app(make_config(database_uri))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        flask_migrate.upgrade()
        db.engine.dispose()
    return database_uri


def empty_all_tables() -> None:
    tables = [t for t in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


@pytest.fixture
def app(migrated_database: str):
    app = create_app(make_config(migrated_database))
    with app.app_context():
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log a test client in and out through the real staff login form."""

    def __init__(self, client):
        self.client = client

    def login(self, who, password: str = STAFF_PASSWORD, language: str | None = None,
              **request):
        """Post the login form for ``who`` (an e-mail or a user); the response, whatever it is.
        ``language``: the page language chosen first, as a person would on the login page."""
        if language is not None:
            self.client.get(f"/language/{language}")
        email = getattr(who, "email", who)
        return self.client.post("/staff/login", data={"email": email, "password": password},
                                **request)

    def as_(self, who, language: str | None = None):
        """The client, logged in as ``who`` (the test fails when the login does not succeed)."""
        response = self.login(who, language=language)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return self.client

    def logout(self):
        return self.client.post("/staff/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)
