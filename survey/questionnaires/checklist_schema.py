"""The expert checklists of ``questionnaires/expert_checklists.yaml`` and their criterion weights.

Three of the four dimensions of digital maturity — strategic management, organisational maturity
and technological maturity — are rated by an assessor, criterion by criterion, on a 1–5 rubric.
The criteria, their rubrics, assessment methods and expected evidence are in
``expert_checklists.yaml``; the weights of the criteria within each dimension are in
``maturity_model.yaml`` under ``criterion_weights``. The format is described in
``questionnaires/README.md``.

What a body is assessed on may depend on its context — governance level, sector, and whether its
project office is centralised or decentralised. That choice is data: a criterion's
``applies_to``, a rubric variant's ``when`` and a weight variant's ``when`` name the attribute
values they are for, and :class:`Context` picks among them; no code names a criterion.

Typical use::

    expert = load_expert_definitions(Path("questionnaires"))   # raises DefinitionError
    context = Context.of(organisation)
    for criterion in expert.criteria("strategic_management", context):
        levels = criterion.rubric_for(context)
    score = expert.score("strategic_management", context, {"sm-strategy": 3, ...})

Like the rest of the schema, a file is accepted or refused whole and every :class:`Problem` is
reported. This module checks both files' share of the expert checklists;
``schema.load_definitions`` runs the same checks over the whole folder (``FILES`` there names
this file), and ``questionnaires load`` stores the checklists as reference data.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from .checks import LEVELS, duplicate_ids, weights_sum_to_one
from .formats import DIMENSION_IDS, MaturityModel, Weight
from .messages import Message
from .problems import DefinitionError, Problem, problems_from_validation_error
from .texts import Id, Level, Model, Text

CHECKLISTS_FILE = "expert_checklists.yaml"
MATURITY_MODEL_FILE = "maturity_model.yaml"
# The files of questionnaires/ this module adds to schema.FILES.
FILES = (CHECKLISTS_FILE,)

# The dimensions rated by an assessor; digital culture is measured by the survey and the test.
EXPERT_DIMENSIONS = tuple(ident for ident in DIMENSION_IDS if ident != "digital_culture")

# The attributes of a body that choose criteria, rubrics and weights, and their values: those of
# survey.models.org.Organisation of the same names (kept equal by a test).
GOVERNANCE_LEVELS = ("republican", "regional", "local")
SECTORS = (
    "general_administration",
    "economy_finance",
    "social",
    "health",
    "education",
    "digital_development",
    "justice_security",
    "agriculture_environment",
    "infrastructure_transport",
)
PROJECT_OFFICES = ("centralised", "decentralised")
CONTEXT_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "governance_level": GOVERNANCE_LEVELS,
    "sector": SECTORS,
    "project_office": PROJECT_OFFICES,
}
# Attributes a body may not have recorded: every rule must also hold when they are unknown.
OPTIONAL_ATTRIBUTES = ("project_office",)

MIN_CRITERIA = 4
MAX_CRITERIA = 6


# --- context --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Context:
    """The attributes of one body that the checklists and weights depend on (None: unknown)."""

    governance_level: str | None = None
    sector: str | None = None
    project_office: str | None = None

    @classmethod
    def of(cls, organisation: Any) -> Context:
        """The context of an organisation, read from its attributes of the same names."""
        return cls(**{name: getattr(organisation, name, None) for name in CONTEXT_ATTRIBUTES})


def contexts() -> Iterator[Context]:
    """Every context a body can have: each combination of attribute values, with the optional
    attributes also unknown. The checks below hold the data to every one of them."""
    choices = [
        (*values, None) if name in OPTIONAL_ATTRIBUTES else values
        for name, values in CONTEXT_ATTRIBUTES.items()
    ]
    for combination in itertools.product(*choices):
        yield Context(*combination)


# The values a condition lists for one attribute: at least one, each a known value.
GovernanceLevels = Annotated[list[Literal[GOVERNANCE_LEVELS]], Field(min_length=1)]
Sectors = Annotated[list[Literal[SECTORS]], Field(min_length=1)]
ProjectOffices = Annotated[list[Literal[PROJECT_OFFICES]], Field(min_length=1)]


class Condition(Model):
    """The bodies something is for: every attribute named must have one of the values listed.

    An attribute that is not named does not matter; an unknown value never matches.
    """

    governance_level: GovernanceLevels | None = None
    sector: Sectors | None = None
    project_office: ProjectOffices | None = None

    def named(self) -> dict[str, list[str]]:
        """The attributes this condition names, with their values."""
        return {
            name: values
            for name in CONTEXT_ATTRIBUTES
            if (values := getattr(self, name)) is not None
        }

    def matches(self, context: Context) -> bool:
        return all(getattr(context, name) in values for name, values in self.named().items())


# --- expert_checklists.yaml -----------------------------------------------------------------
class Method(Model):
    id: Id
    name: Text
    description: Text


class RubricLevel(Model):
    level: Level
    text: Text


class RubricVariant(Model):
    """A whole rubric that replaces the criterion's own for the bodies matching ``when``."""

    id: Id
    when: Condition
    rubric: list[RubricLevel]


class Criterion(Model):
    id: Id
    name: Text
    applies_to: Condition | None = None
    assesses: Text
    methods: list[Id] = Field(min_length=1)
    evidence: Text
    rubric: list[RubricLevel]
    variants: list[RubricVariant] = Field(default_factory=list)

    def applies(self, context: Context) -> bool:
        """Whether a body in this context is rated on this criterion."""
        return self.applies_to is None or self.applies_to.matches(context)

    def variant_for(self, context: Context) -> RubricVariant | None:
        """The first rubric variant for this context, or None for the criterion's own rubric."""
        return next((variant for variant in self.variants if variant.when.matches(context)), None)

    def rubric_for(self, context: Context) -> list[RubricLevel]:
        """The rubric an assessor uses for a body in this context, levels 1..5."""
        variant = self.variant_for(context)
        return variant.rubric if variant is not None else self.rubric


class DimensionChecklist(Model):
    id: Id
    criteria: list[Criterion] = Field(min_length=MIN_CRITERIA, max_length=MAX_CRITERIA)

    def criterion_ids(self) -> list[str]:
        return [criterion.id for criterion in self.criteria]


class ExpertChecklists(Model):
    title: Text
    intro: Text
    methods: list[Method] = Field(min_length=1)
    dimensions: list[DimensionChecklist]

    def method_ids(self) -> list[str]:
        return [method.id for method in self.methods]

    def dimension(self, ident: str) -> DimensionChecklist:
        """The checklist of one dimension; KeyError if the file has none."""
        for dimension in self.dimensions:
            if dimension.id == ident:
                return dimension
        raise KeyError(ident)

    def criteria_for(self, dimension: str, context: Context) -> list[Criterion]:
        """The criteria a body in this context is rated on, in file order."""
        return [c for c in self.dimension(dimension).criteria if c.applies(context)]


# --- criterion_weights in maturity_model.yaml -----------------------------------------------
# dimension id → criterion id → weight
WeightMap = dict[str, Annotated[dict[str, Weight], Field(min_length=1)]]


class WeightVariant(Model):
    """Weights that replace the default ones of the dimensions listed, for bodies matching."""

    id: Id
    when: Condition
    weights: Annotated[WeightMap, Field(min_length=1)]


class CriterionWeights(Model):
    default: WeightMap
    variants: list[WeightVariant] = Field(default_factory=list)

    def chosen(self, dimension: str, context: Context) -> tuple[str, dict[str, float]]:
        """The weights of a dimension's criteria for a body in this context, and the field of
        ``maturity_model.yaml`` they come from (the first matching variant that lists the
        dimension, else the default)."""
        for variant in self.variants:
            if dimension in variant.weights and variant.when.matches(context):
                return f"{_VARIANTS}[{variant.id}].weights.{dimension}", variant.weights[dimension]
        return f"{_DEFAULT}.{dimension}", self.default.get(dimension, {})

    def for_context(self, dimension: str, context: Context) -> dict[str, float]:
        return self.chosen(dimension, context)[1]


class _WithWeights(Model):
    """The key of maturity_model.yaml this module reads, so that problems name its path."""

    criterion_weights: CriterionWeights


_FIELD = "criterion_weights"
_DEFAULT = f"{_FIELD}.default"
_VARIANTS = f"{_FIELD}.variants"


# --- both together --------------------------------------------------------------------------
@dataclass(frozen=True)
class ExpertDefinitions:
    """The checklists and their weights, validated together."""

    checklists: ExpertChecklists
    weights: CriterionWeights

    def criteria(self, dimension: str, context: Context) -> list[Criterion]:
        """The criteria a body in this context is rated on."""
        return self.checklists.criteria_for(dimension, context)

    def criterion_weights(self, dimension: str, context: Context) -> dict[str, float]:
        """Criterion id → weight for a body in this context; the weights sum to 1."""
        return self.weights.for_context(dimension, context)

    def score(self, dimension: str, context: Context, ratings: Mapping[str, int]) -> float:
        """The dimension's score on the 1–5 scale: the weighted mean of the criteria ratings.

        ``ratings`` maps each criterion that applies to its level 1..5; ValueError if one is
        missing, unknown or outside 1–5.
        """
        weights = self.criterion_weights(dimension, context)
        missing = [ident for ident in weights if ident not in ratings]
        unknown = [ident for ident in ratings if ident not in weights]
        if missing or unknown:
            raise ValueError(f"ratings missing {missing}, not applicable {unknown}")
        outside = {ident: level for ident, level in ratings.items() if level not in LEVELS}
        if outside:
            raise ValueError(f"ratings outside 1–5: {outside}")
        return math.fsum(weight * ratings[ident] for ident, weight in weights.items())


# --- reading --------------------------------------------------------------------------------
def parse_checklists(data: Any, file: str = CHECKLISTS_FILE) -> ExpertChecklists:
    """Validate the parsed content of ``expert_checklists.yaml``; raise DefinitionError."""
    if not isinstance(data, dict):
        raise DefinitionError([Problem.of(file, None, None, None, "not_a_mapping")])
    try:
        checklists = ExpertChecklists.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(problems_from_validation_error(file, data, error)) from None
    problems = check_checklists(file, checklists)
    if problems:
        raise DefinitionError(problems)
    return checklists


def load_checklists(path: Path) -> ExpertChecklists:
    """Read and validate ``expert_checklists.yaml`` on its own."""
    from .schema import read_yaml  # schema imports this module for its FILES

    return parse_checklists(read_yaml(path), path.name)


def parse_criterion_weights(
    model: MaturityModel, file: str = MATURITY_MODEL_FILE
) -> CriterionWeights:
    """The ``criterion_weights`` of a validated maturity model, checked on their own (without
    the checklists); raise DefinitionError."""
    if model.criterion_weights is None:
        raise DefinitionError([Problem.of(file, None, None, _FIELD, "missing")])
    raw = {_FIELD: model.criterion_weights}
    try:
        weights = _WithWeights.model_validate(raw).criterion_weights
    except ValidationError as error:
        raise DefinitionError(problems_from_validation_error(file, raw, error)) from None
    problems = check_weights(file, weights)
    if problems:
        raise DefinitionError(problems)
    return weights


def load_expert_definitions(folder: Path) -> ExpertDefinitions:
    """Read and check the checklists and their weights in ``folder``, each alone and against
    each other; raise DefinitionError listing every problem.

    A maturity model refused as a whole (as ``schema.load_definitions`` reports it) is
    reported here too, since its weights cannot be read.
    """
    from .schema import load_file  # schema imports this module for its FILES

    folder = Path(folder)
    problems: list[Problem] = []
    checklists = weights = None
    path = folder / CHECKLISTS_FILE
    if not path.exists():
        problems.append(Problem.of(CHECKLISTS_FILE, None, None, None, "file_missing"))
    else:
        try:
            checklists = load_checklists(path)
        except DefinitionError as error:
            problems += error.problems
    if not (folder / MATURITY_MODEL_FILE).exists():
        problems.append(Problem.of(MATURITY_MODEL_FILE, None, None, None, "file_missing"))
    else:
        try:
            weights = parse_criterion_weights(load_file(folder / MATURITY_MODEL_FILE))
        except DefinitionError as error:
            problems += error.problems
    if checklists is not None and weights is not None:
        problems += check_criterion_weights(MATURITY_MODEL_FILE, weights, checklists)
    if problems:
        raise DefinitionError(problems)
    assert checklists is not None
    assert weights is not None
    return ExpertDefinitions(checklists, weights)


def validate_checklists(folder: Path) -> list[Problem]:
    """Every problem of the checklists and their weights in ``folder`` (empty when all is well)."""
    try:
        load_expert_definitions(folder)
    except DefinitionError as error:
        return error.problems
    return []


# --- checks ---------------------------------------------------------------------------------
def check_checklists(file: str, checklists: ExpertChecklists) -> list[Problem]:
    """Rules within ``expert_checklists.yaml`` that look at several entries at once."""
    problems = _duplicates(file, "methods", checklists.method_ids())
    dimensions = [dimension.id for dimension in checklists.dimensions]
    problems += _dimension_ids(file, "dimension", "dimensions", dimensions)

    criteria = [(d.id, c) for d in checklists.dimensions for c in d.criteria]
    counts = Counter(criterion.id for _, criterion in criteria)
    reported: set[str] = set()
    for dimension, criterion in criteria:
        if counts[criterion.id] > 1 and criterion.id not in reported:
            reported.add(criterion.id)
            problems.append(Problem.of(
                file, "dimension", dimension, f"criteria[{criterion.id}].id", "duplicate_id",
                id=criterion.id, count=counts[criterion.id],
            ))
        problems += _check_criterion(file, dimension, criterion, checklists.method_ids())
    return problems


def _check_criterion(
    file: str, dimension: str, criterion: Criterion, methods: list[str]
) -> list[Problem]:
    def problem(field: str, code: str, text: str | None = None, **params: Any) -> Problem:
        return Problem.because(
            file, "dimension", dimension, f"criteria[{criterion.id}]{field}",
            Message.of(code, text, **params),
        )

    problems = []
    for method, count in Counter(criterion.methods).items():
        if count > 1:
            problems.append(problem(".methods", "duplicate_id", id=method, count=count))
        if method not in methods:
            problems.append(problem(
                ".methods", "one_of", expected=", ".join(methods), value=json.dumps(method)
            ))
    if criterion.applies_to is not None and not criterion.applies_to.named():
        problems.append(problem(".applies_to", "too_short", count=1))
    problems += _rubric(problem, ".rubric", criterion.rubric)
    for ident, count in Counter(variant.id for variant in criterion.variants).items():
        if count > 1:
            problems.append(
                problem(f".variants[{ident}].id", "duplicate_id", id=ident, count=count)
            )
    for variant in criterion.variants:
        field = f".variants[{variant.id}]"
        problems += _rubric(problem, f"{field}.rubric", variant.rubric)
        if not variant.when.named():
            problems.append(problem(f"{field}.when", "too_short", count=1))
        elif not any(
            criterion.applies(context) and criterion.variant_for(context) is variant
            for context in contexts()
        ):
            problems.append(problem(f"{field}.when", "variant_never_used"))
    return problems


def check_weights(file: str, weights: CriterionWeights) -> list[Problem]:
    """Rules within ``criterion_weights`` that need no checklist: dimensions, sums, ids."""
    problems = _dimension_ids(file, None, _DEFAULT, list(weights.default))
    for dimension, mapping in weights.default.items():
        problems += weights_sum_to_one(file, f"{_DEFAULT}.{dimension}", mapping.values())
    problems += _duplicates(file, _VARIANTS, [v.id for v in weights.variants])
    for variant in weights.variants:
        field = f"{_VARIANTS}[{variant.id}]"
        if not variant.when.named():
            problems.append(Problem.of(file, None, None, f"{field}.when", "too_short", count=1))
        for dimension, mapping in variant.weights.items():
            if dimension not in EXPERT_DIMENSIONS:
                problems.append(_unknown_dimension(file, None, None, f"{field}.weights", dimension))
            else:
                problems += weights_sum_to_one(
                    file, f"{field}.weights.{dimension}", mapping.values()
                )
    return problems


def check_criterion_weights(
    file: str, weights: CriterionWeights, checklists: ExpertChecklists
) -> list[Problem]:
    """The weights against the checklists: every weighed criterion exists in its dimension, and
    for every context a body can have, the weights used weigh exactly the criteria that apply.

    Reported against ``file``, the maturity model, which holds the references.
    """
    problems: list[Problem] = []
    known = {d.id: d.criterion_ids() for d in checklists.dimensions}
    maps = [(f"{_DEFAULT}.{d}", d, m) for d, m in weights.default.items()]
    maps += [
        (f"{_VARIANTS}[{v.id}].weights.{d}", d, m)
        for v in weights.variants
        for d, m in v.weights.items()
    ]
    for field, dimension, mapping in maps:
        for ident in mapping:
            if dimension in known and ident not in known[dimension]:
                expected = ", ".join(known[dimension])
                reason = Message.of("one_of", expected=expected, value=json.dumps(ident))
                problems.append(Problem.because(
                    file, None, None, f"{field}.{ident}", Message.of("key_problem", problem=reason)
                ))

    used: set[str] = set()
    found: dict[tuple[str, str], Problem] = {}
    for context in contexts():
        for dimension in EXPERT_DIMENSIONS:
            if dimension not in known or dimension not in weights.default:
                continue  # reported already: the checklist or the default weights are missing
            field, mapping = weights.chosen(dimension, context)
            used.add(field)
            applicable = {c.id: c for c in checklists.criteria_for(dimension, context)}
            for ident in applicable:
                if ident not in mapping:
                    key = (f"{field}.{ident}", "missing")
                    found.setdefault(key, Problem.of(file, None, None, key[0], "missing"))
            for ident in mapping:
                if ident in known[dimension] and ident not in applicable:
                    key = (f"{field}.{ident}", "not_applicable")
                    criterion = next(c for c in checklists.dimension(dimension).criteria
                                     if c.id == ident)
                    found.setdefault(key, Problem.of(
                        file, None, None, key[0], "criterion_not_applicable",
                        criterion=ident, context=_describe(criterion, context),
                    ))
    problems += found.values()
    for field, _, _ in maps:
        if field not in used and field.startswith(_VARIANTS):
            problems.append(Problem.of(file, None, None, field, "variant_never_used"))
    return problems


def _describe(criterion: Criterion, context: Context) -> str:
    """The attribute values of ``context`` that keep ``criterion`` from applying."""
    assert criterion.applies_to is not None
    return ", ".join(
        f"{name} {getattr(context, name)}"
        for name, values in criterion.applies_to.named().items()
        if getattr(context, name) not in values
    )


def _rubric(problem: Any, field: str, rubric: Sequence[RubricLevel]) -> list[Problem]:
    levels = [entry.level for entry in rubric]
    if levels == list(LEVELS):
        return []
    if not levels:
        return [problem(field, "levels_none")]
    return [problem(field, "levels_order", levels=", ".join(str(level) for level in levels))]


def _duplicates(file: str, field: str, ids: Sequence[str]) -> list[Problem]:
    """Duplicate ids in a list whose entries have no kind of their own (named by the field)."""
    return [
        Problem.of(file, None, None, f"{field}[{each}].id", "duplicate_id", id=each, count=count)
        for each, count in Counter(ids).items()
        if count > 1
    ]


def _dimension_ids(file: str, kind: str | None, field: str, ids: Sequence[str]) -> list[Problem]:
    """The dimensions listed in ``field`` must be the three expert dimensions, each once.

    With a ``kind`` the entries are named by it (a list of dimensions); without, ``ids`` are the
    keys of a mapping, which YAML already keeps unique.
    """
    problems = duplicate_ids(file, kind, ids) if kind is not None else []
    for ident in dict.fromkeys(ids):
        if ident not in EXPERT_DIMENSIONS:
            if kind is not None:
                problems.append(_unknown_dimension(file, kind, ident, "id", ident))
            else:
                problems.append(_unknown_dimension(file, None, None, field, ident))
    for ident in EXPERT_DIMENSIONS:
        if ident not in ids:
            problems.append(
                Problem.of(file, None, None, field, "dimension_missing", dimension=ident)
            )
    return problems


def _unknown_dimension(
    file: str, kind: str | None, ident: str | None, field: str, dimension: str
) -> Problem:
    return Problem.of(
        file, kind, ident, field, "unknown_dimension_of",
        dimension=dimension, dimensions=", ".join(EXPERT_DIMENSIONS),
    )
