"""Trainer pages."""

from flask import render_template

from ..auth.session import roles_required
from . import bp


@bp.get("/")
@roles_required("admin", "trainer")
def index():
    """Training needs of the organisations this user may see."""
    return render_template("trainer/index.html")
