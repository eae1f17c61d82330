"""Administration pages."""

from flask import render_template

from ..auth.session import roles_required
from . import bp


@bp.get("/")
@roles_required("admin")
def index():
    """Where an administrator starts."""
    return render_template("admin/index.html")
