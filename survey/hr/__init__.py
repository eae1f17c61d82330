"""HR units: dashboards, competency gaps, comparisons and exports."""

from flask import Blueprint

bp = Blueprint("hr", __name__, url_prefix="/hr")

from . import views  # noqa: E402,F401
