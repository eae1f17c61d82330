"""Expert assessments and the overall digital maturity of bodies."""

from flask import Blueprint

from ..access import MATURITY_ROLES, guard

bp = Blueprint("assessor", __name__, url_prefix="/assessor")
guard(bp, *MATURITY_ROLES)

from . import maturity_views, views  # noqa: E402,F401  (routes)
