"""Rules that look at several entries at once, within a file and across files.

Each check returns problems (never raises), so that one run reports everything wrong in every
file. Cross-file checks are reported against the file that holds the reference.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from .models import (
    DIMENSION_IDS,
    CompetenceCatalogue,
    CourseCatalogue,
    MaturityModel,
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
        Problem(file, kind, ident, "id", f'duplicate id "{ident}" (used {count} times)')
        for ident, count in counts.items()
        if count > 1
    ]


def weights_sum_to_one(file: str, field: str, weights: Iterable[float]) -> list[Problem]:
    """A problem if the weights of a list do not add up to 1."""
    total = math.fsum(weights)
    if math.isclose(total, 1.0, abs_tol=1e-9):
        return []
    return [Problem(file, None, None, field, f"the weights sum to {total:g}; they must sum to 1")]


# --- single files ---------------------------------------------------------------------------
def check_competences(file: str, catalogue: CompetenceCatalogue) -> list[Problem]:
    return duplicate_ids(file, "competence", catalogue.ids())


def check_survey(file: str, survey: Survey) -> list[Problem]:
    problems = []
    values = [option.value for option in survey.response_scale]
    if values != list(LEVELS):
        shown = ", ".join(str(value) for value in values)
        problems.append(
            Problem(
                file,
                None,
                None,
                "response_scale",
                f"the values must be 1, 2, 3, 4, 5 in this order, not {shown}",
            )
        )
    scale_ids = [scale.id for scale in survey.scales]
    problems += duplicate_ids(file, "scale", scale_ids)
    problems += duplicate_ids(file, "item", [item.id for item in survey.items])
    known = ", ".join(scale_ids)
    for item in survey.items:
        if item.scale not in scale_ids:
            problems.append(
                Problem(
                    file,
                    "item",
                    item.id,
                    "scale",
                    f'unknown scale "{item.scale}"; the scales are {known}',
                )
            )
    for scale_id in dict.fromkeys(scale_ids):
        items = survey.items_of(scale_id)
        if len(items) < MIN_SCALE_ITEMS:
            problems.append(
                Problem(
                    file,
                    "scale",
                    scale_id,
                    "items",
                    f"the scale has {len(items)} items; it needs at least {MIN_SCALE_ITEMS}",
                )
            )
        if not any(item.reverse for item in items):
            problems.append(
                Problem(
                    file,
                    "scale",
                    scale_id,
                    "items",
                    "the scale has no reverse-keyed item; it needs at least one",
                )
            )
    return problems


def check_test(file: str, test: Test) -> list[Problem]:
    problems = duplicate_ids(file, "item", [item.id for item in test.items])
    for item in test.items:
        problems += _check_test_item(file, item)
    return problems


def _check_test_item(file: str, item: TestItem) -> list[Problem]:
    def problem(field: str, message: str) -> Problem:
        return Problem(file, "item", item.id, field, message)

    problems = []
    option_ids = item.option_ids()
    for option_id, count in Counter(option_ids).items():
        if count > 1:
            problems.append(problem("options", f'duplicate option id "{option_id}"'))
    if item.type == "true_false":
        if option_ids:
            problems.append(problem("options", "a true_false item has no options"))
        if not isinstance(item.key, bool):
            problems.append(problem("key", "a true_false item's key must be true or false"))
        return problems

    low, high = SINGLE_OPTIONS if item.type == "single" else MULTIPLE_OPTIONS
    if not low <= len(option_ids) <= high:
        problems.append(
            problem(
                "options",
                f"a {item.type} item needs {low} to {high} options; it has {len(option_ids)}",
            )
        )
    if item.type == "single":
        if not isinstance(item.key, str):
            return problems + [problem("key", "a single item's key must be one option id")]
        keys = [item.key]
    else:
        if not isinstance(item.key, list) or not all(isinstance(k, str) for k in item.key):
            return problems + [problem("key", "a multiple item's key must be a list of option ids")]
        keys = item.key
        if not keys:
            problems.append(problem("key", "the key lists no option; list the right ones"))
        for key, count in Counter(keys).items():
            if count > 1:
                problems.append(problem("key", f'option "{key}" is listed twice'))
        if option_ids and set(keys) >= set(option_ids):
            problems.append(
                problem("key", "the key lists every option; leave at least one wrong option")
            )
    for key in dict.fromkeys(keys):
        if key not in option_ids:
            problems.append(problem("key", f'option "{key}" is not one of the item\'s options'))
    return problems


def check_role_profiles(file: str, profiles: RoleProfiles) -> list[Problem]:
    return duplicate_ids(file, "profile", [profile.id for profile in profiles.profiles])


def check_courses(file: str, catalogue: CourseCatalogue) -> list[Problem]:
    problems = duplicate_ids(file, "course", [course.id for course in catalogue.courses])
    for course in catalogue.courses:
        for competence, count in Counter(course.competences).items():
            if count > 1:
                problems.append(
                    Problem(
                        file,
                        "course",
                        course.id,
                        "competences",
                        f'competence "{competence}" is listed twice',
                    )
                )
        if course.level_from >= course.level_to:
            problems.append(
                Problem(
                    file,
                    "course",
                    course.id,
                    "level_to",
                    f"level_to ({course.level_to}) must be above level_from ({course.level_from})",
                )
            )
    return problems


def check_maturity_model(file: str, model: MaturityModel) -> list[Problem]:
    def problem(field: str, message: str) -> Problem:
        return Problem(file, None, None, field, message)

    problems = []
    levels = [band.level for band in model.levels]
    if levels != list(LEVELS):
        shown = ", ".join(str(level) for level in levels) or "none"
        problems.append(problem("levels", f"the levels must be 1 to 5 in order, not {shown}"))
    scores = [band.min_score for band in model.levels]
    if scores and scores[0] != 1.0:
        problems.append(problem("levels", "the first level must start at min_score 1.0"))
    if any(later <= earlier for earlier, later in zip(scores, scores[1:], strict=False)):
        problems.append(problem("levels", "min_score must increase from level to level"))

    dimension_ids = [dimension.id for dimension in model.dimensions]
    problems += duplicate_ids(file, "dimension", dimension_ids)
    for ident in dimension_ids:
        if ident not in DIMENSION_IDS:
            problems.append(
                Problem(
                    file,
                    "dimension",
                    ident,
                    "id",
                    f'unknown dimension "{ident}"; the dimensions are {", ".join(DIMENSION_IDS)}',
                )
            )
    for ident in DIMENSION_IDS:
        if ident not in dimension_ids:
            problems.append(problem("dimensions", f'dimension "{ident}" is missing'))
    problems += weights_sum_to_one(file, "dimensions", (d.weight for d in model.dimensions))

    subscores = model.culture_subscores
    problems += duplicate_ids(file, "sub-score", [subscore.id for subscore in subscores])
    for source, count in Counter(subscore.source for subscore in subscores).items():
        if count > 1:
            problems.append(
                problem("culture_subscores", f'source "{source}" is used {count} times')
            )
    problems += weights_sum_to_one(file, "culture_subscores", (s.weight for s in subscores))

    recommendations = model.recommendations
    problems += _levels_complete(file, "recommendations.by_level", recommendations.by_level)
    for ident in recommendations.by_dimension:
        if ident not in DIMENSION_IDS:
            problems.append(problem("recommendations.by_dimension", f'unknown dimension "{ident}"'))
    for ident in DIMENSION_IDS:
        texts = recommendations.by_dimension.get(ident)
        field = f"recommendations.by_dimension.{ident}"
        if texts is None:
            problems.append(problem("recommendations.by_dimension", f'"{ident}" is missing'))
        else:
            problems += _levels_complete(file, field, texts)
    return problems


def _levels_complete(file: str, field: str, by_level: dict[int, object]) -> list[Problem]:
    problems = [
        Problem(file, None, None, field, f"level {level} is outside 1–5")
        for level in by_level
        if level not in LEVELS
    ]
    missing = [str(level) for level in LEVELS if level not in by_level]
    if missing:
        problems.append(Problem(file, None, None, field, f"no text for level {', '.join(missing)}"))
    return problems


# --- across files ---------------------------------------------------------------------------
def check_references(
    files: dict[str, str],
    competences: CompetenceCatalogue | None,
    survey: Survey | None,
    test: Test | None,
    profiles: RoleProfiles | None,
    courses: CourseCatalogue | None,
    model: MaturityModel | None,
) -> list[Problem]:
    """References between files. ``files`` maps each role (e.g. "test") to its file name.

    A reference into a file that was itself refused is not checked: its ids are unknown.
    """
    problems: list[Problem] = []
    if competences is not None:
        known = competences.ids()

        def unknown(competence: str) -> str:
            return f'unknown competence "{competence}"; see {files["competences"]}'

        if test is not None:
            for item in test.items:
                if item.competence not in known:
                    problems.append(
                        Problem(
                            files["test"], "item", item.id, "competence", unknown(item.competence)
                        )
                    )
        if profiles is not None:
            for profile in profiles.profiles:
                for competence in profile.required:
                    if competence not in known:
                        problems.append(
                            Problem(
                                files["role_profiles"],
                                "profile",
                                profile.id,
                                f"required.{competence}",
                                unknown(competence),
                            )
                        )
                for competence in known:
                    if competence not in profile.required:
                        problems.append(
                            Problem(
                                files["role_profiles"],
                                "profile",
                                profile.id,
                                "required",
                                f'no required level for competence "{competence}"',
                            )
                        )
        if courses is not None:
            for course in courses.courses:
                for competence in course.competences:
                    if competence not in known:
                        problems.append(
                            Problem(
                                files["courses"],
                                "course",
                                course.id,
                                "competences",
                                unknown(competence),
                            )
                        )
    if survey is not None and model is not None:
        scales = [scale.id for scale in survey.scales]
        for subscore in model.culture_subscores:
            if subscore.scale is not None and subscore.scale not in scales:
                problems.append(
                    Problem(
                        files["maturity_model"],
                        "sub-score",
                        subscore.id,
                        "source",
                        f'unknown scale "{subscore.scale}"; the scales of '
                        f"{files['survey']} are {', '.join(scales)}",
                    )
                )
    return problems
