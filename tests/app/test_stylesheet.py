"""The stylesheet stays well formed: an unclosed block would silently swallow every rule after
it into a media query."""

from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parents[2] / "survey" / "static" / "qabilet.css"


def top_level_rules(css: str) -> list[str]:
    depth, start, rules = 0, 0, []
    text = "".join(part.split("*/")[-1] for part in css.split("/*"))  # comments out
    for index, char in enumerate(text):
        if char == "{":
            if depth == 0:
                rules.append(text[start:index].strip())
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"a closing brace without its block near: {text[start:index][-80:]}"
            if depth == 0:
                start = index + 1
    assert depth == 0, "a block is never closed"
    return rules


def test_every_block_of_the_stylesheet_is_closed():
    top_level_rules(STYLESHEET.read_text(encoding="utf-8"))


@pytest.mark.parametrize("selector", [".choice", ".choices", ".timer", ".question legend"])
def test_respondent_rules_apply_on_screen_not_only_in_print(selector):
    assert selector in top_level_rules(STYLESHEET.read_text(encoding="utf-8"))
