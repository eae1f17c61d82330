"""What a civil servant sees: invitation landing, survey and test pages, personal result."""

from flask import Blueprint

bp = Blueprint("respondent", __name__)

from . import result, testpages, views  # noqa: E402,F401
