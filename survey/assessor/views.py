"""The assessor's pages: the bodies in scope with their assessments, opening an assessment for
a period, rating the criteria with notes and evidence, submitting, and the review.

Every route resolves its body or assessment through :func:`body_or_403` /
:func:`assessment_or_403` (the scope rules of :mod:`survey.assessments.scope`); writes go
through :mod:`survey.assessments` and are committed once, here."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..access import may_assess as may_author
from ..access import may_edit_assessment as may_edit
from ..access import may_read_maturity as may_read
from ..access import may_review_assessment as may_review
from ..assessments import drafts, review
from ..assessments.checklist import items_of
from ..assessments.errors import AssessmentError
from ..extensions import db
from ..models import Assessment, Organisation
from ..questionnaires.reference import expert_checklists, maturity_model
from . import bp
from .forms import PeriodForm, RatingsForm, ReviewForm, read_ratings
from .texts import dimension_names, local


def body_or_403(organisation_id: int) -> Organisation:
    organisation = db.get_or_404(Organisation, organisation_id)
    if not may_read(current_user, organisation.id):
        abort(403)
    return organisation


def assessment_or_403(assessment_id: int) -> Assessment:
    assessment = db.get_or_404(Assessment, assessment_id)
    if not may_read(current_user, assessment.organisation_id):
        abort(403)
    return assessment


@bp.get("/")
def index() -> ResponseReturnValue:
    """The bodies this account may read, each with its assessments."""
    bodies = [o for o in db.session.scalars(db.select(Organisation).order_by(Organisation.code))
              if may_read(current_user, o.id)]
    assessments = db.session.scalars(
        db.select(Assessment).where(Assessment.organisation_id.in_([o.id for o in bodies]))
        .order_by(Assessment.period_start.desc())).all() if bodies else []
    by_body = {o.id: [a for a in assessments if a.organisation_id == o.id] for o in bodies}
    return render_template("assessor/index.html", bodies=bodies, by_body=by_body,
                           may_author=lambda o: may_author(current_user, o.id),
                           may_review=lambda a: may_review(current_user, a))


@bp.route("/bodies/<int:organisation_id>/assessments/new", methods=["GET", "POST"])
def new_assessment(organisation_id: int) -> ResponseReturnValue:
    """Open a draft assessment of the body's project office for a period."""
    organisation = body_or_403(organisation_id)
    if not may_author(current_user, organisation.id):
        abort(403)
    form = PeriodForm()
    if form.validate_on_submit():
        try:
            assessment = drafts.open_assessment(organisation, form.period_start.data,
                                                form.period_end.data, current_user,
                                                expert_checklists())
        except AssessmentError as error:
            db.session.rollback()
            getattr(form, error.field or "period_start").errors.append(error.message())
        else:
            db.session.commit()
            flash(_("The assessment was opened as a draft."), "success")
            return redirect(url_for("assessor.assessment", assessment_id=assessment.id))
    return render_template("assessor/new.html", organisation=organisation, form=form), \
        400 if form.is_submitted() else 200


def _page(assessment: Assessment, ratings: RatingsForm | None = None,
          review_form: ReviewForm | None = None, error: str | None = None,
          status: int = 200) -> ResponseReturnValue:
    loaded = expert_checklists()
    saved = {r.criterion: r for r in assessment.ratings}
    if may_edit(current_user, assessment):
        items = items_of(loaded, assessment)
    else:  # what was rated, named by the loaded checklists (the id if a criterion is gone)
        by_id = {c.id: c for d in loaded.expert.checklists.dimensions for c in d.criteria}
        items = [(r, by_id.get(r.criterion)) for r in assessment.ratings]
    return render_template(
        "assessor/assessment.html", assessment=assessment, items=items, saved=saved,
        ratings=ratings or RatingsForm(), editable=may_edit(current_user, assessment),
        reviewable=may_review(current_user, assessment),
        review_form=review_form or ReviewForm(), error=error, local=local,
        dimension_label=dimension_names(maturity_model().data).get,
        same_version=assessment.rubric_hash == loaded.digest,
    ), status


@bp.get("/assessments/<int:assessment_id>")
def assessment(assessment_id: int) -> ResponseReturnValue:
    """The assessment: a form while its author may edit it, else what was rated."""
    return _page(assessment_or_403(assessment_id))


@bp.post("/assessments/<int:assessment_id>")
def save_assessment(assessment_id: int) -> ResponseReturnValue:
    """Save the draft ("save") or save and hand it to a reviewer ("submit")."""
    assessment = assessment_or_403(assessment_id)
    if not may_edit(current_user, assessment):
        abort(403)
    loaded = expert_checklists()
    ratings = read_ratings(request.form, items_of(loaded, assessment))
    if ratings.errors:
        return _page(assessment, ratings, error=_("Some fields need correcting; nothing was "
                                                  "saved yet."), status=400)
    try:
        drafts.save_draft(assessment, current_user, ratings.entries, loaded)
        if request.form.get("action") == "submit":
            drafts.submit(assessment, current_user, loaded)
    except AssessmentError as error:
        db.session.rollback()
        if error.field:
            ratings.errors[error.field] = error.message()
        assessment = db.session.get(Assessment, assessment_id)
        return _page(assessment, ratings, error=error.message(), status=400)
    db.session.commit()
    flash(_("The assessment was submitted for review.") if assessment.status == "submitted"
          else _("The draft was saved."), "success")
    return redirect(url_for("assessor.assessment", assessment_id=assessment.id))


@bp.post("/assessments/<int:assessment_id>/review")
def review_assessment(assessment_id: int) -> ResponseReturnValue:
    """Confirm a submitted assessment, or return it to its author with a reason."""
    assessment = assessment_or_403(assessment_id)
    if not may_review(current_user, assessment):
        abort(403)
    form = ReviewForm()
    decision = request.form.get("decision")
    if decision not in ("confirm", "return") or not form.validate_on_submit():
        return _page(assessment, review_form=form, error=_("Choose to confirm or to return "
                                                           "the assessment."), status=400)
    try:
        if decision == "confirm":
            review.confirm(assessment, current_user)
        else:
            review.return_to_author(assessment, current_user, form.reason.data or "")
    except AssessmentError as error:
        db.session.rollback()
        form.reason.errors = [error.message()]
        assessment = db.session.get(Assessment, assessment_id)
        return _page(assessment, review_form=form, error=error.message(), status=400)
    db.session.commit()
    flash(_("The assessment was confirmed; its scores are now locked.")
          if decision == "confirm" else _("The assessment was returned to its author."),
          "success")
    return redirect(url_for("assessor.assessment", assessment_id=assessment.id))

