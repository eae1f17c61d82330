"""The expert checklists and their criterion weights: the shipped files, the choice by context,
and each kind of mistake refused with the exact message its author will read."""

from __future__ import annotations

import copy
import math
import shutil
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from flask_babel import force_locale

from survey import create_app
from survey.questionnaires.checklist_checks import (
    check_criterion_weights,
    load_checklists,
    load_expert_definitions,
    parse_checklists,
    parse_criterion_weights,
    validate_checklists,
)
from survey.questionnaires.checklist_schema import (
    CHECKLISTS_FILE,
    EXPERT_DIMENSIONS,
    GOVERNANCE_LEVELS,
    MATURITY_MODEL_FILE,
    SECTORS,
    Context,
    ExpertDefinitions,
    contexts,
)
from survey.questionnaires.messages import describe
from survey.questionnaires.schema import DefinitionError, dump, parse_file, validate_folder
from tests.conftest import make_config

from .helpers import SHIPPED, copy_folder, shipped, write
from .test_shipped_files import OPTIONAL, texts

REPUBLICAN = Context("republican", "health", "centralised")
AKIMAT = Context("local", "general_administration", "centralised")
DECENTRALISED = Context("republican", "education", "decentralised")
UNRECORDED_OFFICE = Context("regional", "social", None)
SECURITY = Context("republican", "justice_security", "centralised")

EXPECTED_CRITERIA = {
    "strategic_management": [
        "sm-strategy", "sm-alignment", "sm-coordination", "sm-monitoring", "sm-regulation",
        "sm-sector",
    ],
    "organisational_maturity": [
        "om-pm-standards", "om-project-office", "om-automation", "om-pm-tools", "om-integration",
    ],
    "technological_maturity": ["tm-systems", "tm-cloud", "tm-data", "tm-ai", "tm-security"],
}


@pytest.fixture(scope="module")
def expert() -> ExpertDefinitions:
    return load_expert_definitions(SHIPPED)


def criterion(data: dict[str, Any], ident: str) -> dict[str, Any]:
    """The criterion with this id, wherever it is in the parsed checklists."""
    return next(
        each for dimension in data["dimensions"] for each in dimension["criteria"]
        if each["id"] == ident
    )


def weights(data: dict[str, Any]) -> dict[str, Any]:
    return data["criterion_weights"]


def variant(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(each for each in weights(data)["variants"] if each["id"] == ident)


# --- the shipped files ----------------------------------------------------------------------
def test_the_shipped_checklists_and_weights_pass_validation():
    assert [str(problem) for problem in validate_checklists(SHIPPED)] == []


def test_the_shipped_folder_still_passes_with_the_checklists_in_it():
    assert (SHIPPED / CHECKLISTS_FILE).exists()
    assert [str(problem) for problem in validate_folder(SHIPPED, optional=OPTIONAL)] == []


def test_a_misspelt_checklists_file_is_still_an_unknown_file(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    shutil.copy(SHIPPED / CHECKLISTS_FILE, folder / "expert_checklist.yaml")
    [problem] = [str(p) for p in validate_folder(folder)]
    assert problem.startswith("expert_checklist.yaml: unknown file; the files of questionnaires/")


def test_each_expert_dimension_has_its_agreed_criteria(expert):
    assert EXPERT_DIMENSIONS == (
        "strategic_management", "organisational_maturity", "technological_maturity"
    )
    found = {d.id: d.criterion_ids() for d in expert.checklists.dimensions}
    assert found == EXPECTED_CRITERIA
    assert all(4 <= len(ids) <= 6 for ids in found.values())


def test_every_rubric_has_five_distinct_levels_in_every_language(expert):
    for dimension in expert.checklists.dimensions:
        for each in dimension.criteria:
            rubrics = [each.rubric, *(v.rubric for v in each.variants)]
            for rubric in rubrics:
                assert [level.level for level in rubric] == [1, 2, 3, 4, 5], each.id
                for lang in ("kk", "ru", "en"):
                    assert len({level.text.get(lang) for level in rubric}) == 5, (each.id, lang)
            assert each.methods, each.id


def test_every_text_of_the_checklists_is_in_three_languages_and_translated():
    data = shipped(CHECKLISTS_FILE)
    criteria = [each for dimension in data["dimensions"] for each in dimension["criteria"]]
    # title and intro; a name and description per method; per criterion its name, what it
    # assesses, its evidence and five levels, and five levels per rubric variant
    expected = 2 + 2 * len(data["methods"]) + sum(
        8 + 5 * len(each.get("variants", [])) for each in criteria
    )
    found = list(texts(data))
    assert len(found) == expected
    for path, text in found:
        assert set(text) == {"kk", "ru", "en"}, path
        assert text["kk"] != text["en"], path
        assert text["ru"] != text["en"], path
        assert text["kk"] != text["ru"], path


def test_the_checklists_speak_of_the_systems_kazakh_bodies_use():
    english = " ".join(text["en"] for _, text in texts(shipped(CHECKLISTS_FILE)))
    for system in (
        "egov.kz", "eGov Mobile", "NCALayer", "E-qyzmet", "e-Otinish", "Smart Data Ukimet",
        "unified electronic document management system", "open data portal",
        "e-government gateway", "architecture portal", "National Certification Centre",
        "unified requirements", "personal data law", "law on informatisation",
        "national development plan",
    ):
        assert system in english, system


def test_the_checklists_round_trip_through_export():
    checklists = load_checklists(SHIPPED / CHECKLISTS_FILE)
    assert parse_checklists(copy.deepcopy(dump(checklists))) == checklists
    assert list(dump(checklists)) == ["title", "intro", "methods", "dimensions"]


# --- the choice by context ------------------------------------------------------------------
def test_only_republican_bodies_are_rated_on_steering_their_sector(expert):
    def ids(context: Context) -> list[str]:
        return [c.id for c in expert.criteria("strategic_management", context)]

    assert "sm-sector" in ids(REPUBLICAN)
    assert "sm-sector" not in ids(AKIMAT)
    assert "sm-sector" not in ids(UNRECORDED_OFFICE)
    assert expert.criterion_weights("strategic_management", AKIMAT) == {
        "sm-strategy": 0.25, "sm-alignment": 0.20, "sm-coordination": 0.25,
        "sm-monitoring": 0.20, "sm-regulation": 0.10,
    }


def test_an_akimat_is_rated_on_coordination_with_its_higher_body(expert):
    [coordination] = [
        c for c in expert.criteria("strategic_management", AKIMAT) if c.id == "sm-coordination"
    ]
    assert "облыс әкімдігі" in coordination.rubric_for(AKIMAT)[0].text.kk
    assert coordination.rubric_for(REPUBLICAN) == coordination.rubric
    assert coordination.rubric_for(AKIMAT) != coordination.rubric


def test_a_decentralised_project_office_has_its_own_rubric_and_weights(expert):
    [standards] = [
        c for c in expert.criteria("organisational_maturity", DECENTRALISED)
        if c.id == "om-pm-standards"
    ]
    assert "координатор" in standards.rubric_for(DECENTRALISED)[2].text.ru
    assert standards.rubric_for(REPUBLICAN) == standards.rubric
    assert expert.criterion_weights("organisational_maturity", DECENTRALISED)[
        "om-pm-standards"
    ] == 0.25
    assert expert.criterion_weights("organisational_maturity", REPUBLICAN)[
        "om-pm-standards"
    ] == 0.20


def test_an_unrecorded_project_office_gets_the_default_rubric_and_weights(expert):
    assert expert.criterion_weights("organisational_maturity", UNRECORDED_OFFICE) == (
        expert.weights.default["organisational_maturity"]
    )


def test_security_bodies_weigh_information_security_most(expert):
    chosen = expert.criterion_weights("technological_maturity", SECURITY)
    assert chosen["tm-security"] == 0.40
    assert max(chosen, key=chosen.get) == "tm-security"


def test_in_every_context_the_weights_cover_exactly_the_criteria_and_sum_to_one(expert):
    seen = 0
    for context in contexts():
        for dimension in EXPERT_DIMENSIONS:
            chosen = expert.criterion_weights(dimension, context)
            applicable = [c.id for c in expert.criteria(dimension, context)]
            assert sorted(chosen) == sorted(applicable), (context, dimension)
            assert math.isclose(math.fsum(chosen.values()), 1.0), (context, dimension)
            seen += 1
    assert seen == len(GOVERNANCE_LEVELS) * len(SECTORS) * 3 * 3


def test_a_dimension_score_is_the_weighted_mean_of_the_ratings(expert):
    ratings = dict.fromkeys(EXPECTED_CRITERIA["technological_maturity"], 2) | {"tm-security": 5}
    assert expert.score("technological_maturity", REPUBLICAN, ratings) == pytest.approx(2.75)
    assert expert.score("technological_maturity", SECURITY, ratings) == pytest.approx(3.2)
    all_three = dict.fromkeys(EXPECTED_CRITERIA["technological_maturity"], 3)
    assert expert.score("technological_maturity", AKIMAT, all_three) == pytest.approx(3.0)


def test_a_score_needs_a_rating_of_every_criterion_that_applies_and_no_other(expert):
    ratings = dict.fromkeys(EXPECTED_CRITERIA["strategic_management"], 3)
    with pytest.raises(ValueError, match="not applicable"):
        expert.score("strategic_management", AKIMAT, ratings)  # sm-sector is not rated there
    del ratings["sm-sector"]
    with pytest.raises(ValueError, match="missing"):
        expert.score("strategic_management", REPUBLICAN, ratings)
    with pytest.raises(ValueError, match="outside 1–5"):
        expert.score("strategic_management", AKIMAT, ratings | {"sm-strategy": 6})


def test_the_context_of_an_organisation_is_read_from_its_attributes():
    class Body:
        governance_level = "local"
        sector = "health"

    assert Context.of(Body()) == Context("local", "health", None)


# --- mistakes in expert_checklists.yaml -----------------------------------------------------
Mutation = Callable[[dict[str, Any]], object]


def checklists_refusal(mutate: Mutation) -> list[str]:
    data = copy.deepcopy(shipped(CHECKLISTS_FILE))
    mutate(data)
    with pytest.raises(DefinitionError) as caught:
        parse_checklists(data)
    return [str(problem) for problem in caught.value.problems]


def _add_variant(data: dict[str, Any], ident: str, when: dict[str, list[str]]) -> None:
    each = criterion(data, ident)
    each["variants"] = [{"id": "local", "when": when, "rubric": copy.deepcopy(each["rubric"])}]


CHECKLIST_CASES = [
    pytest.param(
        lambda d: criterion(d, "sm-strategy")["name"].pop("kk"),
        "expert_checklists.yaml: dimension strategic_management: field criteria[sm-strategy].name:"
        " missing language kk",
        id="missing-kk",
    ),
    pytest.param(
        lambda d: criterion(d, "tm-ai")["rubric"].pop(),
        "expert_checklists.yaml: dimension technological_maturity: field criteria[tm-ai].rubric: "
        "the levels must be 1 to 5 in order, not 1, 2, 3, 4",
        id="rubric-with-four-levels",
    ),
    pytest.param(
        lambda d: criterion(d, "tm-ai")["rubric"].reverse(),
        "expert_checklists.yaml: dimension technological_maturity: field criteria[tm-ai].rubric: "
        "the levels must be 1 to 5 in order, not 5, 4, 3, 2, 1",
        id="rubric-out-of-order",
    ),
    pytest.param(
        lambda d: criterion(d, "om-pm-standards")["variants"][0]["rubric"].pop(0),
        "expert_checklists.yaml: dimension organisational_maturity: "
        "field criteria[om-pm-standards].variants[decentralised].rubric: "
        "the levels must be 1 to 5 in order, not 2, 3, 4, 5",
        id="variant-rubric-with-four-levels",
    ),
    pytest.param(
        lambda d: criterion(d, "tm-cloud")["rubric"][5 - 1].update(level=6),
        "expert_checklists.yaml: dimension technological_maturity: "
        "field criteria[tm-cloud].rubric[6].level: level 6 is outside 1–5",
        id="rubric-level-outside-1-5",
    ),
    pytest.param(
        lambda d: d["dimensions"][1].update(id="innovation"),
        [
            'expert_checklists.yaml: dimension innovation: field id: unknown dimension '
            '"innovation"; the dimensions are strategic_management, organisational_maturity, '
            "technological_maturity",
            'expert_checklists.yaml: field dimensions: dimension "organisational_maturity" is '
            "missing",
        ],
        id="unknown-dimension",
    ),
    pytest.param(
        lambda d: d["dimensions"][2].update(id="digital_culture"),
        [
            'expert_checklists.yaml: dimension digital_culture: field id: unknown dimension '
            '"digital_culture"; the dimensions are strategic_management, '
            "organisational_maturity, technological_maturity",
            'expert_checklists.yaml: field dimensions: dimension "technological_maturity" is '
            "missing",
        ],
        id="culture-is-not-an-expert-dimension",
    ),
    pytest.param(
        lambda d: d["dimensions"].append(copy.deepcopy(d["dimensions"][0])),
        [
            'expert_checklists.yaml: dimension strategic_management: field id: duplicate id '
            '"strategic_management" (used 2 times)',
            *(
                f"expert_checklists.yaml: dimension strategic_management: field criteria[{c}].id:"
                f' duplicate id "{c}" (used 2 times)'
                for c in EXPECTED_CRITERIA["strategic_management"]
            ),
        ],
        id="dimension-twice",
    ),
    pytest.param(
        lambda d: criterion(d, "om-automation").update(id="om-pm-tools"),
        "expert_checklists.yaml: dimension organisational_maturity: "
        'field criteria[om-pm-tools].id: duplicate id "om-pm-tools" (used 2 times)',
        id="criterion-id-twice",
    ),
    pytest.param(
        lambda d: criterion(d, "om-automation")["methods"].append("survey"),
        "expert_checklists.yaml: dimension organisational_maturity: "
        "field criteria[om-automation].methods: must be one of document_analysis, interviews, "
        'process_analysis, technical_audit, usage_data, not "survey"',
        id="unknown-method",
    ),
    pytest.param(
        lambda d: criterion(d, "tm-ai").update(methods=[]),
        "expert_checklists.yaml: dimension technological_maturity: "
        "field criteria[tm-ai].methods: needs at least 1 entries",
        id="no-method",
    ),
    pytest.param(
        lambda d: d["methods"].append(copy.deepcopy(d["methods"][0])),
        'expert_checklists.yaml: field methods[document_analysis].id: duplicate id '
        '"document_analysis" (used 2 times)',
        id="method-twice",
    ),
    pytest.param(
        lambda d: d["methods"][1]["name"].update(ru="Interviews"),
        "expert_checklists.yaml: field methods[interviews].name: "
        "the ru text is identical to the en text; translate it",
        id="untranslated-method",
    ),
    pytest.param(
        lambda d: criterion(d, "tm-data").pop("evidence"),
        "expert_checklists.yaml: dimension technological_maturity: "
        "field criteria[tm-data].evidence: required field is missing",
        id="no-evidence",
    ),
    pytest.param(
        lambda d: d["dimensions"][0]["criteria"].__delitem__(slice(0, 3)),
        "expert_checklists.yaml: dimension strategic_management: field criteria: "
        "needs at least 4 entries",
        id="too-few-criteria",
    ),
    pytest.param(
        lambda d: criterion(d, "sm-sector")["applies_to"].update(governance_level=["akimat"]),
        "expert_checklists.yaml: dimension strategic_management: "
        "field criteria[sm-sector].applies_to.governance_level[#1]: "
        "must be one of 'republican', 'regional' or 'local', not \"akimat\"",
        id="unknown-governance-level",
    ),
    pytest.param(
        lambda d: criterion(d, "sm-sector").update(applies_to={}),
        "expert_checklists.yaml: dimension strategic_management: "
        "field criteria[sm-sector].applies_to: needs at least 1 entries",
        id="empty-condition",
    ),
    pytest.param(
        lambda d: criterion(d, "sm-sector").update(applies_to={"ownership": ["state"]}),
        "expert_checklists.yaml: dimension strategic_management: "
        "field criteria[sm-sector].applies_to.ownership: "
        "unknown field; see questionnaires/README.md for the format",
        id="unknown-attribute",
    ),
    pytest.param(
        lambda d: _add_variant(d, "sm-sector", {"governance_level": ["local"]}),
        "expert_checklists.yaml: dimension strategic_management: "
        "field criteria[sm-sector].variants[local].when: "
        "no body ever gets this variant: an earlier one or the conditions always win",
        id="variant-for-bodies-the-criterion-does-not-apply-to",
    ),
]


@pytest.mark.parametrize(("mutate", "messages"), CHECKLIST_CASES)
def test_a_broken_checklists_file_is_refused_with_the_exact_message(mutate, messages):
    expected = messages if isinstance(messages, list) else [messages]
    assert checklists_refusal(mutate) == expected


# --- mistakes in criterion_weights of maturity_model.yaml -----------------------------------
def weights_refusal(mutate: Mutation) -> list[str]:
    """The problems of the weights in a maturity model broken by ``mutate``, checked on their
    own and against the shipped checklists."""
    data = copy.deepcopy(shipped(MATURITY_MODEL_FILE))
    mutate(data)
    model = parse_file(MATURITY_MODEL_FILE, data)  # the rest of the file stays valid
    checklists = load_checklists(SHIPPED / CHECKLISTS_FILE)
    try:
        parsed = parse_criterion_weights(model)
    except DefinitionError as error:
        return [str(problem) for problem in error.problems]
    return [str(p) for p in check_criterion_weights(MATURITY_MODEL_FILE, parsed, checklists)]


def _rebalance_without(data: dict[str, Any], ident: str) -> None:
    mapping = weights(data)["default"]["organisational_maturity"]
    mapping["om-automation"] += mapping.pop(ident)


WEIGHT_CASES = [
    pytest.param(
        lambda d: weights(d)["default"]["technological_maturity"].update({"tm-ai": 0.10}),
        "maturity_model.yaml: field criterion_weights.default.technological_maturity: "
        "the weights sum to 0.95; they must sum to 1",
        id="default-weights-not-summing-to-one",
    ),
    pytest.param(
        lambda d: variant(d, "security_sector")["weights"]["technological_maturity"].update(
            {"tm-security": 0.5}
        ),
        "maturity_model.yaml: field "
        "criterion_weights.variants[security_sector].weights.technological_maturity: "
        "the weights sum to 1.1; they must sum to 1",
        id="variant-weights-not-summing-to-one",
    ),
    pytest.param(
        lambda d: weights(d)["default"]["strategic_management"].update({"sm-regulation": 0}),
        "maturity_model.yaml: field "
        "criterion_weights.default.strategic_management.sm-regulation: must be greater than 0.0",
        id="zero-weight",
    ),
    pytest.param(
        lambda d: weights(d)["default"].update(digital_culture={"tested": 1.0}),
        'maturity_model.yaml: field criterion_weights.default: unknown dimension '
        '"digital_culture"; the dimensions are strategic_management, organisational_maturity, '
        "technological_maturity",
        id="unknown-dimension-in-weights",
    ),
    pytest.param(
        lambda d: weights(d)["default"].pop("organisational_maturity"),
        'maturity_model.yaml: field criterion_weights.default: dimension '
        '"organisational_maturity" is missing',
        id="dimension-without-weights",
    ),
    pytest.param(
        lambda d: variant(d, "regional_local")["weights"].update(innovation={"x": 1.0}),
        "maturity_model.yaml: field criterion_weights.variants[regional_local].weights: "
        'unknown dimension "innovation"; the dimensions are strategic_management, '
        "organisational_maturity, technological_maturity",
        id="unknown-dimension-in-a-variant",
    ),
    pytest.param(
        lambda d: weights(d)["default"]["organisational_maturity"].update(
            {"om-pm-tool": weights(d)["default"]["organisational_maturity"].pop("om-pm-tools")}
        ),
        [
            "maturity_model.yaml: field "
            "criterion_weights.default.organisational_maturity.om-pm-tool: key must be one of "
            "om-pm-standards, om-project-office, om-automation, om-pm-tools, om-integration, "
            'not "om-pm-tool"',
            "maturity_model.yaml: field "
            "criterion_weights.default.organisational_maturity.om-pm-tools: "
            "required field is missing",
        ],
        id="unknown-criterion",
    ),
    pytest.param(
        lambda d: _rebalance_without(d, "om-pm-tools"),
        "maturity_model.yaml: field criterion_weights.default.organisational_maturity.om-pm-tools:"
        " required field is missing",
        id="criterion-without-weight",
    ),
    pytest.param(
        lambda d: weights(d)["variants"].remove(variant(d, "regional_local")),
        "maturity_model.yaml: field criterion_weights.default.strategic_management.sm-sector: "
        'criterion "sm-sector" does not apply to bodies with governance_level regional; '
        "weigh it only where it applies",
        id="weight-of-a-criterion-that-does-not-apply",
    ),
    pytest.param(
        lambda d: variant(d, "regional_local").update(when={"governance_level": ["local"]}),
        "maturity_model.yaml: field criterion_weights.default.strategic_management.sm-sector: "
        'criterion "sm-sector" does not apply to bodies with governance_level regional; '
        "weigh it only where it applies",
        id="variant-that-leaves-out-some-bodies",
    ),
    pytest.param(
        lambda d: variant(d, "decentralised_office")["when"].update(project_office=["distributed"]),
        "maturity_model.yaml: field "
        "criterion_weights.variants[decentralised_office].when.project_office[#1]: "
        "must be one of 'centralised' or 'decentralised', not \"distributed\"",
        id="unknown-project-office",
    ),
    pytest.param(
        lambda d: weights(d)["variants"].append(
            copy.deepcopy(variant(d, "regional_local")) | {"id": "again"}
        ),
        "maturity_model.yaml: field criterion_weights.variants[again].weights.strategic_management:"
        " no body ever gets this variant: an earlier one or the conditions always win",
        id="shadowed-variant",
    ),
    pytest.param(
        lambda d: weights(d)["variants"].append(
            copy.deepcopy(variant(d, "security_sector"))
        ),
        'maturity_model.yaml: field criterion_weights.variants[security_sector].id: duplicate id '
        '"security_sector" (used 2 times)',
        id="variant-id-twice",
    ),
    pytest.param(
        lambda d: variant(d, "security_sector").update(when={}),
        "maturity_model.yaml: field criterion_weights.variants[security_sector].when: "
        "needs at least 1 entries",
        id="variant-for-every-body",
    ),
    pytest.param(
        lambda d: d.pop("criterion_weights"),
        "maturity_model.yaml: field criterion_weights: required field is missing",
        id="no-criterion-weights",
    ),
]


@pytest.mark.parametrize(("mutate", "messages"), WEIGHT_CASES)
def test_broken_criterion_weights_are_refused_with_the_exact_message(mutate, messages):
    expected = messages if isinstance(messages, list) else [messages]
    assert weights_refusal(mutate) == expected


# --- both files in a folder -----------------------------------------------------------------
def expert_folder(tmp_path) -> Any:
    folder = copy_folder(tmp_path, sample=True)
    shutil.copy(SHIPPED / CHECKLISTS_FILE, folder / CHECKLISTS_FILE)
    return folder


def rewrite(folder: Any, file: str, mutate: Mutation) -> None:
    data = yaml.safe_load((folder / file).read_text(encoding="utf-8"))
    mutate(data)
    write(folder / file, data)


def test_a_new_criterion_needs_a_weight_in_every_weights_map_that_is_used(tmp_path):
    folder = expert_folder(tmp_path)

    def add(data: dict[str, Any]) -> None:
        new = copy.deepcopy(criterion(data, "om-pm-tools")) | {"id": "om-hr"}
        data["dimensions"][1]["criteria"].append(new)

    rewrite(folder, CHECKLISTS_FILE, add)
    expected = [
        "maturity_model.yaml: field criterion_weights.default.organisational_maturity.om-hr: "
        "required field is missing",
        "maturity_model.yaml: field "
        "criterion_weights.variants[decentralised_office].weights.organisational_maturity.om-hr:"
        " required field is missing",
    ]
    assert [str(problem) for problem in validate_checklists(folder)] == expected
    # The folder check (questionnaires validate|load) runs the same cross-file checks.
    assert [str(problem) for problem in validate_folder(folder)] == expected


def test_problems_in_both_files_are_reported_at_once(tmp_path):
    folder = expert_folder(tmp_path)
    rewrite(folder, CHECKLISTS_FILE, lambda d: criterion(d, "tm-ai")["rubric"].pop())
    rewrite(
        folder, MATURITY_MODEL_FILE,
        lambda d: weights(d)["default"]["technological_maturity"].update({"tm-ai": 0.10}),
    )
    assert [str(problem) for problem in validate_checklists(folder)] == [
        "expert_checklists.yaml: dimension technological_maturity: field criteria[tm-ai].rubric: "
        "the levels must be 1 to 5 in order, not 1, 2, 3, 4",
        "maturity_model.yaml: field criterion_weights.default.technological_maturity: "
        "the weights sum to 0.95; they must sum to 1",
    ]
    with pytest.raises(DefinitionError):
        load_expert_definitions(folder)


def test_a_missing_checklists_file_is_reported(tmp_path):
    folder = copy_folder(tmp_path, sample=True)
    (folder / CHECKLISTS_FILE).unlink()
    assert [str(problem) for problem in validate_checklists(folder)] == [
        "expert_checklists.yaml: the file is missing"
    ]
    assert [str(problem) for problem in validate_folder(folder)] == [
        "expert_checklists.yaml: the file is missing"
    ]


def test_invalid_yaml_in_the_checklists_is_refused_with_its_line(tmp_path):
    folder = expert_folder(tmp_path)
    (folder / CHECKLISTS_FILE).write_text("title:\n  kk: a\n   ru: [\n", encoding="utf-8")
    [message] = [str(problem) for problem in validate_checklists(folder)]
    assert message.startswith("expert_checklists.yaml: not valid YAML: line 3, column ")


@pytest.fixture
def app():
    """An app for its translations only (no database is touched)."""
    application = create_app(make_config("sqlite://"))
    with application.app_context():
        yield application


def test_a_checklists_problem_reads_in_kazakh_and_russian(app):
    data = copy.deepcopy(shipped(CHECKLISTS_FILE))
    criterion(data, "tm-ai")["rubric"].pop()
    with pytest.raises(DefinitionError) as caught:
        parse_checklists(data)
    [problem] = caught.value.problems
    english = str(problem)
    for locale in ("kk", "ru"):
        with force_locale(locale):
            text = describe(problem)
        assert text.startswith("expert_checklists.yaml: ")
        assert "criteria[tm-ai].rubric" in text
        assert "technological_maturity" in text
        assert "1, 2, 3, 4" in text
        assert text != english
