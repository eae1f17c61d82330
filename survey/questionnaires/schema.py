"""Read, validate and export the definition files in ``questionnaires/``.

This is the one entry point the rest of Qabilet uses (the CLI, the database loader, tests); it
is pure — pydantic and YAML only — so it runs without an application. The format is described
in ``questionnaires/README.md``.

Typical use::

    definitions = load_definitions(Path("questionnaires"))   # raises DefinitionError
    for questionnaire in definitions.questionnaires():
        version_hash = content_hash(questionnaire)

A folder is accepted or refused whole: :func:`load_definitions` raises :class:`DefinitionError`
listing every :class:`Problem` found in every file, and returns nothing partial.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import checks
from .checklist_checks import check_checklists, check_criterion_weights, parse_criterion_weights
from .checklist_schema import CHECKLISTS_FILE, ExpertChecklists, ExpertDefinitions
from .formats import (
    DIMENSION_IDS,
    Competence,
    CompetenceCatalogue,
    Course,
    CourseCatalogue,
    CultureSubscore,
    Dimension,
    LevelBand,
    MaturityModelFile,
    ProficiencyRule,
    Recommendations,
    ResponseOption,
    RoleProfile,
    RoleProfiles,
    Scale,
    Survey,
    SurveyItem,
    Test,
    TestItem,
    TestOption,
)
from .problems import DefinitionError, Problem, problems_from_validation_error, yaml_reason
from .texts import OneLineText, Text

__all__ = [
    "DIMENSION_IDS",
    "FILES",
    "Competence",
    "CompetenceCatalogue",
    "Course",
    "CourseCatalogue",
    "CultureSubscore",
    "DefinitionError",
    "Definitions",
    "Dimension",
    "LevelBand",
    "MaturityModelFile",
    "OneLineText",
    "ProficiencyRule",
    "Problem",
    "Recommendations",
    "ResponseOption",
    "RoleProfile",
    "RoleProfiles",
    "Scale",
    "Survey",
    "SurveyItem",
    "Test",
    "TestItem",
    "TestOption",
    "Text",
    "content_hash",
    "dump",
    "load_definitions",
    "load_file",
    "parse_file",
    "read_yaml",
    "to_yaml",
    "validate_folder",
]


@dataclass(frozen=True)
class FileSpec:
    """What one definition file holds: its model and its in-file checks."""

    role: str
    model: type[BaseModel]
    check: Callable[[str, Any], list[Problem]]


# The files of questionnaires/, by name. ``role`` is the attribute of Definitions holding it.
FILES: dict[str, FileSpec] = {
    "competences.yaml": FileSpec("competences", CompetenceCatalogue, checks.check_competences),
    "digital_culture.yaml": FileSpec("survey", Survey, checks.check_survey),
    "digital_skills_test.yaml": FileSpec("test", Test, checks.check_test),
    "role_profiles.yaml": FileSpec("role_profiles", RoleProfiles, checks.check_role_profiles),
    "courses.yaml": FileSpec("courses", CourseCatalogue, checks.check_courses),
    "maturity_model.yaml": FileSpec("maturity_model", MaturityModelFile, checks.check_maturity_model),
    CHECKLISTS_FILE: FileSpec("expert_checklists", ExpertChecklists, check_checklists),
}


@dataclass(frozen=True)
class Definitions:
    """Every definition file of a folder, validated together.

    ``test`` is None only when the test file was allowed to be absent.
    """

    competences: CompetenceCatalogue
    survey: Survey
    test: Test | None
    role_profiles: RoleProfiles
    courses: CourseCatalogue
    maturity_model: MaturityModelFile
    expert: ExpertDefinitions | None = None  # the checklists with their criterion weights

    @property
    def expert_checklists(self) -> ExpertChecklists | None:
        return self.expert.checklists if self.expert is not None else None

    def questionnaires(self) -> list[Survey | Test]:
        """The questionnaires people answer (each loaded as a version), survey first."""
        return [q for q in (self.survey, self.test) if q is not None]


# --- reading --------------------------------------------------------------------------------
# libyaml's parser when PyYAML was built with it (its wheels are): several times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key repeated in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f'duplicate key "{key}"', key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; raise DefinitionError if it is not valid YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DefinitionError([Problem.of(path.name, None, None, None, "not_utf8")]) from None
    except OSError as error:
        problem = Problem.of(path.name, None, None, None, "unreadable", reason=error.strerror)
        raise DefinitionError([problem]) from None
    return read_text_yaml(path.name, text)


def read_text_yaml(name: str, text: str) -> Any:
    """Parse the YAML text of the file ``name``; raise DefinitionError if it is not YAML."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = yaml_reason(error.problem or error.context or "unreadable")
        if mark:
            problem = Problem.of(
                name, None, None, None, "yaml_invalid_at",
                line=mark.line + 1, column=mark.column + 1, reason=reason,
            )
        else:
            problem = Problem.of(name, None, None, None, "yaml_invalid", reason=reason)
        raise DefinitionError([problem]) from None
    except yaml.YAMLError as error:
        reason = yaml_reason(str(error))
        raise DefinitionError(
            [Problem.of(name, None, None, None, "yaml_invalid", reason=reason)]
        ) from None


def parse_file(file: str, data: Any) -> Any:
    """Validate the parsed content of one file, named as in FILES; return its model.

    Checks everything that does not need other files. Raises DefinitionError.
    """
    spec = FILES.get(file)
    if spec is None:
        raise DefinitionError([_unknown_file(file)])
    if not isinstance(data, dict):
        raise DefinitionError([Problem.of(file, None, None, None, "not_a_mapping")])
    try:
        model = spec.model.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(problems_from_validation_error(file, data, error)) from None
    problems = spec.check(file, model)
    if problems:
        raise DefinitionError(problems)
    return model


def load_file(path: Path) -> Any:
    """Read and validate one file on its own (no cross-file checks)."""
    return parse_file(path.name, read_yaml(path))


def load_definitions(folder: Path, *, optional: Collection[str] = ()) -> Definitions:
    """Read and validate every file of ``folder``, each alone and against each other.

    ``optional`` names files that may be absent (their Definitions field is then None; only
    the test file may be). Raises DefinitionError listing every problem in every file.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    for path in sorted(folder.glob("*.y*ml")):
        if path.name not in FILES:
            problems.append(_unknown_file(path.name))
    for file, spec in FILES.items():
        path = folder / file
        if not path.exists():
            if file not in optional:
                problems.append(Problem.of(file, None, None, None, "file_missing"))
            continue
        try:
            parsed[spec.role] = load_file(path)
        except DefinitionError as error:
            problems += error.problems
    roles = {spec.role: file for file, spec in FILES.items()}
    problems += checks.check_references(
        roles,
        parsed.get("competences"),
        parsed.get("survey"),
        parsed.get("test"),
        parsed.get("role_profiles"),
        parsed.get("courses"),
        parsed.get("maturity_model"),
    )
    expert, found = _expert(parsed.get("expert_checklists"), parsed.get("maturity_model"))
    problems += found
    if problems:
        raise DefinitionError(problems)
    return Definitions(
        competences=parsed["competences"],
        survey=parsed["survey"],
        test=parsed.get("test"),
        role_profiles=parsed["role_profiles"],
        courses=parsed["courses"],
        maturity_model=parsed["maturity_model"],
        expert=expert,
    )


def _expert(
    checklists: ExpertChecklists | None, model: MaturityModelFile | None
) -> tuple[ExpertDefinitions | None, list[Problem]]:
    """The checklists with the maturity model's criterion weights, checked against each other;
    nothing when either file was refused (its problems are reported already)."""
    if checklists is None or model is None:
        return None, []
    file = next(name for name, spec in FILES.items() if spec.role == "maturity_model")
    try:
        weights = parse_criterion_weights(model, file)
    except DefinitionError as error:
        return None, error.problems
    problems = check_criterion_weights(file, weights, checklists)
    return (None if problems else ExpertDefinitions(checklists, weights)), problems


def validate_folder(folder: Path, *, optional: Collection[str] = ()) -> list[Problem]:
    """Every problem in ``folder`` (an empty list when it is all valid)."""
    try:
        load_definitions(folder, optional=optional)
    except DefinitionError as error:
        return error.problems
    return []


def _unknown_file(file: str) -> Problem:
    return Problem.of(file, None, None, None, "unknown_file", files=", ".join(FILES))


# --- exporting ------------------------------------------------------------------------------
def dump(model: BaseModel) -> dict[str, Any]:
    """A file model as plain data (dicts, lists, str, int, float, bool), ready for YAML.

    ``parse_file(name, dump(model)) == model``: this is the export half of a round trip.
    """
    return model.model_dump(mode="python", exclude_none=True)


def to_yaml(model: BaseModel) -> str:
    """A file model as YAML text in the documented format (Cyrillic kept as is)."""
    return yaml.safe_dump(dump(model), allow_unicode=True, sort_keys=False, width=100)


def content_hash(model: BaseModel) -> str:
    """A stable SHA-256 of a model's content: same content, same hash.

    Key order and YAML layout do not matter; any change of a value (a text, a key, the order of
    items) gives a new hash, so a changed questionnaire file becomes a new version.
    """
    canonical = json.dumps(dump(model), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
