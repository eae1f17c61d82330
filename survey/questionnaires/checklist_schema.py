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

    expert = load_expert_definitions(Path("questionnaires"))   # checklist_checks; raises DefinitionError
    context = Context.of(organisation)
    for criterion in expert.criteria("strategic_management", context):
        levels = criterion.rubric_for(context)
    score = expert.score("strategic_management", context, {"sm-strategy": 3, ...})

Like the rest of the schema, a file is accepted or refused whole and every :class:`Problem` is
reported. This module checks both files' share of the expert checklists;
``schema.load_definitions`` runs the checks of :mod:`.checklist_checks` over the whole folder,
and ``questionnaires load`` stores the checklists as reference data.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from ..models.org import GOVERNANCE_LEVELS, PROJECT_OFFICES, SECTORS
from .checks import LEVELS
from .formats import DIMENSION_IDS, Weight
from .texts import Id, Level, Model, Text

CHECKLISTS_FILE = "expert_checklists.yaml"
MATURITY_MODEL_FILE = "maturity_model.yaml"
# The files of questionnaires/ this module adds to schema.FILES.
FILES = (CHECKLISTS_FILE,)

# The dimensions rated by an assessor; digital culture is measured by the survey and the test.
EXPERT_DIMENSIONS = tuple(ident for ident in DIMENSION_IDS if ident != "digital_culture")

# The attributes of a body that choose criteria, rubrics and weights, and their values: the
# organisation model's own lists (one definition), and the project office's kinds.

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
                return f"{WEIGHTS_VARIANTS_FIELD}[{variant.id}].weights.{dimension}", variant.weights[dimension]
        return f"{WEIGHTS_DEFAULT_FIELD}.{dimension}", self.default.get(dimension, {})

    def for_context(self, dimension: str, context: Context) -> dict[str, float]:
        return self.chosen(dimension, context)[1]


class ModelWithWeights(Model):
    """The key of maturity_model.yaml this module reads, so that problems name its path."""

    criterion_weights: CriterionWeights


WEIGHTS_FIELD = "criterion_weights"
WEIGHTS_DEFAULT_FIELD = f"{WEIGHTS_FIELD}.default"
WEIGHTS_VARIANTS_FIELD = f"{WEIGHTS_FIELD}.variants"


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
