"""Trainers: training needs turned into a course plan."""

from flask import Blueprint

bp = Blueprint("trainer", __name__, url_prefix="/trainer")

from . import views  # noqa: E402,F401
