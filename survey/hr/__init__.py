"""HR units: dashboards, competency gaps, comparisons and exports."""

from flask import Blueprint

bp = Blueprint("hr", __name__, url_prefix="/hr")

from . import quality_views, views  # noqa: E402,F401
