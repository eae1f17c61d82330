"""HR units: dashboards, competency gaps, comparisons and exports."""

from flask import Blueprint

from ..access import HR_ROLES, guard

bp = Blueprint("hr", __name__, url_prefix="/hr")
guard(bp, *HR_ROLES)

from . import quality_views, report_print, views  # noqa: E402,F401
