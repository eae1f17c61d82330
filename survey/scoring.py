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
from dataclasses import dataclass

import numpy as np

from analysis.culture import culture_scores, culture_subscores
from analysis.model import MaturityModel, ProficiencyRule, parse_maturity_model
from analysis.scales import scale_scores
from analysis.tests import proficiency_levels, score_item

from .extensions import db
from .models import Answer, Attempt, AttemptResult, Competence, Invitation, ReferenceDocument
from .questionnaires.loader import MATURITY_MODEL_KEY, maturity_model_content
from .respondent.layout import ItemView, Layout, layout

NAN = float("nan")


@dataclass(frozen=True)
class LoadedModel:
    """The loaded maturity model: its plain data (texts for pages) and its parsed rules."""

    data: dict
    model: MaturityModel


_model_cache: dict[str, LoadedModel] = {}


def maturity_model() -> LoadedModel | None:
    """The maturity model loaded by ``questionnaires load``, parsed once per content hash;
    None when it was never loaded."""
    digest = db.session.scalar(
        db.select(ReferenceDocument.content_hash).filter_by(key=MATURITY_MODEL_KEY)
    )
    if digest is None:
        return None
    found = _model_cache.get(digest)
    if found is None:
        data = maturity_model_content()
        found = LoadedModel(data, parse_maturity_model(data))
        _model_cache.clear()  # only the current model is ever needed
        _model_cache[digest] = found
    return found


# --- answers as values the analysis functions take -------------------------------------------

def likert_value(value: str | None) -> float:
    """A stored Likert answer as 1.0..5.0, or nan."""
    return float(value) if value and value.isdigit() and 1 <= int(value) <= 5 else NAN


def chosen(item: ItemView, value: str | None):
    """A stored test answer as :func:`analysis.tests.score_item` takes it (None = no answer)."""
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
    """Build (and add to the session) the packed result of a finished attempt."""
    campaign = attempt.campaign
    values = dict(
        db.session.execute(
            db.select(Answer.item_id, Answer.value).where(Answer.attempt_id == attempt.id)
        ).all()
    )
    loaded = maturity_model()
    rule = loaded.model.proficiency_rule if loaded else ProficiencyRule()
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
    scale_ids: list[str] = []
    scores = np.empty((1, 0))
    if campaign.survey_version_id:
        survey = layout(campaign.survey_version_id)
        scale_ids, scores = _score_survey(survey, values, rule, result)
    levels = None
    if campaign.test_version_id:
        levels = _score_test(
            layout(campaign.test_version_id), values, rule, attempt.test_started_at is not None,
            result,
        )
    if loaded is not None:
        known = [s.scale_id for s in loaded.model.culture_subscores if s.scale_id]
        if all(scale in scale_ids for scale in known):
            sub = culture_subscores(loaded.model, scale_ids, scores, levels)
            person = culture_scores(loaded.model, sub)
            result.culture_score = _finite(person.score[0])
            result.culture_level = int(person.level[0]) or None
    db.session.add(result)
    return result


def _person_id(attempt: Attempt) -> int | None:
    """Only identified campaigns link a result to a person (anonymous attempts have no
    invitation)."""
    if attempt.invitation_id is None or attempt.campaign.anonymous:
        return None
    return db.session.scalar(
        db.select(Invitation.person_id).where(Invitation.id == attempt.invitation_id)
    )


def _score_survey(survey: Layout, values: dict, rule: ProficiencyRule, result: AttemptResult):
    answers = np.array([[likert_value(values.get(item.id)) for item in survey.items]])
    result.survey_answers = bytes(
        0 if math.isnan(v) else int(v) for v in answers[0]
    )
    scale_ids = [s["id"] for s in survey.definition.get("scales") or []]
    for item in survey.items:
        if item.scale not in scale_ids:
            scale_ids.append(item.scale)
    item_scale = np.array([scale_ids.index(item.scale) for item in survey.items], dtype=int)
    reverse = np.array([item.reverse for item in survey.items], dtype=bool)
    scores = scale_scores(answers, item_scale, reverse, n_scales=len(scale_ids),
                          min_share=rule.missing_scale_items)
    result.scale_scores = {sid: _finite(scores[0, i]) for i, sid in enumerate(scale_ids)}
    return scale_ids, scores


def _score_test(test: Layout, values: dict, rule: ProficiencyRule, taken: bool,
                result: AttemptResult):
    correct = [
        score_item(item.type, item.key, chosen(item, values.get(item.id)), rule.multiple_choice)
        for item in test.items
    ]
    result.test_choices = bytes(choice_byte(item, values.get(item.id)) for item in test.items)
    result.test_correct = bytes(int(right) for right in correct)
    competence_ids = sorted({item.competence_id for item in test.items})
    codes = dict(
        db.session.execute(
            db.select(Competence.id, Competence.code).where(Competence.id.in_(competence_ids))
        ).all()
    )
    levels = proficiency_levels(
        np.array([correct], dtype=float),
        np.array([competence_ids.index(item.competence_id) for item in test.items]),
        np.array([item.level for item in test.items]),
        n_competences=len(competence_ids),
        pass_share=rule.pass_share,
        taken=np.array([taken]),
    )
    result.competence_levels = {
        codes[cid]: int(levels[0, i]) for i, cid in enumerate(competence_ids) if levels[0, i] > 0
    }
    return levels
