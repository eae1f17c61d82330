"""A finished attempt packed into its ``AttemptResult``: answers as bytes, plus the scores.

The arithmetic is ``analysis/`` (scale scores with reverse keying, item scoring, proficiency per
competence, the culture score); this module only turns answer rows into the arrays it takes and
its results into the packed row documented in ``survey/models/response.py``.

The maturity model (weights, bands, proficiency rule) is the one ``questionnaires load`` stored.
Without it a result still gets its scale scores and competence levels (by the model's default
rule), but no culture score.
"""

from __future__ import annotations

import math

import numpy as np

from analysis.model import MaturityModel, ProficiencyRule
from analysis.people import score_people
from analysis.testscoring import score_item

from ..extensions import db
from ..models import Answer, Attempt, AttemptResult, Competence, Invitation
from ..questionnaires.reference import loaded_maturity_model
from .layout import ItemView, layout

NAN = float("nan")


# --- answers as values the analysis functions take -------------------------------------------

def likert_value(value: str | None) -> float:
    """A stored Likert answer as 1.0..5.0, or nan."""
    return float(value) if value and value.isdigit() and 1 <= int(value) <= 5 else NAN


def chosen(item: ItemView, value: str | None) -> list[str] | str | None:
    """A stored test answer as :func:`analysis.testscoring.score_item` takes it (None = no answer)."""
    if not value:
        return None
    if item.type == "multiple":
        return [part for part in value.split(",") if part]
    return value


def choice_byte(item: ItemView, value: str | None) -> int:
    """The packed byte of one test answer (see ``AttemptResult``)."""
    if not value:
        return 0
    if item.type == "true_false":
        return {"false": 1, "true": 2}.get(value, 0)
    ids = [option.id for option in item.options]
    if item.type == "single":
        return ids.index(value) + 1 if value in ids else 0
    mask = 0
    for part in value.split(","):
        if part in ids:
            mask |= 1 << ids.index(part)
    return mask


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


# --- packing -----------------------------------------------------------------------------------

def pack_attempt(attempt: Attempt) -> AttemptResult:
    """Build (and add to the session) the packed result of a finished attempt.

    Scores come from :func:`analysis.people.score_people` on this one row — the function the
    HR pages apply to every packed row — so a stored score and a dashboard score agree."""
    campaign = attempt.campaign
    values = dict(
        db.session.execute(
            db.select(Answer.item_id, Answer.value).where(Answer.attempt_id == attempt.id)
        ).all()
    )
    loaded = loaded_maturity_model()
    model = loaded.model if loaded else None
    rule = model.proficiency_rule if model else ProficiencyRule()
    result = AttemptResult(
        attempt_id=attempt.id,
        campaign_id=attempt.campaign_id,
        organisation_id=attempt.organisation_id,
        unit_id=attempt.unit_id,
        position_category_id=attempt.position_category_id,
        person_id=_person_id(attempt),
        language=attempt.language,
        survey_version_id=campaign.survey_version_id,
        test_version_id=campaign.test_version_id,
        finished_at=attempt.finished_at,
    )
    survey_items = layout(campaign.survey_version_id).items if campaign.survey_version_id else ()
    test_items = layout(campaign.test_version_id).items if campaign.test_version_id else ()
    answers = np.array([[likert_value(values.get(item.id)) for item in survey_items]],
                       dtype=float).reshape(1, len(survey_items))
    correct = np.array([[
        float(score_item(item.type, item.key, chosen(item, values.get(item.id)),
                         rule.multiple_choice))
        for item in test_items
    ]], dtype=float).reshape(1, len(test_items))
    taken = attempt.test_started_at is not None
    if not taken:
        correct[:] = np.nan
    if survey_items:
        result.survey_answers = bytes(0 if math.isnan(v) else int(v) for v in answers[0])
    if test_items:
        result.test_choices = bytes(choice_byte(item, values.get(item.id)) for item in test_items)
        result.test_correct = bytes(0 if math.isnan(v) else int(v) for v in correct[0])
    scale_ids = tuple(dict.fromkeys(item.scale for item in survey_items if item.scale))
    competences = db.session.execute(
        db.select(Competence.id, Competence.code).order_by(Competence.position)
    ).all()
    index = {cid: i for i, (cid, _code) in enumerate(competences)}
    person = score_people(
        model or _SCALES_ONLY,
        scale_ids,
        answers,
        [scale_ids.index(item.scale) for item in survey_items],
        [bool(item.reverse) for item in survey_items],
        correct,
        [index[item.competence_id] for item in test_items],
        [item.level or 1 for item in test_items],
        len(competences),
        [taken],
        np.zeros((0, len(competences)), dtype=np.int64),
        [-1],
    )
    if survey_items:
        result.scale_scores = {sid: _finite(person.scales[0, i]) for i, sid in enumerate(scale_ids)}
    if test_items:
        result.competence_levels = {
            code: int(person.levels[0, i]) for i, (_cid, code) in enumerate(competences)
            if person.levels[0, i] > 0
        }
    if model is not None:
        result.culture_score = _finite(person.culture[0])
        result.culture_level = int(person.culture_level[0]) or None
    db.session.add(result)
    return result


# Without a loaded model a result still gets its scale scores and competence levels (by the
# default proficiency rule), but no culture score: a model whose sub-scores need nothing.
_SCALES_ONLY = MaturityModel((1.0, 1.5, 2.5, 3.5, 4.5), (), (), ProficiencyRule())


def _person_id(attempt: Attempt) -> int | None:
    """Only identified campaigns link a result to a person (anonymous attempts have no
    invitation)."""
    if attempt.invitation_id is None or attempt.campaign.anonymous:
        return None
    return db.session.scalar(
        db.select(Invitation.person_id).where(Invitation.id == attempt.invitation_id)
    )
