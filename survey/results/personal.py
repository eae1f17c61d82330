"""The personal result of a finished attempt, read from its packed ``AttemptResult``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from analysis.selfrating import confidence_gaps
from analysis.training import course_needs

from ..extensions import db
from ..i18n import level_name, pick
from ..models import AttemptResult, Competence, Course, Invitation, Person, RequiredLevel
from ..questionnaires.reference import catalogue_courses, loaded_maturity_model
from ..responses.layout import layout, option_order

if TYPE_CHECKING:
    from ..models import Attempt, Campaign
    from ..responses.layout import ItemView


@dataclass
class CompetenceRow:
    name: str
    measured: int | None
    required: int | None
    probability: float | None = None  # adaptive: how sure the level is (posterior probability)
    self_rated: int | None = None
    self_gap: float | None = None  # self-rated − tested: > 0 over-, < 0 under-confident

    @property
    def percent(self) -> int | None:
        return None if self.probability is None else round(100 * self.probability)

    @property
    def gap(self) -> int:
        if not self.measured or not self.required:
            return 0
        return max(self.required - self.measured, 0)


@dataclass
class Missed:
    question: str
    given: str | None
    correct: str
    explanation: str


# Addressed to the person, by culture level: what they can do next (the maturity model's own
# recommendations are written for the organisation and stay on the HR reports).
PERSONAL_ADVICE = {
    1: _l("Start with the basics: make sure you can sign documents with your EDS, work in the "
          "electronic document system and follow the information-security rules. The courses "
          "below are a good first step."),
    2: _l("You use the main digital tools; the next step is to use them every day and to try "
          "the services your colleagues already rely on. Take the recommended courses and ask "
          "a colleague to show you one new tool."),
    3: _l("You use digital tools confidently. Share what works with your colleagues and take "
          "part in your unit's digital projects; the recommended courses close the remaining "
          "gaps."),
}
ADVICE_LEVEL = {1: 1, 2: 1, 3: 2, 4: 3, 5: 3}


@dataclass
class PersonalResult:
    person_name: str | None = None
    culture_score: float | None = None
    culture_level: int | None = None
    level_name: str = ""
    level_description: str = ""
    recommendation: str = ""
    subscores: list[tuple[str, float | None]] = field(default_factory=list)
    competences: list[CompetenceRow] = field(default_factory=list)
    correct_count: int = 0
    item_count: int = 0
    adaptive: bool = False
    self_rated: bool = False
    missed: list[Missed] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)


def personal_result(attempt: Attempt, campaign: Campaign) -> PersonalResult:
    """Everything the result page shows, in the current language."""
    packed = db.session.get(AttemptResult, attempt.id)
    out = PersonalResult(person_name=_person_name(attempt, campaign))
    if packed is None:
        return out
    loaded = loaded_maturity_model()
    data = loaded.data if loaded else {}
    if packed.culture_level:
        out.culture_score = packed.culture_score
        out.culture_level = packed.culture_level
        out.level_name = level_name(data, packed.culture_level)
        for entry in data.get("levels") or []:
            if entry.get("level") == packed.culture_level:
                out.level_description = pick(entry.get("description"))
        out.recommendation = str(PERSONAL_ADVICE[ADVICE_LEVEL.get(packed.culture_level, 3)])
    _subscores(out, packed, campaign, data)
    if packed.test_version_id:
        _test(out, attempt, packed, _self_ratings(packed))
    return out


def _self_ratings(packed: AttemptResult) -> dict[int, int]:
    """Competence id → the self-rated level 1..5 of the packed survey answers."""
    if not packed.survey_version_id or not packed.survey_answers:
        return {}
    items = layout(packed.survey_version_id).items
    answers = packed.survey_answers
    return {item.competence_id: answers[item.index] for item in items
            if item.type == "self_rating" and item.index < len(answers) and answers[item.index]}


def _person_name(attempt: Attempt, campaign: Campaign) -> str | None:
    """The person's name in an identified campaign; never in an anonymous one (not stored)."""
    if campaign.anonymous or attempt.invitation_id is None:
        return None
    return db.session.scalar(
        db.select(Person.full_name).join(Invitation, Invitation.person_id == Person.id)
        .where(Invitation.id == attempt.invitation_id)
    )


def _subscores(out: PersonalResult, packed: AttemptResult, campaign: Campaign,
               data: dict) -> None:
    scores = packed.scale_scores or {}
    names = layout(campaign.survey_version_id).scale_names() if campaign.survey_version_id else {}
    for entry in data.get("culture_subscores") or []:
        source = str(entry.get("source", ""))
        if source.startswith("scale:"):
            out.subscores.append((pick(entry.get("name")), scores.get(source[6:])))
    if not out.subscores:
        out.subscores = [(pick(names.get(sid)) or sid, score) for sid, score in scores.items()]


def _test(out: PersonalResult, attempt: Attempt, packed: AttemptResult,
          ratings: dict[int, int]) -> None:
    levels = packed.competence_levels or {}
    estimates = packed.competence_estimates or {}
    out.adaptive, out.self_rated = bool(estimates), bool(ratings)
    competences = db.session.scalars(db.select(Competence).order_by(Competence.position)).all()
    required = dict(
        db.session.execute(
            db.select(RequiredLevel.competence_id, RequiredLevel.level)
            .where(RequiredLevel.profile_id == attempt.position_category_id)
        ).all()
    )
    test = layout(packed.test_version_id)
    used = {item.competence_id for item in test.items}
    shown = [c for c in competences if c.id in used]
    gaps = confidence_gaps([[ratings.get(c.id, 0) for c in shown]],
                           [[levels.get(c.code, 0) for c in shown]])[0]
    for position, competence in enumerate(shown):
        estimate = estimates.get(competence.code) or {}
        out.competences.append(
            CompetenceRow(competence.name, levels.get(competence.code),
                          required.get(competence.id), estimate.get("probability"),
                          ratings.get(competence.id),
                          None if np.isnan(gaps[position]) else float(gaps[position]))
        )
    correct = packed.test_correct or b""
    choices = packed.test_choices or b""
    # Byte 2: not presented (outside the linear form, or never picked by the adaptive test).
    out.item_count = sum(1 for byte in correct if byte != 2)
    out.correct_count = sum(1 for byte in correct if byte == 1)
    for index, item in enumerate(test.items):
        if index >= len(correct) or correct[index] != 0:
            continue
        out.missed.append(_missed(item, choices[index] if index < len(choices) else 0,
                                  attempt.seed))
    required_row = [[required.get(c.id, 0) for c in competences]]
    measured_row = [[levels.get(c.code, 0) for c in competences]]
    catalogue = catalogue_courses([c.id for c in competences])
    needs = course_needs(catalogue, measured_row, required_row)
    wanted = {catalogue[j].id for j in np.flatnonzero(needs.need[0])}
    if wanted:
        out.courses = db.session.scalars(
            db.select(Course).where(Course.id.in_(wanted)).order_by(Course.code)
        ).all()


def _missed(item: ItemView, byte: int, seed: int) -> Missed:
    """A missed or skipped item with the person's answer, the right one and why."""
    lang = str(get_locale())
    if item.type == "true_false":
        labels = {True: str(_l("True")), False: str(_l("False"))}
        given = {1: labels[False], 2: labels[True]}.get(byte)
        key = item.key if isinstance(item.key, bool) else str(item.key).lower() == "true"
        correct = labels[key]
    else:
        options = item.options
        if item.type == "single":
            given = pick(options[byte - 1].texts, lang) if 0 < byte <= len(options) else None
        else:
            chosen = [pick(o.texts, lang) for i, o in enumerate(options) if byte & (1 << i)]
            given = "; ".join(chosen) or None
        keys = {item.key} if isinstance(item.key, str) else set(item.key or ())
        # In the order the person saw the options.
        correct = "; ".join(pick(o.texts, lang) for o in option_order(item, seed) if o.id in keys)
    return Missed(pick(item.texts, lang), given, correct, pick(item.explanations, lang))
