"""What one assessment rates: the criteria of each expert dimension that apply to the body in
the context recorded on the assessment, with their rubric and weight, from the loaded
checklists (:func:`survey.questionnaires.reference.expert_checklists`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Assessment, Organisation
from ..questionnaires.checklist_schema import (
    EXPERT_DIMENSIONS,
    Context,
    Criterion,
    RubricLevel,
)
from ..questionnaires.reference import LoadedChecklists


@dataclass(frozen=True)
class Item:
    """One criterion to rate: its definition, the rubric for the body, its weight."""

    dimension: str
    criterion: Criterion
    rubric: list[RubricLevel]
    weight: float


def context_of(organisation: Organisation) -> dict[str, str | None]:
    """The body's attributes the checklists depend on, as stored on an assessment."""
    context = Context.of(organisation)
    return {"governance_level": context.governance_level, "sector": context.sector,
            "project_office": context.project_office}


def checklist(loaded: LoadedChecklists, context: dict) -> list[Item]:
    """Every criterion a body in ``context`` is rated on, dimension by dimension, in file order."""
    ctx = Context(**context)
    items = []
    for dimension in EXPERT_DIMENSIONS:
        weights = loaded.expert.criterion_weights(dimension, ctx)
        for criterion in loaded.expert.criteria(dimension, ctx):
            items.append(Item(dimension, criterion, criterion.rubric_for(ctx),
                              weights[criterion.id]))
    return items


def items_of(loaded: LoadedChecklists, assessment: Assessment) -> list[Item]:
    return checklist(loaded, assessment.context)
