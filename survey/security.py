"""What every response and request goes through: the client's real address behind trusted
proxies, secure cookies, security headers, no caching of personal pages, login limits per
address, and invitation tokens kept out of access logs.

* **Proxies.** ``TRUSTED_PROXIES`` hops of ``X-Forwarded-For``/``-Proto`` are believed
  (werkzeug's ``ProxyFix``); with 0 the connecting address is the client's.
* **Headers.** Flask-Talisman sets a Content-Security-Policy with no inline script or style
  attribute allowed, ``frame-ancestors 'none'``, ``nosniff``, ``Referrer-Policy: no-referrer``
  (an invitation link carries its token, which must not leak to another site) and
  Strict-Transport-Security on HTTPS responses. Every page but the static files is
  ``Cache-Control: no-store`` unless it says otherwise.
* **Limits.** Flask-Limiter counts login attempts per client address (``LOGIN_RATE_LIMIT``) in
  ``RATELIMIT_STORAGE_URI`` (memory by default, Redis via ``REDIS_URL``); each refusal is in
  the audit log as ``login_throttled``. The per-account delay is in :mod:`survey.accounts.users`.
* **Logs.** :func:`redact` replaces the token of ``/i/<token>`` paths in werkzeug's request
  log and, through :class:`RedactingGunicornLogger`, in gunicorn's access log.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from gunicorn.glogging import Logger as GunicornLogger
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import db

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# One limiter for the routes' decorators; each app binds it to its own storage.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# "/i/<token>" as typed, and percent-encoded inside a query string (?next=%2Fi%2F<token>).
_TOKEN_PATH = re.compile(r"((?:/|%2[fF])i(?:/|%2[fF]))[A-Za-z0-9_\-]{8,}")


def redact(text: str) -> str:
    """``text`` with every invitation token replaced by ``[token]``."""
    return _TOKEN_PATH.sub(r"\1[token]", text)


def development(app: Flask) -> bool:
    return bool(app.debug or app.testing or os.environ.get("QABILET_DEVELOPMENT"))


def configure_security(app: Flask) -> None:
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not development(app)
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    hsts = int(app.config["HSTS_SECONDS"])
    # One Talisman per app: it keeps its options on itself.
    Talisman(
        app,
        force_https=False,  # the proxy in front redirects; the app must answer /health plainly
        strict_transport_security=hsts > 0,
        strict_transport_security_max_age=hsts,
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="no-referrer",
        session_cookie_secure=bool(app.config["SESSION_COOKIE_SECURE"]),
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    limiter.init_app(app)
    app.after_request(_no_store)
    _install_log_redaction()


def _no_store(response: Response) -> Response:
    """Personal pages (results, staff pages, invitation pages) are never kept by a browser or a
    proxy; static files and responses that set their own policy are left alone."""
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def login_limit() -> str:
    """The per-address login limit, from the configuration at request time."""
    from flask import current_app

    return str(current_app.config["LOGIN_RATE_LIMIT"])


def record_throttled(limit: RequestLimit) -> None:
    """Flask-Limiter's ``on_breach``: the refusal goes into the audit log."""
    from .models import AuditEntry

    db.session.add(AuditEntry(action="login_throttled", remote_addr=request.remote_addr,
                              details={"limit": str(limit.limit)}))
    db.session.commit()


# --- Logs -----------------------------------------------------------------------------------


class _RedactTokens(logging.Filter):
    """Rewrites werkzeug's request lines (``"GET /i/<token> HTTP/1.1" 200 -``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def _install_log_redaction() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _RedactTokens) for f in logger.filters):
        logger.addFilter(_RedactTokens())


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger with tokens taken out of the request line, path, query and referrer
    of every access-log line: ``gunicorn --logger-class survey.security.RedactingGunicornLogger``."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        # Every text atom: the request line, path, query, referrer and the {…}i/{…}e forms.
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()}
