"""A complete small campaign for the respondent tests: a survey of two scales, a test on two
competences with all three item types, a role profile, a course, and invitations."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from survey.campaigns.invitations import create_invitation
from survey.extensions import db
from survey.models import (
    Campaign,
    Competence,
    Course,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    ReferenceDocument,
    RequiredLevel,
)
from survey.questionnaires.loader import MATURITY_MODEL_KEY
from tests import factories

DATA = Path(__file__).parent / "data"
SCALES = ("engagement", "motivation")
SURVEY_ITEMS_PER_SCALE = 3


def t(en: str, kk: str | None = None, ru: str | None = None) -> dict[str, str]:
    return {"kk": kk or f"{en} (қаз.)", "ru": ru or f"{en} (рус.)", "en": en}


@dataclass
class World:
    campaign: Campaign
    organisation: object
    unit: object
    role: object
    competences: list[Competence] = field(default_factory=list)

    def invite(self, **fields) -> str:
        link = create_invitation(self.campaign, organisation_id=self.organisation.id,
                                 unit_id=self.unit.id, position_category_id=self.role.id, **fields)
        db.session.commit()
        return link.token


def survey_version() -> QuestionnaireVersion:
    q = Questionnaire(code="digital_culture", kind="survey")
    v = QuestionnaireVersion(
        questionnaire=q, number=1, content_hash="a" * 64,
        definition={
            "title": t("Digital culture survey", "Цифрлық мәдениет сауалнамасы",
                       "Опрос о цифровой культуре"),
            "intro": t("There are no right or wrong answers."),
            "scales": [{"id": s, "name": t(s.title())} for s in SCALES],
            "response_scale": [
                {"value": 1, "label": t("Strongly disagree", "Мүлдем келіспеймін",
                                        "Полностью не согласен(-на)")},
                {"value": 2, "label": t("Disagree", "Келіспеймін", "Скорее не согласен(-на)")},
                {"value": 3, "label": t("Neither agree nor disagree", "Бейтараппын",
                                        "Ни да, ни нет")},
                {"value": 4, "label": t("Agree", "Келісемін", "Скорее согласен(-на)")},
                {"value": 5, "label": t("Strongly agree", "Толығымен келісемін",
                                        "Полностью согласен(-на)")},
            ],
        },
    )
    position = 0
    for scale in SCALES:
        for i in range(SURVEY_ITEMS_PER_SCALE):
            v.items.append(Item(code=f"{scale[:3]}-{i}", position=position, type="likert",
                                scale=scale, reverse=i == 0,
                                texts=t(f"Statement {scale} {i}")))
            position += 1
    db.session.add(v)
    return v


def skills_version(competences: list[Competence], per_competence: int = 5) -> QuestionnaireVersion:
    """Per competence: levels 1..per_competence, types cycling single, multiple, true/false."""
    q = Questionnaire(code="digital_skills", kind="test")
    v = QuestionnaireVersion(questionnaire=q, number=1, content_hash="b" * 64,
                             definition={"title": t("Digital skills test", "Цифрлық дағдылар тесті",
                                                    "Тест цифровых навыков"),
                                         "intro": t("Answer every question.")})
    position = 0
    for c_index, competence in enumerate(competences):
        for level in range(1, per_competence + 1):
            kind = ("single", "multiple", "true_false")[(position) % 3]
            code = f"c{c_index}-l{level}"
            options = None
            key: object = True
            if kind == "single":
                options = [{"id": o, "text": t(f"Option {o} of {code}")} for o in "abcd"]
                key = "b"
            elif kind == "multiple":
                options = [{"id": o, "text": t(f"Option {o} of {code}")} for o in "abcde"]
                key = ["a", "c"]
            v.items.append(Item(code=code, position=position, type=kind, competence=competence,
                                level=level, options=options, key=key,
                                texts=t(f"Question {code}"),
                                explanations=t(f"Why {code}")))
            position += 1
    db.session.add(v)
    return v


def maturity_model() -> None:
    """Store the small model of data/ as ``questionnaires load`` stores the real one."""
    content = yaml.safe_load((DATA / "maturity_model.yaml").read_text(encoding="utf-8"))
    db.session.add(ReferenceDocument(key=MATURITY_MODEL_KEY, content=content,
                                     content_hash="c" * 64))


def use_adaptive_rules(rules: dict) -> None:
    """Put ``adaptive_test`` rules into the stored maturity model, with a content hash of its
    own: parsed models are kept by hash, so a changed model needs a new one."""
    document = db.session.scalar(db.select(ReferenceDocument).filter_by(key=MATURITY_MODEL_KEY))
    document.content = {**document.content, "adaptive_test": rules}
    document.content_hash = hashlib.sha256(
        json.dumps(document.content, sort_keys=True).encode()).hexdigest()
    db.session.commit()


def world(anonymous: bool = True, survey: bool = True, test: bool = True,
          time_limit: int | None = 45, **campaign_fields) -> World:
    """A campaign open now, ready for invitations, with the maturity model loaded."""
    maturity_model()
    org = factories.organisation()
    unit = factories.unit(org)
    role = factories.role_profile()
    competences = [
        Competence(code=code, position=i, names=t(name), descriptions=t("About"))
        for i, (code, name) in enumerate([("information_data", "Information and data literacy"),
                                           ("safety", "Safety")])
    ]
    db.session.add_all(competences)
    for competence, level in zip(competences, (3, 4), strict=True):
        role.required_levels.append(RequiredLevel(competence=competence, level=level))
    db.session.add(Course(code="data-basics", titles=t("Data basics"), descriptions=t("Tables"),
                          level_from=1, level_to=3, hours=16, format="online", capacity=25,
                          competences=[competences[0]]))
    campaign = factories.campaign(
        survey_version() if survey else None, [org], anonymous=anonymous,
        test_version=skills_version(competences) if test else None,
        test_time_limit_minutes=time_limit, **campaign_fields,
    )
    db.session.commit()
    return World(campaign, org, unit, role, competences)


def right_answers(version: QuestionnaireVersion) -> dict[str, list[str]]:
    """Form values answering every test item right, by field name."""
    out = {}
    for item in version.items:
        key = item.key
        out[f"q{item.id}"] = (["true" if key else "false"] if isinstance(key, bool)
                              else [key] if isinstance(key, str) else list(key))
    return out
