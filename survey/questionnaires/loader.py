"""Loading validated definitions into the database.

Competences, role profiles, courses and the maturity model are reference data, updated in
place. The survey and the test are versioned: a file whose content hash is new becomes a new
version with its own items; an existing version is never touched, so answers keep pointing to
the items they were given for. Loading the same folder twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..extensions import db
from ..models import (
    Competence,
    Course,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    ReferenceDocument,
    RequiredLevel,
    RoleProfile,
)
from .schema import Definitions, Survey, SurveyItem, Test, content_hash, dump, load_definitions

if TYPE_CHECKING:
    from .formats import TestItem

MATURITY_MODEL_KEY = "maturity_model"
CHECKLISTS_KEY = "expert_checklists"
# The ids of the shipped survey and test (``id:`` in questionnaires/digital_culture.yaml and
# digital_skills_test.yaml): new campaigns start with their latest versions.
SURVEY_CODE, TEST_CODE = "digital_culture", "digital_skills"


@dataclass
class LoadReport:
    """What a load did: per questionnaire, its version number and whether it is new."""

    versions: dict[str, tuple[int, bool]] = field(default_factory=dict)
    competences: int = 0
    role_profiles: int = 0
    courses: int = 0

    def lines(self) -> list[str]:
        out = [
            f"{code}: version {number} ({'new' if new else 'unchanged'})"
            for code, (number, new) in self.versions.items()
        ]
        out.append(
            f"{self.competences} competences, {self.role_profiles} role profiles, "
            f"{self.courses} courses"
        )
        return out


def load_folder(folder: Path | str) -> LoadReport:
    """Validate every file of ``folder`` and load it. Raises ``DefinitionError`` (nothing is
    written) when any file is refused. The caller commits."""
    return load_definitions_into_database(load_definitions(Path(folder)))


def load_definitions_into_database(definitions: Definitions) -> LoadReport:
    report = LoadReport()
    competences = _load_competences(definitions)
    report.competences = len(competences)
    report.role_profiles = _load_role_profiles(definitions, competences)
    report.courses = _load_courses(definitions, competences)
    store_reference(MATURITY_MODEL_KEY, dump(definitions.maturity_model))
    if definitions.expert is not None:  # its criterion weights are in the maturity model
        store_reference(CHECKLISTS_KEY, dump(definitions.expert.checklists))
    for questionnaire in definitions.questionnaires():
        version, new = load_questionnaire(questionnaire, competences)
        report.versions[questionnaire.id] = (version.number, new)
    db.session.flush()
    return report


def _by_code(model: type[Competence | RoleProfile | Course]) -> dict[str, object]:
    return {row.code: row for row in db.session.scalars(db.select(model))}


def _load_competences(definitions: Definitions) -> dict[str, Competence]:
    existing = _by_code(Competence)
    for position, entry in enumerate(definitions.competences.competences):
        data = dump(entry)
        row = existing.get(entry.id) or Competence(code=entry.id)
        row.position, row.names, row.descriptions = position, data["name"], data["description"]
        db.session.add(row)
        existing[entry.id] = row
    db.session.flush()
    return existing


def _load_role_profiles(definitions: Definitions, competences: dict[str, Competence]) -> int:
    existing = _by_code(RoleProfile)
    for position, entry in enumerate(definitions.role_profiles.profiles):
        data = dump(entry)
        row = existing.get(entry.id) or RoleProfile(code=entry.id)
        row.position, row.names, row.rationales = position, data["name"], data["rationale"]
        db.session.add(row)
        current = {r.competence.code: r for r in row.required_levels}
        for code, level in entry.required.items():
            if code in current:
                current[code].level = level
            else:
                row.required_levels.append(
                    RequiredLevel(competence=competences[code], level=level)
                )
        for code, required in current.items():
            if code not in entry.required:
                row.required_levels.remove(required)
    return len(definitions.role_profiles.profiles)


def _load_courses(definitions: Definitions, competences: dict[str, Competence]) -> int:
    existing = _by_code(Course)
    for entry in definitions.courses.courses:
        data = dump(entry)
        row = existing.get(entry.id) or Course(code=entry.id)
        row.titles, row.descriptions = data["title"], data["description"]
        row.level_from, row.level_to = entry.level_from, entry.level_to
        row.hours, row.format, row.capacity = entry.hours, entry.format, entry.capacity
        row.competences = [competences[code] for code in entry.competences]
        db.session.add(row)
    return len(definitions.courses.courses)


def store_reference(key: str, content: dict) -> None:
    digest = content_hash_of(content)
    row = db.session.scalar(db.select(ReferenceDocument).filter_by(key=key))
    if row is None:
        db.session.add(ReferenceDocument(key=key, content=content, content_hash=digest))
    elif row.content_hash != digest:
        row.content, row.content_hash = content, digest


def content_hash_of(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_questionnaire(
    questionnaire: Survey | Test, competences: dict[str, Competence]
) -> tuple[QuestionnaireVersion, bool]:
    """The version holding exactly this content: the existing one, or a new one."""
    digest = content_hash(questionnaire)
    parent = db.session.scalar(db.select(Questionnaire).filter_by(code=questionnaire.id))
    if parent is None:
        parent = Questionnaire(code=questionnaire.id, kind=questionnaire.kind)
        db.session.add(parent)
        db.session.flush()
    elif parent.kind != questionnaire.kind:
        raise ValueError(f"{questionnaire.id} was a {parent.kind}, not a {questionnaire.kind}")
    for version in parent.versions:
        if version.content_hash == digest:
            return version, False
    number = max((v.number for v in parent.versions), default=0) + 1
    version = QuestionnaireVersion(
        questionnaire=parent, number=number, content_hash=digest, definition=dump(questionnaire)
    )
    version.items = [
        _item(position, entry, competences) for position, entry in enumerate(questionnaire.items)
    ]
    db.session.add(version)
    db.session.flush()
    return version, True


def _item(position: int, entry: SurveyItem | TestItem,
          competences: dict[str, Competence]) -> Item:
    data = dump(entry)
    if isinstance(entry, SurveyItem):
        return Item(code=entry.id, position=position, type="likert", scale=entry.scale,
                    reverse=entry.reverse, texts=data["text"])
    return Item(
        code=entry.id,
        position=position,
        type=entry.type,
        competence=competences[entry.competence],
        level=entry.level,
        texts=data["text"],
        options=data.get("options") or None,
        key=entry.key,
        explanations=data["explanation"],
    )


def latest_version(code: str) -> QuestionnaireVersion | None:
    """The newest version of a questionnaire, or None if it was never loaded."""
    return stored_version(code)


def stored_version(code: str, number: int | None = None) -> QuestionnaireVersion | None:
    """Version ``number`` of a questionnaire (None: the newest), or None if it was not loaded."""
    query = db.select(QuestionnaireVersion).join(Questionnaire).where(Questionnaire.code == code)
    if number is not None:
        query = query.where(QuestionnaireVersion.number == number)
    return db.session.scalar(query.order_by(QuestionnaireVersion.number.desc()).limit(1))


def maturity_model_content() -> dict:
    """The maturity model as loaded (plain data in the ``maturity_model.yaml`` format)."""
    row = db.session.scalar(db.select(ReferenceDocument).filter_by(key=MATURITY_MODEL_KEY))
    if row is None:
        raise LookupError("the maturity model is not loaded: run `questionnaires load`")
    return row.content
