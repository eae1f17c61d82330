"""Export gives back what was loaded, and the content hash tells versions apart."""

from __future__ import annotations

import copy

import yaml

from survey.questionnaires.schema import (
    FILES,
    content_hash,
    dump,
    load_definitions,
    parse_file,
    to_yaml,
)

from .helpers import copy_folder, item, shipped


def test_load_export_load_gives_the_same_definitions(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    first = load_definitions(copy_folder(source))
    exported = tmp_path / "exported"
    exported.mkdir()
    for file, spec in FILES.items():
        (exported / file).write_text(to_yaml(getattr(first, spec.role)), encoding="utf-8")
    second = load_definitions(exported)
    assert second == first
    for spec in FILES.values():
        assert content_hash(getattr(second, spec.role)) == content_hash(getattr(first, spec.role))


def test_the_export_is_the_documented_format():
    survey = parse_file("digital_culture.yaml", shipped("digital_culture.yaml"))
    exported = dump(survey)
    assert list(exported) == ["id", "kind", "title", "intro", "response_scale", "scales", "items",
                              "self_rating"]
    assert exported["items"][0] == shipped("digital_culture.yaml")["items"][0]
    assert parse_file("digital_culture.yaml", exported) == survey


def test_a_test_item_exports_without_a_reverse_field():
    test = parse_file("digital_skills_test.yaml", shipped("digital_skills_test.yaml"))
    assert all("reverse" not in entry for entry in dump(test)["items"])


def test_loading_the_same_file_twice_gives_the_same_hash():
    data = shipped("digital_culture.yaml")
    assert content_hash(parse_file("digital_culture.yaml", data)) == content_hash(
        parse_file("digital_culture.yaml", copy.deepcopy(data))
    )


def test_the_hash_ignores_key_order_and_yaml_layout():
    data = shipped("digital_culture.yaml")
    reordered = {key: data[key] for key in reversed(list(data))}
    reordered["items"] = [{k: v for k, v in reversed(list(i.items()))} for i in data["items"]]
    relaid = yaml.safe_load(yaml.safe_dump(reordered, default_flow_style=True, allow_unicode=True))
    assert content_hash(parse_file("digital_culture.yaml", relaid)) == content_hash(
        parse_file("digital_culture.yaml", data)
    )


def test_a_text_change_makes_a_new_hash():
    data = shipped("digital_culture.yaml")
    before = content_hash(parse_file("digital_culture.yaml", data))
    changed = copy.deepcopy(data)
    item(changed, "mo-03")["text"]["ru"] = item(changed, "mo-03")["text"]["ru"].replace(
        "онлайн-курсы", "онлайн-курсы и вебинары"
    )
    assert content_hash(parse_file("digital_culture.yaml", changed)) != before


def test_reordering_items_or_flipping_a_key_makes_a_new_hash():
    data = shipped("digital_culture.yaml")
    before = content_hash(parse_file("digital_culture.yaml", data))
    swapped = copy.deepcopy(data)
    swapped["items"][0], swapped["items"][1] = swapped["items"][1], swapped["items"][0]
    flipped = copy.deepcopy(data)
    item(flipped, "sc-02")["reverse"] = True
    assert content_hash(parse_file("digital_culture.yaml", swapped)) != before
    assert content_hash(parse_file("digital_culture.yaml", flipped)) != before
