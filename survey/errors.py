"""Error pages in the user's language. No stack trace ever reaches a page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .questionnaires.reference import ReferenceDataMissing

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The file is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("This page cannot be shown yet"),
}
EXPLANATIONS = {
    400: _l("Please go back, check what you entered and try again."),
    403: _l("If you think you should have access, ask your administrator."),
    404: _l("The address may be mistyped, or the link may no longer be valid."),
    405: _l("Please go back and use the buttons on the page."),
    413: _l("Please upload a smaller file."),
    429: _l("Please wait a few minutes before trying again."),
    500: _l("Your answers that were already saved are safe. Please try again in a few minutes."),
    503: _l("Some data this page needs has not been set up. Please tell your administrator."),
}
# What an administrator must do, for each kind of reference data a page found missing.
MISSING_REFERENCE = {
    # i18n: The command at the end is typed as it is; do not translate it.
    "maturity_model": _l("The digital maturity model (levels, weights and recommendations) has "
                         "not been loaded into the database. An administrator should load the "
                         "questionnaire files with the command: flask --app survey questionnaires "
                         "load"),
}


def render_error(code: int, message: str | None = None) -> tuple[str, int]:
    """The error page for an HTTP status, in the page's language; ``message`` replaces the
    status's general explanation."""
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=TITLES.get(code, TITLES[500]),
            explanation=message or EXPLANATIONS.get(code, EXPLANATIONS[500]),
        ),
        code,
    )


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(ReferenceDataMissing)
    def _reference_missing(error: ReferenceDataMissing) -> tuple[str, int]:
        # Not a bug to trace: the deployment is incomplete. The page says what to do.
        app.logger.warning("Reference data missing on %s: %s", request.path, error)
        db.session.rollback()
        explanation = MISSING_REFERENCE.get(error.code)
        return render_error(503, str(explanation) if explanation else None)

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, str(_l("The form had expired. Please reload the page and submit it again."))
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> HTTPException | Response | tuple[str, int]:
        if error.code is None or error.code < 400:
            return error
        if error.code not in TITLES:
            return error.get_response()
        return render_error(error.code)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        # Log the trace for operators; the person sees a calm page in their language.
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        original = getattr(error, "original_exception", None)
        if isinstance(error, InternalServerError) and original is not None:
            app.logger.error("Original exception: %r", original)
        return render_error(500)
