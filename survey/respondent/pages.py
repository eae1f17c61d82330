"""Reading a posted page of questions, and describing a page for its template.

Each item is one form field named ``q<item id>``: radio buttons for Likert, single-choice and
true/false items, checkboxes for multiple choice. Stored values: Likert "1".."5", single "b",
multiple "a,c" (sorted), true/false "true"/"false".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..i18n import pick
from ..responses.layout import ItemView, option_order

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

    from ..models import Campaign
    from ..responses.layout import Layout

LIKERT_VALUES = ("1", "2", "3", "4", "5")
RATED = ("likert", "self_rating")  # answered 1..5 on the survey's scales
MISSING = _l("Please choose an answer.")
SELECT_ALL = _l("Select all that apply.")
NOT_AN_OPTION = _l("This answer is not one of the options. Please choose again.")


def field_name(item: ItemView) -> str:
    return f"q{item.id}"


@dataclass
class PostedPage:
    """What a posted page says: answers to save, answers cleared, and problems per item id."""

    values: dict[int, str] = field(default_factory=dict)
    cleared: list[int] = field(default_factory=list)
    errors: dict[int, object] = field(default_factory=dict)  # lazy messages
    raw: dict[int, list[str]] = field(default_factory=dict)


def read_page(items: list[ItemView], form: MultiDict[str, str], require_all: bool) -> PostedPage:
    """Check every item of the page against its own options.

    ``require_all``: each item must be answered (survey pages going forward). Unanswered items
    are otherwise "cleared": a multiple-choice item whose boxes were all unticked loses its
    answer."""
    page = PostedPage()
    for item in items:
        chosen = [v for v in form.getlist(field_name(item)) if v]
        page.raw[item.id] = chosen
        allowed = LIKERT_VALUES if item.type in RATED else item.option_ids()
        if any(v not in allowed for v in chosen) or (item.type != "multiple" and len(chosen) > 1):
            page.errors[item.id] = NOT_AN_OPTION
        elif not chosen:
            if require_all:
                page.errors[item.id] = MISSING
            else:
                page.cleared.append(item.id)
        else:
            page.values[item.id] = ",".join(sorted(set(chosen)))
    return page


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Question:
    """One item as its fieldset shows it."""

    item_id: int
    name: str
    number: int
    text: str
    multiple: bool
    choices: tuple[Choice, ...]
    error: object | None
    hint: str = ""  # "Select all that apply.", unless the question already says so


def questions(items: list[ItemView], saved: dict[int, list[str]], errors: dict[int, str],
              seed: int, first_number: int, likert_labels: list[str],
              true_false_labels: tuple[str, str],
              rating_labels: list[str] | None = None) -> list[Question]:
    """The page's questions in the current language, with what is already chosen.
    ``rating_labels``: the self-rating scale's five level descriptions."""
    lang = str(get_locale())  # once, rather than once per text
    select_all = str(SELECT_ALL)
    result = []
    for offset, item in enumerate(items):
        chosen = set(saved.get(item.id, ()))
        if item.type in RATED:
            labels = rating_labels if item.type == "self_rating" and rating_labels else likert_labels
            pairs = [(str(i + 1), label) for i, label in enumerate(labels)]
        elif item.type == "true_false":
            pairs = [("true", true_false_labels[0]), ("false", true_false_labels[1])]
        else:
            pairs = [(o.id, pick(o.texts, lang)) for o in option_order(item, seed)]
        text = pick(item.texts, lang)
        result.append(
            Question(
                item_id=item.id,
                name=field_name(item),
                number=first_number + offset,
                text=text,
                multiple=item.type == "multiple",
                choices=tuple(Choice(v, label, v in chosen) for v, label in pairs),
                error=errors.get(item.id),
                hint=select_all if item.type == "multiple" and not says_so(text, select_all)
                else "",
            )
        )
    return result


def split_saved(values: dict[int, str]) -> dict[int, list[str]]:
    """Stored values as lists of chosen option values."""
    return {item_id: value.split(",") for item_id, value in values.items()}


def says_so(text: str, hint: str) -> bool:
    """Whether a question's text already contains the hint (case and final stop aside)."""
    return hint.rstrip(". ").casefold() in text.casefold()


@dataclass(frozen=True)
class Unanswered:
    number: int
    page: int


def unanswered_questions(version: Layout, pages: tuple[tuple[int, ...], ...],
                         answered: dict[int, str]) -> list[Unanswered]:
    """The questions without a saved answer, numbered as the person saw them, with their page."""
    found = []
    number = 0
    for page_number, page in enumerate(pages, start=1):
        for index in page:
            number += 1
            if version.items[index].id not in answered:
                found.append(Unanswered(number, page_number))
    return found


STATEMENTS_PER_MINUTE = 4.5  # a five-point statement takes a civil servant about 13 seconds


@dataclass(frozen=True)
class TimeEstimate:
    survey: int
    test: int
    total: int


def time_estimate(survey: Layout | None, campaign: Campaign) -> TimeEstimate:
    """Minutes for the survey (from its length) and the test (its time limit), and in all: the
    one estimate the invitation page and the test's introduction both show."""
    survey_minutes = math.ceil(len(survey.items) / STATEMENTS_PER_MINUTE) if survey else 0
    test_minutes = campaign.test_time_limit_minutes or 0
    return TimeEstimate(survey_minutes, test_minutes, survey_minutes + test_minutes)
