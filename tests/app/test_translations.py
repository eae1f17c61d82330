"""Every text a person sees exists in kk and ru, written out (not the English copied over)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def source_messages() -> set[tuple[str, str | None]]:
    """(message id, context) pairs in the code and templates, extracted the way
    `translate extract` does (pgettext gives a word with two roles a context)."""
    method_map = [("survey/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"trimmed": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
                "pgettext": ((1, "c"), 2)}
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map=method_map, options_map=options, keywords=keywords
    ):
        found.add((message if isinstance(message, str) else message[0], context))
    return found


def catalogue(locale: str):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


SOURCE = source_messages()


def test_the_code_has_messages_to_translate():
    assert ("Staff login", None) in SOURCE
    assert ("Started", "invitation status") in SOURCE


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_every_message_is_translated_in_its_own_words(locale):
    cat = catalogue(locale)
    problems = []
    for msgid, context in sorted(SOURCE, key=lambda pair: (pair[0], pair[1] or "")):
        message = cat.get(msgid, context)
        strings = (
            [] if message is None else
            list(message.string) if isinstance(message.string, tuple) else [message.string]
        )
        if message is None or not all(strings):
            problems.append(f"missing: {msgid!r} ({context})")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({context})")
        elif any(s.strip() == msgid.strip() for s in strings):
            problems.append(f"same as English: {msgid!r} ({context})")
    assert problems == [], f"{locale}: " + "\n".join(problems)


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_translations_keep_every_placeholder(locale):
    for message in catalogue(locale):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if string:
                assert set(PLACEHOLDER.findall(string)) == expected, (locale, message.id, string)


def test_kazakh_uses_kazakh_letters_not_latin_look_alikes():
    latin_in_cyrillic_word = re.compile(r"\b(?=\w*[а-яәғқңөұүһі])(?=\w*[a-z])\w+\b", re.I)
    for message in catalogue("kk"):
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for string in strings:
            assert not latin_in_cyrillic_word.search(string or ""), string


def test_plural_forms_fit_each_language():
    assert catalogue("ru").num_plurals == 3
    assert catalogue("kk").num_plurals == 2
    assert catalogue("en").num_plurals == 2
