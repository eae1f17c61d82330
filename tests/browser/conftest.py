"""Browser fixtures: the app served on loopback by a real WSGI server in a thread, and Debian's
chromium driven by Playwright (never a browser Playwright downloads)."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from survey import create_app
from tests.conftest import make_config

CHROMIUM = os.environ.get("QABILET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: run the tests with `make test`")
    from playwright.sync_api import sync_playwright

    # Playwright starts chromium with a new, empty profile of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class StaticReadWhole:
    """Static files read whole before they are sent. A browser that drops a stylesheet's
    request (the page moved on) would otherwise leave the file open in werkzeug's server,
    a ResourceWarning that fails the test at random. In production nginx serves them."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        body = self.app(environ, start_response)
        if not environ.get("PATH_INFO", "").startswith("/static/"):
            return body
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()


@pytest.fixture
def live_server(app):
    """The app under test, served over HTTP on a free loopback port for this test."""
    served = create_app(make_config(app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True))
    server = make_server("127.0.0.1", 0, StaticReadWhole(served), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    try:
        yield served
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with served.app_context():
            from survey.extensions import db

            db.engine.dispose()


@pytest.fixture
def base_url(live_server) -> str:
    return live_server.config["PUBLIC_BASE_URL"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
