"""The production recipe, run: two app nodes behind nginx on one PostgreSQL (stock
durability) and one Redis, with the Huey consumer (deploy/stack.py, as the README describes).
Whatever one node learns, the other knows: a throttle, a fresh result past the cache, an
ended session, a campaign closed by the scheduler, and e-mail queued on one node and sent by
the consumer."""

from __future__ import annotations

import http.client
import importlib.util
import json
import re
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.admin.smtp import running_smtp_server

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'name="csrf_token" value="([^"]+)"')
FIELD = re.compile(r'name="(q\d+)" value="([^"]+)"')
ACTION = re.compile(r'<form method="post" id="page-form" action="([^"]+)"')

pytestmark = pytest.mark.slow


def load_stack():
    spec = importlib.util.spec_from_file_location("stack", ROOT / "deploy" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Browser:
    """Cookies, forms and no automatic redirects, from a chosen loopback address."""

    def __init__(self, source: str = "127.0.0.1"):
        self.source, self.cookies = source, {}

    def request(self, url: str, method: str = "GET", form: dict | None = None,
                cookies: dict | None = None):
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30,
                                                source_address=(self.source, 0))
        jar = self.cookies if cookies is None else cookies
        headers = {"Accept-Language": "en"}
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""),
                           body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if cookies is None:
                if value and "Max-Age=0" not in header and "expires=Thu, 01 Jan 1970" not in header:
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
        connection.close()
        return response.status, response.headers, text

    def csrf(self, url: str) -> str:
        _status, _headers, text = self.request(url)
        match = CSRF.search(text)
        assert match, f"no CSRF token on {url}"
        return match.group(1) or match.group(2)

    def login(self, base: str, email: str, password: str) -> int:
        token = self.csrf(f"{base}/staff/login")
        status, _h, _t = self.request(f"{base}/staff/login", "POST", {
            "csrf_token": token, "email": email, "password": password})
        return status


def respond(base: str, token: str, expected_pages: int) -> None:
    """One person through the survey-only path, as a browser would post the forms: each save
    answers with the next page (its form names its address), the last one with the result."""
    browser = Browser()
    link = f"{base}/i/{token}"
    status, _headers, html = browser.request(link, "POST", {"consent": "yes"})
    pages = 0
    while status == 200 and (address := ACTION.search(html)):
        assert "/survey/" in address.group(1), address.group(1)
        form = {name: "4" for name, _v in FIELD.findall(html)}
        form["action"] = "next"
        status, _headers, html = browser.request(base + address.group(1), "POST", form)
        pages += 1
    assert pages == expected_pages, pages  # every page of the survey, each saved
    assert status == 200, status
    assert f'<body data-address="/i/{token}/result">' in html, html[:300]


@pytest.fixture(scope="module")
def stack():
    with running_smtp_server() as (mailbox, port):
        module = load_stack()
        env = {"QABILET_MAIL_SERVER": "127.0.0.1", "QABILET_MAIL_PORT": str(port),
               "QABILET_ARGON2_TIME_COST": "1", "QABILET_ARGON2_MEMORY_COST": "1024"}
        # Its own folder under /tmp: PostgreSQL runs as its own user and must reach it.
        with module.Stack(nodes=2, env=env) as running:
            done = subprocess_json(running, "tests.app.stack_world", "6")
            running.world, running.mailbox = done, mailbox
            yield running


def subprocess_json(stack, module: str, *args: str) -> dict:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", module, *args], env=stack.env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_throttle_counted_on_node_a_holds_on_node_b(stack):
    a, b = stack.node_urls
    attacker = Browser(source="127.0.0.2")  # nginx passes the client's own address on
    for n in range(10):  # LOGIN_RATE_LIMIT: 10 per minute from one address
        assert attacker.login(a, f"nobody{n}@stack.kz", "wrong") == 401
    assert attacker.login(b, "admin@stack.kz", stack.world["password"]) == 429
    # Another address is not affected.
    assert Browser().login(b, "hr@stack.kz", stack.world["password"]) == 302


def test_a_session_ended_on_node_a_is_ended_on_node_b(stack):
    a, b = stack.node_urls
    admin = Browser()
    assert admin.login(a, "admin@stack.kz", stack.world["password"]) == 302
    assert admin.request(f"{b}/admin/")[0] == 200
    copy = dict(admin.cookies)
    csrf = admin.csrf(f"{a}/admin/")
    assert admin.request(f"{a}/staff/logout", "POST", {"csrf_token": csrf})[0] == 302
    # The old cookie, replayed on the other node, opens nothing.
    status, headers, _t = admin.request(f"{b}/admin/", cookies=copy)
    assert status == 302
    assert "/staff/login" in headers["Location"]


def test_a_new_result_on_node_a_is_fresh_on_node_b_past_the_cache(stack):
    a, b = stack.node_urls
    hr = Browser()
    assert hr.login(b, "hr@stack.kz", stack.world["password"]) == 302
    dashboard = f"{b}/hr/campaigns/{stack.world['campaign']}"
    for token in stack.world["tokens"][:4]:
        respond(a, token, stack.world["pages"])
    # Nothing released yet (these four wait for a group of five); that page is now cached.
    assert "Results waiting for the first release: 4." in hr.request(dashboard)[2]
    respond(a, stack.world["tokens"][4], stack.world["pages"])
    # The fifth result makes a release due; a page read has it built in the background
    # (RELEASE_BUILD = "background") and serves the latest release meanwhile, so node B shows
    # the new release within a few reads, never a stale cached page after it.
    deadline = time.monotonic() + 30
    page = hr.request(dashboard)[2]
    while "Results waiting for the next release: 0." not in page and time.monotonic() < deadline:
        time.sleep(0.5)
        page = hr.request(dashboard)[2]
    assert "Results waiting for the next release: 0." in page, page[page.find("<main"):][:3000]
    assert "5 respondents." in page


def test_e_mail_queued_on_one_node_is_sent_by_the_consumer(stack):
    admin = Browser()
    assert admin.login(stack.url, "admin@stack.kz", stack.world["password"]) == 302
    page = f"{stack.url}/admin/campaigns/{stack.world['campaign']}"
    csrf = admin.csrf(page)
    status, _h, _t = admin.request(f"{page}/send", "POST", {"csrf_token": csrf})
    assert status == 302
    deadline = time.monotonic() + 30
    while len(stack.mailbox.messages) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sorted(r[0] for r, _m in stack.mailbox.messages) == [
        "new0@gov.kz", "new1@gov.kz", "new2@gov.kz"]
    assert 'value="3"></progress> 3 / 3' in admin.request(page)[2]


def test_a_campaign_closed_by_the_scheduler_is_closed_on_every_node(stack):
    import psycopg

    with psycopg.connect(stack.database_url) as connection:
        connection.execute("UPDATE campaign SET closes_at = now() - interval '1 second' "
                           "WHERE id = %s", (stack.world["campaign"],))
    tick = stack.flask("jobs", "tick")
    assert json.loads(tick.stdout.strip().splitlines()[-1])["closed"] == ["stack"]
    token = stack.world["tokens"][5]
    for node in stack.node_urls:
        status, _h, text = Browser().request(f"{node}/i/{token}")
        assert "This survey closed on" in text, status


def test_gunicorn_refuses_several_workers_without_shared_state(monkeypatch):
    spec = importlib.util.spec_from_file_location("gunicorn_conf",
                                                  ROOT / "deploy" / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)

    class Server:
        class cfg:  # noqa: N801 (gunicorn's attribute name)
            workers = 3

    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(SystemExit, match="REDIS_URL is not set"):
        conf.on_starting(Server)
    Server.cfg.workers = 1
    conf.on_starting(Server)  # one process keeps its state consistently
    Server.cfg.workers = 3
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    conf.on_starting(Server)
