"""Reading and checking the expert checklists and their criterion weights (the formats are in
:mod:`.checklist_schema`): every problem in both files is reported, and a file is accepted or
refused whole."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .checklist_schema import (
    CHECKLISTS_FILE,
    EXPERT_DIMENSIONS,
    MATURITY_MODEL_FILE,
    WEIGHTS_DEFAULT_FIELD,
    WEIGHTS_FIELD,
    WEIGHTS_VARIANTS_FIELD,
    Context,
    Criterion,
    CriterionWeights,
    ExpertChecklists,
    ExpertDefinitions,
    ModelWithWeights,
    RubricLevel,
    contexts,
)
from .checks import LEVELS, duplicate_ids, weights_sum_to_one
from .formats import MaturityModelFile
from .messages import Message
from .problems import DefinitionError, Problem, problems_from_validation_error


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
    from .schema import read_yaml  # schema imports this module for the folder's checks

    return parse_checklists(read_yaml(path), path.name)


def parse_criterion_weights(
    model: MaturityModelFile, file: str = MATURITY_MODEL_FILE
) -> CriterionWeights:
    """The ``criterion_weights`` of a validated maturity model, checked on their own (without
    the checklists); raise DefinitionError."""
    if model.criterion_weights is None:
        raise DefinitionError([Problem.of(file, None, None, WEIGHTS_FIELD, "missing")])
    raw = {WEIGHTS_FIELD: model.criterion_weights}
    try:
        weights = ModelWithWeights.model_validate(raw).criterion_weights
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
    from .schema import load_file  # schema imports this module for the folder's checks

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
    problems = _dimension_ids(file, None, WEIGHTS_DEFAULT_FIELD, list(weights.default))
    for dimension, mapping in weights.default.items():
        problems += weights_sum_to_one(file, f"{WEIGHTS_DEFAULT_FIELD}.{dimension}", mapping.values())
    problems += _duplicates(file, WEIGHTS_VARIANTS_FIELD, [v.id for v in weights.variants])
    for variant in weights.variants:
        field = f"{WEIGHTS_VARIANTS_FIELD}[{variant.id}]"
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
    maps = [(f"{WEIGHTS_DEFAULT_FIELD}.{d}", d, m) for d, m in weights.default.items()]
    maps += [
        (f"{WEIGHTS_VARIANTS_FIELD}[{v.id}].weights.{d}", d, m)
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
        if field not in used and field.startswith(WEIGHTS_VARIANTS_FIELD):
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
