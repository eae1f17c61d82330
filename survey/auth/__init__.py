"""Staff login and logout, roles and organisation scope."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/staff")

from . import views  # noqa: E402,F401
