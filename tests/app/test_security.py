"""Security headers, no caching of personal pages, tokens out of the logs, the client's address
behind trusted proxies, and secure cookies outside development."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest

from survey import create_app
from survey.accounts.users import create_user
from survey.security import RedactingGunicornLogger, redact
from tests.conftest import STAFF_PASSWORD, make_config

TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"


def test_every_page_has_the_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP
    secure = client.get("/", base_url="https://qabilet.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_are_not_stored_but_static_files_may_be(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"
    assert client.get(f"/i/{TOKEN}/result").headers["Cache-Control"] == "no-store"
    static = client.get("/static/qabilet.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_no_template_has_an_inline_script_or_handler():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text, path
        assert " onclick=" not in text, path
        assert " style=" not in text, path


def test_the_timer_is_a_static_file(client):
    response = client.get("/static/timer.js")
    assert response.status_code == 200
    assert b"page-form" in response.data
    response.close()


def test_tokens_are_taken_out_of_werkzeug_and_gunicorn_logs(app, caplog):
    assert redact(f"GET /i/{TOKEN}/test/2?x=1 HTTP/1.1") == "GET /i/[token]/test/2?x=1 HTTP/1.1"
    assert redact(f"/language/kk?next=%2Fi%2F{TOKEN}") == "/language/kk?next=%2Fi%2F[token]"
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('%s - - "%s" %s -', "127.0.0.1",
                                           f"GET /i/{TOKEN} HTTP/1.1", "200")
    assert TOKEN not in caplog.text
    assert "/i/[token]" in caplog.text
    logger = RedactingGunicornLogger(SimpleNamespace(
        errorlog="-", loglevel="info", accesslog=None, syslog=False, logconfig=None,
        logconfig_dict={}, logconfig_json=None, capture_output=False, disable_redirect_access_to_syslog=False,
        access_log_format="", user=0, group=0, umask=0, worker_tmp_dir=None, statsd_host=None,
        dogstatsd_tags="", statsd_prefix=""))
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/i/{TOKEN}/result",
               "PATH_INFO": f"/i/{TOKEN}/result", "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_REFERER": f"https://q.example/i/{TOKEN}", "REMOTE_ADDR": "10.0.0.1"}
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=1))
    assert TOKEN not in repr(atoms)
    assert atoms["r"] == "GET /i/[token]/result HTTP/1.1"


@pytest.fixture
def proxied(migrated_database):
    """An app behind one trusted proxy, with a small login limit."""
    from survey.extensions import db
    from tests.conftest import empty_all_tables

    app = create_app(make_config(migrated_database, TRUSTED_PROXIES=1,
                                 LOGIN_RATE_LIMIT="3 per minute"))
    with app.app_context():
        create_user("hr@example.kz", "HR", STAFF_PASSWORD, "hr")
        db.session.commit()
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(proxied):
    from survey.extensions import db
    from survey.models import AuditEntry

    client = proxied.test_client()

    def login(address, password="wrong password!"):
        return client.post("/staff/login", data={"email": "hr@example.kz", "password": password},
                           headers={"X-Forwarded-For": address},
                           environ_base={"REMOTE_ADDR": "10.9.9.9"})  # the proxy's own

    assert [login("203.0.113.7").status_code for _ in range(4)] == [401, 401, 401, 429]
    # Another client behind the same proxy still logs in with the right password.
    assert login("198.51.100.2", STAFF_PASSWORD).status_code == 302
    entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert ("login_throttled", "203.0.113.7") in [(e.action, e.remote_addr) for e in entries]
    assert ("login", "198.51.100.2") in [(e.action, e.remote_addr) for e in entries]


def test_without_trusted_proxies_a_forwarded_address_is_not_believed(app, client):
    create_user("hr@example.kz", "HR", STAFF_PASSWORD, "hr")
    from survey.extensions import db
    from survey.models import AuditEntry

    db.session.commit()
    client.post("/staff/login", data={"email": "hr@example.kz", "password": "wrong password!"},
                headers={"X-Forwarded-For": "203.0.113.7"})
    assert db.session.scalar(db.select(AuditEntry.remote_addr)) == "127.0.0.1"


def test_cookies_are_secure_outside_development(monkeypatch, tmp_path):
    monkeypatch.delenv("QABILET_DEVELOPMENT", raising=False)
    production = create_app({"SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    plain = create_app({"SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "SESSION_COOKIE_SECURE": False})
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("QABILET_DEVELOPMENT", "1")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config[
        "SESSION_COOKIE_SECURE"] is False


def test_redis_url_points_the_limits_at_redis(monkeypatch):
    from survey.config import from_environment

    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    monkeypatch.delenv("QABILET_RATELIMIT_STORAGE_URI", raising=False)
    assert from_environment()["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/2"
