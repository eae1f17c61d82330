"""Trainers: training needs turned into a course plan."""

from flask import Blueprint

from ..access import TRAINER_ROLES, guard

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
guard(bp, *TRAINER_ROLES)

from . import views  # noqa: E402,F401
