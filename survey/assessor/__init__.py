from flask import Blueprint

bp = Blueprint("assessor", __name__, url_prefix="/assessor")

from . import maturity_views, views  # noqa: E402,F401  (routes)
