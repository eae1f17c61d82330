"""The shape of each file in ``questionnaires/``, as pydantic models.

These models check structure and single values (types, ids, languages, levels 1–5). Rules that
look at several entries at once — unique ids, references, weights summing to 1 — live in
``checks.py`` so that each can name the exact entry and field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from .texts import OPTION_ID_PATTERN, SOURCE_PATTERN, Id, Level, Model, OneLineText, Text

Weight = Annotated[float, Field(gt=0, le=1)]
Share = Annotated[float, Field(gt=0, le=1)]


# --- competences.yaml -----------------------------------------------------------------------
class Competence(Model):
    id: Id
    name: Text
    description: Text


class CompetenceCatalogue(Model):
    competences: list[Competence] = Field(min_length=1)

    def ids(self) -> list[str]:
        """Competence ids in catalogue order."""
        return [competence.id for competence in self.competences]


# --- digital_culture.yaml -------------------------------------------------------------------
class ResponseOption(Model):
    value: int
    label: Text


class Scale(Model):
    id: Id
    name: Text
    description: Text


class SurveyItem(Model):
    id: Id
    scale: Id
    reverse: bool = False
    text: Text


class SelfRatingItem(Model):
    """One "I can …" statement about one competence, answered on the self-rating scale."""

    id: Id
    competence: Id
    text: Text


class SelfRating(Model):
    """A self-rating per competence, set against the tested level (DigCompSAT-style levels)."""

    title: Text
    intro: Text
    # Values 1..5 are the proficiency levels, each described as what the person can do.
    response_scale: list[ResponseOption] = Field(min_length=1)
    items: list[SelfRatingItem] = Field(min_length=1)


class Survey(Model):
    id: Id
    kind: Literal["survey"]
    title: Text
    intro: Text
    response_scale: list[ResponseOption] = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)
    items: list[SurveyItem] = Field(min_length=1)
    self_rating: SelfRating | None = None

    def items_of(self, scale_id: str) -> list[SurveyItem]:
        """The items of one scale, in file order."""
        return [item for item in self.items if item.scale == scale_id]


# --- digital_skills_test.yaml ---------------------------------------------------------------
def _refuse_reverse(value: Any) -> Any:
    raise PydanticCustomError(
        "reverse_on_test_item",
        "reverse keying is only for Likert survey items, not test items",
    )


class TestOption(Model):
    id: Annotated[str, Field(pattern=OPTION_ID_PATTERN)]
    text: Text


class TestItem(Model):
    id: Id
    competence: Id
    level: Level
    type: Literal["single", "multiple", "true_false"]
    text: Text
    options: list[TestOption] = Field(default_factory=list)
    # single: an option id; multiple: a list of option ids; true_false: true or false.
    # Its shape depends on ``type``, so it is checked in checks.py with a message to match.
    key: Any
    explanation: Text
    # Declared only to answer a misplaced ``reverse`` with a clear message; never stored.
    reverse: Annotated[Any, AfterValidator(_refuse_reverse)] = Field(default=None, exclude=True)

    def option_ids(self) -> list[str]:
        """The item's option ids, in file order."""
        return [option.id for option in self.options]


class Test(Model):
    __test__ = False  # not a pytest test class

    id: Id
    kind: Literal["test"]
    title: Text
    intro: Text
    # The fixed form a linear campaign presents, as item ids (all items when empty).
    linear_form: list[Id] = Field(default_factory=list)
    items: list[TestItem] = Field(min_length=1)


# --- role_profiles.yaml ---------------------------------------------------------------------
class RoleProfile(Model):
    id: Id
    name: Text
    rationale: OneLineText
    required: dict[str, Level]


class RoleProfiles(Model):
    profiles: list[RoleProfile] = Field(min_length=1)


# --- courses.yaml ---------------------------------------------------------------------------
class Course(Model):
    id: Id
    title: Text
    description: Text
    competences: list[Id] = Field(min_length=1)
    level_from: Level
    level_to: Level
    hours: Annotated[int, Field(gt=0)]
    format: Literal["online", "classroom", "blended"]
    capacity: Annotated[int, Field(gt=0)]


class CourseCatalogue(Model):
    courses: list[Course] = Field(min_length=1)


# --- maturity_model.yaml --------------------------------------------------------------------
DIMENSION_IDS = (
    "strategic_management",
    "organisational_maturity",
    "technological_maturity",
    "digital_culture",
)


class LevelBand(Model):
    level: Level
    name: Text
    description: Text
    min_score: Annotated[float, Field(ge=1, le=5)]


class Dimension(Model):
    id: Id
    name: Text
    description: Text | None = None
    weight: Weight


class CultureSubscore(Model):
    id: Id
    name: Text
    # "test" (mean measured proficiency over competences) or "scale:<survey scale id>".
    source: Annotated[str, Field(pattern=SOURCE_PATTERN)]
    weight: Weight

    @property
    def scale(self) -> str | None:
        """The survey scale this sub-score reads, or None for the test."""
        return self.source.removeprefix("scale:") if self.source != "test" else None


class ProficiencyRule(Model):
    pass_share: Share
    multiple_choice: Literal["all_or_nothing"]
    missing_scale_items: Share

    def level(self, share_right_by_level: Mapping[int, float]) -> int:
        """The measured proficiency 1–5 of one competence.

        ``share_right_by_level`` maps each level that has items to the share of them answered
        right (0–1). The result is the highest level L such that every level 1..L with items is
        passed (share >= ``pass_share``); no level passed gives 1.
        """
        measured = 1
        for level in range(1, 6):
            share = share_right_by_level.get(level)
            if share is None:
                continue
            if share < self.pass_share:
                break
            measured = level
        return measured


class AdaptiveTest(Model):
    """How an adaptive campaign picks items, when it stops, and where the levels begin."""

    # θ where levels 2, 3, 4, 5 begin (increasing), on the scale of the item parameters.
    cut_scores: list[float] = Field(min_length=4, max_length=4)
    max_items: Annotated[int, Field(gt=0)]
    target_se: Annotated[float, Field(gt=0)]
    min_per_competence: Annotated[int, Field(ge=0)]
    randomesque: Annotated[int, Field(gt=0)]
    exposure: Literal["randomesque", "progressive"]
    # Sympson–Hetter: no item shown to more than this share of takers (analysis/exposure.py).
    max_exposure: Annotated[float, Field(gt=0, le=1)] | None = None


class Recommendations(Model):
    by_level: dict[int, Text]
    by_dimension: dict[str, dict[int, Text]]


class MaturityModelFile(Model):
    levels: list[LevelBand]
    dimensions: list[Dimension]
    culture_subscores: list[CultureSubscore] = Field(min_length=1)
    proficiency_rule: ProficiencyRule
    adaptive_test: AdaptiveTest | None = None
    recommendations: Recommendations
    # The expert checklists' criterion weights; their shape is checked by checklist_schema.py.
    criterion_weights: dict[str, Any] | None = None

    def level_for(self, score: float) -> int:
        """The level band (1–5) a score on the 1–5 scale falls in."""
        level = self.levels[0].level
        for band in self.levels:
            if score >= band.min_score:
                level = band.level
        return level
