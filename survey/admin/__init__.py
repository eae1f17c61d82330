"""Administration: organisations, staff lists, campaigns, invitations, questionnaires, users,
the audit log."""

from flask import Blueprint

from ..access import HR_ROLES, guard

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Campaigns and invitations are for HR analysts too; admin-only pages say so on the view.
guard(bp, *HR_ROLES)

from . import campaigns, invitations, questionnaires, units, views  # noqa: E402,F401
