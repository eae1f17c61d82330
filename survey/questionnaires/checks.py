"""Rules that look at several entries at once, within a file and across files.

Each check returns problems (never raises), so that one run reports everything wrong in every
file. Cross-file checks are reported against the file that holds the reference.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from .formats import (
    DIMENSION_IDS,
    CompetenceCatalogue,
    CourseCatalogue,
    MaturityModelFile,
    RoleProfiles,
    Survey,
    Test,
    TestItem,
)
from .problems import Problem

MIN_SCALE_ITEMS = 6
SINGLE_OPTIONS = (3, 5)
MULTIPLE_OPTIONS = (4, 6)
LEVELS = (1, 2, 3, 4, 5)


def duplicate_ids(file: str, kind: str, ids: Sequence[str]) -> list[Problem]:
    """One problem per id used more than once in a list."""
    counts = Counter(ids)
    return [
        Problem.of(file, kind, ident, "id", "duplicate_id", id=ident, count=count)
        for ident, count in counts.items()
        if count > 1
    ]


def weights_sum_to_one(file: str, field: str, weights: Iterable[float]) -> list[Problem]:
    """A problem if the weights of a list do not add up to 1."""
    total = math.fsum(weights)
    if math.isclose(total, 1.0, abs_tol=1e-9):
        return []
    return [Problem.of(file, None, None, field, "weights_sum", total=f"{total:g}")]


# --- single files ---------------------------------------------------------------------------
def check_competences(file: str, catalogue: CompetenceCatalogue) -> list[Problem]:
    return duplicate_ids(file, "competence", catalogue.ids())


def check_survey(file: str, survey: Survey) -> list[Problem]:
    problems = []
    values = [option.value for option in survey.response_scale]
    if values != list(LEVELS):
        shown = ", ".join(str(value) for value in values)
        problems.append(
            Problem.of(file, None, None, "response_scale", "response_values", values=shown)
        )
    scale_ids = [scale.id for scale in survey.scales]
    problems += duplicate_ids(file, "scale", scale_ids)
    problems += duplicate_ids(file, "item", [item.id for item in survey.items])
    known = ", ".join(scale_ids)
    for item in survey.items:
        if item.scale not in scale_ids:
            problems.append(
                Problem.of(
                    file, "item", item.id, "scale", "unknown_scale", scale=item.scale, scales=known
                )
            )
    for scale_id in dict.fromkeys(scale_ids):
        items = survey.items_of(scale_id)
        if len(items) < MIN_SCALE_ITEMS:
            problems.append(
                Problem.of(
                    file, "scale", scale_id, "items", "scale_too_small",
                    count=len(items), minimum=MIN_SCALE_ITEMS,
                )
            )
        if not any(item.reverse for item in items):
            problems.append(Problem.of(file, "scale", scale_id, "items", "scale_not_reversed"))
    return problems


def check_test(file: str, test: Test) -> list[Problem]:
    problems = duplicate_ids(file, "item", [item.id for item in test.items])
    for item in test.items:
        problems += _check_test_item(file, item)
    return problems


def _check_test_item(file: str, item: TestItem) -> list[Problem]:
    def problem(field: str, code: str, **params: object) -> Problem:
        return Problem.of(file, "item", item.id, field, code, **params)

    problems = []
    option_ids = item.option_ids()
    for option_id, count in Counter(option_ids).items():
        if count > 1:
            problems.append(problem("options", "duplicate_option", option=option_id))
    if item.type == "true_false":
        if option_ids:
            problems.append(problem("options", "true_false_options"))
        if not isinstance(item.key, bool):
            problems.append(problem("key", "true_false_key"))
        return problems

    low, high = SINGLE_OPTIONS if item.type == "single" else MULTIPLE_OPTIONS
    if not low <= len(option_ids) <= high:
        problems.append(
            problem(
                "options", "option_count", type=item.type, low=low, high=high,
                count=len(option_ids),
            )
        )
    if item.type == "single":
        if not isinstance(item.key, str):
            return problems + [problem("key", "single_key")]
        keys = [item.key]
    else:
        if not isinstance(item.key, list) or not all(isinstance(k, str) for k in item.key):
            return problems + [problem("key", "multiple_key")]
        keys = item.key
        if not keys:
            problems.append(problem("key", "key_empty"))
        for key, count in Counter(keys).items():
            if count > 1:
                problems.append(problem("key", "key_twice", option=key))
        if option_ids and set(keys) >= set(option_ids):
            problems.append(problem("key", "key_all"))
    for key in dict.fromkeys(keys):
        if key not in option_ids:
            problems.append(problem("key", "key_unknown_option", option=key))
    return problems


def check_role_profiles(file: str, profiles: RoleProfiles) -> list[Problem]:
    return duplicate_ids(file, "profile", [profile.id for profile in profiles.profiles])


def check_courses(file: str, catalogue: CourseCatalogue) -> list[Problem]:
    problems = duplicate_ids(file, "course", [course.id for course in catalogue.courses])
    for course in catalogue.courses:
        for competence, count in Counter(course.competences).items():
            if count > 1:
                problems.append(
                    Problem.of(
                        file, "course", course.id, "competences", "competence_twice",
                        competence=competence,
                    )
                )
        if course.level_from >= course.level_to:
            problems.append(
                Problem.of(
                    file, "course", course.id, "level_to", "course_levels",
                    level_to=course.level_to, level_from=course.level_from,
                )
            )
    return problems


def check_maturity_model(file: str, model: MaturityModelFile) -> list[Problem]:
    def problem(field: str, code: str, **params: object) -> Problem:
        return Problem.of(file, None, None, field, code, **params)

    problems = []
    levels = [band.level for band in model.levels]
    if levels != list(LEVELS):
        if levels:
            shown = ", ".join(str(level) for level in levels)
            problems.append(problem("levels", "levels_order", levels=shown))
        else:
            problems.append(problem("levels", "levels_none"))
    scores = [band.min_score for band in model.levels]
    if scores and scores[0] != 1.0:
        problems.append(problem("levels", "first_min_score"))
    if any(later <= earlier for earlier, later in zip(scores, scores[1:], strict=False)):
        problems.append(problem("levels", "min_score_order"))

    dimension_ids = [dimension.id for dimension in model.dimensions]
    problems += duplicate_ids(file, "dimension", dimension_ids)
    for ident in dimension_ids:
        if ident not in DIMENSION_IDS:
            problems.append(
                Problem.of(
                    file, "dimension", ident, "id", "unknown_dimension_of",
                    dimension=ident, dimensions=", ".join(DIMENSION_IDS),
                )
            )
    for ident in DIMENSION_IDS:
        if ident not in dimension_ids:
            problems.append(problem("dimensions", "dimension_missing", dimension=ident))
    problems += weights_sum_to_one(file, "dimensions", (d.weight for d in model.dimensions))

    subscores = model.culture_subscores
    problems += duplicate_ids(file, "sub-score", [subscore.id for subscore in subscores])
    for source, count in Counter(subscore.source for subscore in subscores).items():
        if count > 1:
            problems.append(
                problem("culture_subscores", "source_repeated", source=source, count=count)
            )
    problems += weights_sum_to_one(file, "culture_subscores", (s.weight for s in subscores))

    recommendations = model.recommendations
    problems += _levels_complete(file, "recommendations.by_level", recommendations.by_level)
    for ident in recommendations.by_dimension:
        if ident not in DIMENSION_IDS:
            problems.append(problem("recommendations.by_dimension", "unknown_dimension", dimension=ident))
    for ident in DIMENSION_IDS:
        texts = recommendations.by_dimension.get(ident)
        field = f"recommendations.by_dimension.{ident}"
        if texts is None:
            problems.append(problem(
                "recommendations.by_dimension", "dimension_texts_missing", dimension=ident
            ))
        else:
            problems += _levels_complete(file, field, texts)
    return problems


def _levels_complete(file: str, field: str, by_level: dict[int, object]) -> list[Problem]:
    problems = [
        Problem.of(file, None, None, field, "level_outside", level=level)
        for level in by_level
        if level not in LEVELS
    ]
    missing = [str(level) for level in LEVELS if level not in by_level]
    if missing:
        problems.append(
            Problem.of(file, None, None, field, "level_texts_missing", levels=", ".join(missing))
        )
    return problems


# --- across files ---------------------------------------------------------------------------
def check_references(
    files: dict[str, str],
    competences: CompetenceCatalogue | None,
    survey: Survey | None,
    test: Test | None,
    profiles: RoleProfiles | None,
    courses: CourseCatalogue | None,
    model: MaturityModelFile | None,
) -> list[Problem]:
    """References between files. ``files`` maps each role (e.g. "test") to its file name.

    A reference into a file that was itself refused is not checked: its ids are unknown.
    """
    problems: list[Problem] = []
    if competences is not None:
        known = competences.ids()

        def unknown(file: str, kind: str, ident: str, field: str, competence: str) -> Problem:
            return Problem.of(
                file, kind, ident, field, "unknown_competence",
                competence=competence, file=files["competences"],
            )

        if test is not None:
            for item in test.items:
                if item.competence not in known:
                    problems.append(
                        unknown(files["test"], "item", item.id, "competence", item.competence)
                    )
        if profiles is not None:
            for profile in profiles.profiles:
                for competence in profile.required:
                    if competence not in known:
                        problems.append(
                            unknown(
                                files["role_profiles"], "profile", profile.id,
                                f"required.{competence}", competence,
                            )
                        )
                for competence in known:
                    if competence not in profile.required:
                        problems.append(
                            Problem.of(
                                files["role_profiles"], "profile", profile.id, "required",
                                "required_level_missing", competence=competence,
                            )
                        )
        if courses is not None:
            for course in courses.courses:
                for competence in course.competences:
                    if competence not in known:
                        problems.append(
                            unknown(files["courses"], "course", course.id, "competences", competence)
                        )
    if survey is not None and model is not None:
        scales = [scale.id for scale in survey.scales]
        for subscore in model.culture_subscores:
            if subscore.scale is not None and subscore.scale not in scales:
                problems.append(
                    Problem.of(
                        files["maturity_model"], "sub-score", subscore.id, "source",
                        "unknown_survey_scale",
                        scale=subscore.scale, file=files["survey"], scales=", ".join(scales),
                    )
                )
    return problems
