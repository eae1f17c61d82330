"""Questionnaires: upload and validate a file, list the versions, preview a version in each
language exactly as a respondent sees it (read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ..access import ADMIN_ROLES, roles_required
from ..campaigns.audit import record
from ..extensions import db
from ..i18n import LANGUAGE_CODES, pick
from ..models import Competence, Questionnaire, QuestionnaireVersion
from ..questionnaires.loader import load_questionnaire
from ..questionnaires.problems import DefinitionError, Problem
from ..questionnaires.upload import Row, read_upload, rows
from . import bp
from .forms import QuestionnaireUploadForm

if TYPE_CHECKING:
    from werkzeug.datastructures import FileStorage

# True/false answers in the previewed language (not the administrator's).
TRUE_FALSE = {"kk": (("true", "Дұрыс"), ("false", "Бұрыс")),
              "ru": (("true", "Верно"), ("false", "Неверно")),
              "en": (("true", "True"), ("false", "False"))}


@bp.route("/questionnaires", methods=["GET", "POST"])
@roles_required(*ADMIN_ROLES)
def questionnaires() -> ResponseReturnValue:
    """Every questionnaire with its versions, and the upload form."""
    form = QuestionnaireUploadForm()
    problems: list[Row] = []
    if form.validate_on_submit():
        problems = _upload(form.file.data)
        if not problems:
            return redirect(url_for("admin.questionnaires"))
    listing = db.session.scalars(db.select(Questionnaire).order_by(Questionnaire.code)).all()
    return render_template("admin/questionnaires.html", form=form, questionnaires=listing,
                           problems=problems), \
        400 if form.is_submitted() else 200


def _upload(storage: FileStorage) -> list[Row]:
    """Validate and load one questionnaire file, whatever its name (its content says whether it
    is the survey or the test); if it is refused, every problem with its line and place in the
    administrator's language."""
    name = Path(storage.filename or "").name or "?"
    content = storage.read()  # at most MAX_CONTENT_LENGTH (config)
    text = None
    try:
        definition, text = read_upload(name, content)
        competences = {c.code: c for c in db.session.scalars(db.select(Competence))}
        unknown = [Problem.of(name, "item", item.id, "competence", "competence_not_loaded",
                              competence=item.competence)
                   for item in definition.items
                   if getattr(item, "competence", None) not in (None, *competences)]
        if unknown:
            raise DefinitionError(unknown)
    except DefinitionError as error:
        flash(_("The file was refused. Nothing was loaded."), "error")
        return rows(error.problems, text if text is not None else _text_of(content))
    version, new = load_questionnaire(definition, competences)
    record("questionnaire_uploaded", f"questionnaire:{definition.id}",
           {"version": version.number, "new": new, "file": name})
    db.session.commit()
    flash(_("Version %(number)s of %(code)s is loaded.", number=version.number,
            code=definition.id) if new else
          _("This content is already version %(number)s of %(code)s; nothing changed.",
            number=version.number, code=definition.id), "success")
    return []


def _text_of(content: bytes) -> str | None:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


@bp.get("/questionnaires/versions/<int:version_id>/preview/<language>")
@roles_required(*ADMIN_ROLES)
def preview(version_id: int, language: str) -> ResponseReturnValue:
    """The stored version's items as a respondent sees them, in one language, read-only."""
    if language not in LANGUAGE_CODES:
        abort(404)
    version = db.get_or_404(QuestionnaireVersion, version_id)
    definition = version.definition
    scale_labels = [(option["value"], pick(option["label"], language))
                    for option in definition.get("response_scale", [])]
    pages = []
    if version.questionnaire.kind == "survey":
        for scale in definition.get("scales", [{"id": None}]):
            items = [i for i in version.items if scale["id"] in (None, i.scale)]
            pages.append((pick(scale.get("name"), language), items))
    else:
        pages.append((None, version.items))
    return render_template("admin/preview.html", version=version, language=language,
                           pages=pages, scale_labels=scale_labels, pick=pick,
                           true_false=TRUE_FALSE[language],
                           intro=pick(definition.get("intro"), language),
                           title=pick(definition.get("title"), language))
