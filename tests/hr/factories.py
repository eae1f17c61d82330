"""Builders for HR tests and the dashboard bench: questionnaires with scales and competences,
role profiles with required levels, bodies with units, and finished attempts packed into
``AttemptResult`` rows exactly as the model's docstring describes (one byte per item).

Answers are drawn from a latent ability per person (higher in some units), so that scores,
gaps and comparisons have something to find.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from survey.extensions import db
from survey.models import (
    Attempt,
    AttemptResult,
    Campaign,
    Competence,
    Course,
    Invitation,
    Item,
    Organisation,
    Questionnaire,
    QuestionnaireVersion,
    RequiredLevel,
    RoleProfile,
    Unit,
)
from survey.models._types import utcnow

SCALES = ("self_competence", "engagement", "motivation", "openness", "support")
COMPETENCES = ("information_data", "communication", "content_creation", "safety",
               "problem_solving", "egov_eds", "data_ai", "project_management")
PROFILES = ("leadership", "specialist", "it_specialist")
_seq = count(1)
SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


def texts(en: str, kk: str | None = None, ru: str | None = None) -> dict[str, str]:
    n = next(_seq)
    return {"kk": kk or f"{en} қ{n}", "ru": ru or f"{en} р{n}", "en": en}


@dataclass
class Catalogue:
    """Questionnaire versions, competences, profiles and courses of one test setup."""

    survey: QuestionnaireVersion
    test: QuestionnaireVersion
    competences: list[Competence]
    profiles: list[RoleProfile]
    courses: list[Course]


def catalogue(survey_items: int = 10, test_items: int = 16) -> Catalogue:
    """Survey items spread over the five scales (every third reverse-keyed), test items spread
    over the competences and levels 1–4, three role profiles and two courses per competence."""
    competences = [Competence(code=c, position=i, names=texts(c.replace("_", " ").title()),
                              descriptions=texts("About")) for i, c in enumerate(COMPETENCES)]
    profiles = [RoleProfile(code=p, position=i, names=texts(p.replace("_", " ").title()),
                            rationales=texts("Why")) for i, p in enumerate(PROFILES)]
    for i, profile in enumerate(profiles):
        for j, competence in enumerate(competences):
            level = 2 + (i + j) % 3  # 2..4
            profile.required_levels.append(RequiredLevel(competence=competence, level=level))
    survey = QuestionnaireVersion(
        questionnaire=Questionnaire(code=f"culture-{next(_seq)}", kind="survey"),
        number=1, content_hash=f"{next(_seq):064x}", definition={"title": texts("Survey")})
    for i in range(survey_items):
        survey.items.append(Item(code=f"s{i:02d}", position=i, type="likert",
                                 scale=SCALES[i % len(SCALES)], reverse=i % 3 == 2,
                                 texts=texts(f"Statement {i}")))
    test = QuestionnaireVersion(
        questionnaire=Questionnaire(code=f"skills-{next(_seq)}", kind="test"),
        number=1, content_hash=f"{next(_seq):064x}", definition={"title": texts("Test")})
    for i in range(test_items):
        test.items.append(Item(code=f"t{i:02d}", position=i, type="true_false",
                               competence=competences[i % len(competences)],
                               level=1 + (i // len(competences)) % 4, key=True,
                               texts=texts(f"Question {i}")))
    courses = []
    for competence in competences:
        for low, high, hours, capacity in ((1, 3, 8, 25), (3, 5, 16, 12)):
            course = Course(code=f"{competence.code}-{low}{high}", titles=texts(f"Course {competence.code} {low}-{high}"),
                            descriptions=texts("Course"), level_from=low, level_to=high,
                            hours=hours, format="classroom", capacity=capacity,
                            competences=[competence])
            courses.append(course)
    db.session.add_all([*competences, *profiles, survey, test, *courses])
    store_shipped_maturity_model()
    db.session.flush()
    return Catalogue(survey, test, competences, profiles, courses)


def store_shipped_maturity_model() -> None:
    """Store the shipped ``questionnaires/maturity_model.yaml`` as ``questionnaires load`` does
    (validated by the same schema): HR pages read the model from the database only."""
    from survey.questionnaires.loader import MATURITY_MODEL_KEY, store_reference
    from survey.questionnaires.schema import dump, load_file

    store_reference(MATURITY_MODEL_KEY, dump(load_file(SHIPPED / "maturity_model.yaml")))


def body(code: str, n_units: int, governance_level: str = "republican",
         sector: str = "digital_development") -> Organisation:
    org = Organisation(code=code, name_kk=f"{code} министрлігі", name_ru=f"Министерство {code}",
                       name_en=f"Ministry {code}", governance_level=governance_level, sector=sector)
    for i in range(n_units):
        org.units.append(Unit(code=f"{code}-u{i:04d}", name_kk=f"{i}-бөлім", name_ru=f"Отдел {i}",
                              name_en=f"Unit {i}"))
    db.session.add(org)
    return org


def campaign(cat: Catalogue, orgs: list[Organisation], anonymous: bool = True,
             previous: Campaign | None = None, code: str | None = None,
             year: int = 2026) -> Campaign:
    now = utcnow()
    c = Campaign(code=code or f"wave-{next(_seq)}", title_kk=f"{year} көктемгі кезең",
                 title_ru=f"Весенняя волна {year}", title_en=f"Spring wave {year}", status="open",
                 opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=20),
                 anonymous=anonymous, survey_version=cat.survey, test_version=cat.test,
                 organisations=orgs, previous_campaign=previous)
    db.session.add(c)
    db.session.flush()
    return c


def results(c: Campaign, cat: Catalogue, per_unit: dict[Unit, int], seed: int = 1,
            shift: float = 0.0, invited_extra: int = 2, persons: list[int] | None = None,
            batch: int = 20_000) -> int:
    """Insert finished attempts (and invitations) for ``per_unit`` people in each unit.

    ``shift`` raises everyone's ability (a later, better wave); units later in the list are
    slightly stronger. Bulk inserts through the models; returns the number of results."""
    rng = np.random.default_rng(seed)
    n_survey, n_test = len(cat.survey.items), len(cat.test.items)
    levels = np.array([i.level for i in cat.test.items])
    reverse = np.array([i.reverse for i in cat.survey.items])
    profile_ids = [p.id for p in cat.profiles]
    attempts, packed, invitations = [], [], []
    next_id = (db.session.scalar(db.select(db.func.max(Attempt.id))) or 0) + 1
    total = 0
    person_iter = iter(persons) if persons is not None else None
    for position, (unit, n) in enumerate(per_unit.items()):
        ability = rng.normal(shift + 0.3 * (position % 5) / 5, 1.0, n)
        agree = np.clip(np.rint(3 + ability[:, None] + rng.normal(0, 0.9, (n, n_survey))), 1, 5)
        agree[:, reverse] = 6 - agree[:, reverse]
        agree[rng.random((n, n_survey)) < 0.03] = 0
        p_right = 1 / (1 + np.exp(-(ability[:, None] + 1.5 - 0.8 * levels[None, :])))
        right = (rng.random((n, n_test)) < p_right).astype(np.uint8)
        choices = np.where(right == 1, 2, 1).astype(np.uint8)
        for i in range(n):
            attempt_id = next_id + total
            profile = profile_ids[(i + position) % len(profile_ids)]
            language = ("kk", "ru", "en")[i % 3]
            person_id = next(person_iter) if person_iter is not None else None
            common = dict(organisation_id=unit.organisation_id, unit_id=unit.id,
                          position_category_id=profile, language=language)
            attempts.append(dict(id=attempt_id, campaign_id=c.id, access_hash=f"{attempt_id:064x}",
                                 seed=attempt_id, stage="finished", finished_at=utcnow(), **common))
            packed.append(dict(attempt_id=attempt_id, campaign_id=c.id, person_id=person_id,
                               survey_version_id=cat.survey.id, test_version_id=cat.test.id,
                               survey_answers=agree[i].astype(np.uint8).tobytes(),
                               test_choices=choices[i].tobytes(), test_correct=right[i].tobytes(),
                               finished_at=utcnow(), **common))
            total += 1
        for _j in range(n + invited_extra):
            invitations.append(dict(campaign_id=c.id, token_hash=f"{next(_seq):064x}",
                                    organisation_id=unit.organisation_id, unit_id=unit.id,
                                    position_category_id=profile_ids[0], status="sent"))
        if len(attempts) >= batch:
            _flush(attempts, packed, invitations)
    _flush(attempts, packed, invitations)
    return total


def _flush(attempts: list, packed: list, invitations: list) -> None:
    if attempts:
        db.session.execute(insert(Attempt), attempts)
        db.session.execute(insert(AttemptResult), packed)
    if invitations:
        db.session.execute(insert(Invitation), invitations)
    attempts.clear()
    packed.clear()
    invitations.clear()
