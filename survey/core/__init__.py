"""Public pages every audience shares: home, language switch, health check."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from . import views  # noqa: E402,F401
