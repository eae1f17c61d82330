"""The personal result of a finished attempt, read from its packed ``AttemptResult``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from analysis.training import course_needs

from ..extensions import db
from ..i18n import level_name, pick
from ..models import AttemptResult, Competence, Course, RequiredLevel
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


@dataclass
class PersonalResult:
    culture_score: float | None = None
    culture_level: int | None = None
    level_name: str = ""
    level_description: str = ""
    recommendation: str = ""
    subscores: list[tuple[str, float | None]] = field(default_factory=list)
    competences: list[CompetenceRow] = field(default_factory=list)
    correct_count: int = 0
    item_count: int = 0
    missed: list[Missed] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)


def personal_result(attempt: Attempt, campaign: Campaign) -> PersonalResult:
    """Everything the result page shows, in the current language."""
    packed = db.session.get(AttemptResult, attempt.id)
    out = PersonalResult()
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
        by_level = (data.get("recommendations") or {}).get("by_level") or {}
        # Stored as JSON, so the level keys may have become strings.
        out.recommendation = pick(
            by_level.get(packed.culture_level) or by_level.get(str(packed.culture_level))
        )
    _subscores(out, packed, campaign, data)
    if packed.test_version_id:
        _test(out, attempt, packed)
    return out


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


def _test(out: PersonalResult, attempt: Attempt, packed: AttemptResult) -> None:
    levels = packed.competence_levels or {}
    competences = db.session.scalars(db.select(Competence).order_by(Competence.position)).all()
    required = dict(
        db.session.execute(
            db.select(RequiredLevel.competence_id, RequiredLevel.level)
            .where(RequiredLevel.profile_id == attempt.position_category_id)
        ).all()
    )
    test = layout(packed.test_version_id)
    used = {item.competence_id for item in test.items}
    for competence in competences:
        if competence.id in used:
            out.competences.append(
                CompetenceRow(competence.name, levels.get(competence.code),
                              required.get(competence.id))
            )
    correct = packed.test_correct or b""
    choices = packed.test_choices or b""
    out.item_count = len(test.items)
    out.correct_count = sum(correct)
    for index, item in enumerate(test.items):
        if index < len(correct) and correct[index]:
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
