"""Qabilet: digital-culture surveys and digital-skill tests for civil servants."""

from __future__ import annotations

import os
from pathlib import Path

import flask_babel
from flask import Flask, g

from . import config as config_module
from .resources import resource_root

ROOT = resource_root()  # templates, translations, questionnaires, migrations


def create_app(config: dict | None = None) -> Flask:
    """Build the application: defaults, then ``instance/config.py``, then the environment,
    then ``config`` (tests pass theirs here)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    configure_settings(app, config)
    configure_shared_state(app)
    configure_security(app)
    configure_database(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_errors(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, config: dict | None) -> None:
    app.config.from_object(config_module.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("QABILET")
    app.config.update(config_module.from_environment())
    if config:
        app.config.update(config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing or os.environ.get("QABILET_DEVELOPMENT")):
            raise RuntimeError(
                "SECRET_KEY is not set: refusing to start without one outside development "
                "(set SECRET_KEY in the environment, or QABILET_DEVELOPMENT=1 on a workstation)"
            )
        app.config["SECRET_KEY"] = "development-only-not-secret"


def configure_shared_state(app: Flask) -> None:
    """Redis for the cache, rate limits and jobs when ``REDIS_URL`` is set; otherwise say that
    this process keeps them alone. Before :func:`configure_security`, whose limiter reads
    its storage."""
    import logging

    if config_module.shared_state(app.config) is None and not app.testing:
        logging.getLogger("survey").warning(
            "REDIS_URL is not set: the cache and rate limits live in this process only; run a "
            "single worker process (more are refused)")


def configure_security(app: Flask) -> None:
    from .params import install_converters
    from .security import configure_security as configure

    install_converters(app)  # before any route is added
    configure(app)


def configure_database(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        path = Path(app.instance_path) / "qabilet.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        # SQLite: a connection per thread, waits on a lock rather than failing at once.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}


def configure_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers the tables)
    from .access import load_user
    from .database import enable_sqlite_pragmas, ping_after_idle, render_migration_item
    from .extensions import babel, cache, csrf, db, login_manager, migrate, process_cache
    from .i18n import select_locale
    from .templating import install_templating

    # On SQLite too, so that a wrong value fails wherever it is first tried.
    idle = config_module.idle_seconds(app.config)
    db.init_app(app)
    with app.app_context():
        enable_sqlite_pragmas(db.engine)
        if db.engine.dialect.name != "sqlite":  # an SQLite file has no server to drop it
            ping_after_idle(db.engine, idle)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    babel.init_app(app, locale_selector=select_locale)
    cache.init_app(app)
    process_cache.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    install_templating(app)

    @app.before_request
    def _per_request_caches() -> None:
        # Locale and user are cached on ``g``, which lives as long as the app context. A request
        # normally has its own, but one pushed around several requests (tests, shell sessions)
        # would otherwise carry the first request's language and user into the next.
        flask_babel.refresh()
        g.pop("_login_user", None)


def configure_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .assessor import bp as assessor_bp
    from .auth import bp as auth_bp
    from .core import bp as core_bp
    from .hr import bp as hr_bp
    from .respondent import bp as respondent_bp
    from .trainer import bp as trainer_bp

    for blueprint in (core_bp, auth_bp, respondent_bp, hr_bp, trainer_bp, admin_bp, assessor_bp):
        app.register_blueprint(blueprint)


def configure_errors(app: Flask) -> None:
    from .errors import register_error_pages

    register_error_pages(app)


def configure_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
