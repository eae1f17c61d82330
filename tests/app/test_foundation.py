"""The factory, configuration, locale choice and error pages."""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import text

from survey import create_app
from survey.extensions import db
from tests.conftest import make_config


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("QABILET_SECRET_KEY", raising=False)
    monkeypatch.delenv("QABILET_DEVELOPMENT", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_database_url_from_the_environment_uses_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/qabilet")
    monkeypatch.setenv("SECRET_KEY", "s")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/qabilet"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "s")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/qabilet.sqlite"


def test_sqlite_runs_with_foreign_keys_and_the_write_ahead_log(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.parametrize(
    ("header", "expected"),
    [("ru-RU,ru;q=0.9", "ru"), ("en-GB,en;q=0.8", "en"), ("kk", "kk"), ("de-DE", "kk"), (None, "kk")],
)
def test_locale_follows_the_browser_then_the_default(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    page = client.get("/", headers=headers).get_data(as_text=True)
    assert f'<html lang="{expected}">' in page


def test_explicit_choice_beats_the_browser_and_is_kept(client):
    response = client.get("/language/ru?next=/staff/login", headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/login"
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Цифровая культура государственной службы" in page


def test_language_switch_refuses_other_sites_and_unknown_languages(client):
    assert client.get("/language/ru?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/language/ru?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/language/de").status_code == 404


@pytest.mark.parametrize(
    ("locale", "title"),
    [("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page not found")],
)
def test_not_found_page_is_in_the_users_language(client, locale, title):
    response = client.get("/no-such-page", headers={"Accept-Language": locale})
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_a_calm_page_and_no_trace(migrated_database):
    app = create_app(make_config(migrated_database, PROPAGATE_EXCEPTIONS=False))

    @app.get("/boom")
    def boom():
        raise ZeroDivisionError("secret internals")

    @app.get("/forbidden")
    def forbidden():
        abort(403)

    client = app.test_client()
    response = client.get("/boom", headers={"Accept-Language": "ru"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "В работе системы произошла ошибка" in body
    assert "Traceback" not in body
    assert "secret internals" not in body
    response = client.get("/forbidden", headers={"Accept-Language": "kk"})
    assert response.status_code == 403
    assert "Бұл бетке рұқсатыңыз жоқ" in response.get_data(as_text=True)


def test_pages_have_landmarks_a_skip_link_and_no_script_dependency(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="#main"' in page
    assert '<main id="main"' in page
    assert "<header" in page
    assert "<footer" in page
    assert "<nav" in page
    assert "<script" not in page


@pytest.mark.parametrize(
    ("locale", "value", "shown"),
    [("ru", 2.496, "2,49"), ("ru", 2.5, "2,50"), ("kk", 1.4999, "1,49"), ("en", 3.456, "3.45"),
     ("en", None, "—")],
)
def test_scores_are_cut_to_two_decimals_so_the_shown_value_matches_its_level(
        app, locale, value, shown):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(locale):
        assert app.jinja_env.filters["score"](value) == shown
