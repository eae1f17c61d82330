"""Administration: organisations, staff lists, campaigns, invitations, questionnaires, users,
the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import campaigns, invitations, questionnaires, views  # noqa: E402,F401
