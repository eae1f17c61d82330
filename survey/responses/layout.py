"""Questionnaire versions as the respondent pages use them, cached in memory.

A version that has answers never changes, so its items, pages and texts are read from the
database once per process and then served from memory: a page view costs no query for them.
The test's item and option order is drawn per attempt from the attempt's stored seed, so it is
the same on every resume and every device.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from flask import current_app

from ..extensions import db
from ..models import Item, QuestionnaireVersion

SURVEY_PAGE_SIZE = 8  # when a survey has no scales to make its pages
TEST_PAGE_SIZE = 8


@dataclass(frozen=True)
class Option:
    id: str
    texts: dict


@dataclass(frozen=True)
class ItemView:
    """One item, detached from the database session."""

    id: int
    code: str
    index: int  # position in version order, 0-based
    type: str
    scale: str | None
    competence_id: int | None
    level: int | None
    reverse: bool
    texts: dict
    options: tuple[Option, ...]
    key: object
    explanations: dict | None

    def option_ids(self) -> tuple[str, ...]:
        if self.type == "true_false":
            return ("true", "false")
        return tuple(o.id for o in self.options)


@dataclass(frozen=True)
class Layout:
    """A questionnaire version: its items in version order and, for a survey, its pages."""

    version_id: int
    definition: dict
    items: tuple[ItemView, ...]
    survey_pages: tuple[tuple[int, ...], ...]  # item indexes per page (survey only)

    def by_id(self) -> dict[int, ItemView]:
        return {item.id: item for item in self.items}

    def scale_names(self) -> dict[str, dict]:
        return {s["id"]: s.get("name") or {} for s in self.definition.get("scales") or []}

    @property
    def linear_form(self) -> tuple[int, ...]:
        """Item indexes of the fixed form a linear campaign presents (every item when the test
        names no form), in version order."""
        codes = set(self.definition.get("linear_form") or ())
        if not codes:
            return tuple(range(len(self.items)))
        return tuple(item.index for item in self.items if item.code in codes)

    @property
    def likert_items(self) -> tuple[ItemView, ...]:
        """The survey's Likert statements (the items its scales score)."""
        return tuple(item for item in self.items if item.type == "likert")

    def test_pages(self, seed: int) -> tuple[tuple[int, ...], ...]:
        """The linear form's items in this attempt's order, split into pages."""
        order = list(self.linear_form)
        random.Random(seed).shuffle(order)
        return tuple(
            tuple(order[i:i + TEST_PAGE_SIZE]) for i in range(0, len(order), TEST_PAGE_SIZE)
        )

    def pages(self, seed: int) -> tuple[tuple[int, ...], ...]:
        return self.survey_pages if self.survey_pages else self.test_pages(seed)


def option_order(item: ItemView, seed: int) -> tuple[Option, ...]:
    """The item's options in this attempt's order (true/false keeps its natural order)."""
    options = list(item.options)
    # One generator per (attempt, item): the order of an item does not depend on its page.
    random.Random(seed * 1_000_003 + item.id).shuffle(options)
    return tuple(options)


_lock = threading.Lock()


def layout(version_id: int) -> Layout:
    """The cached layout of a version (read from the database on first use by this app).

    The cache lives on the app, so an app built on another database never sees it."""
    cache = current_app.extensions.setdefault("respondent_layouts", {})
    found = cache.get(version_id)
    if found is not None:
        return found
    with _lock:
        found = cache.get(version_id)
        if found is None:
            found = cache[version_id] = _read(version_id)
    return found


def _read(version_id: int) -> Layout:
    version = db.session.get(QuestionnaireVersion, version_id)
    if version is None:
        raise LookupError(f"no questionnaire version {version_id}")
    rows = db.session.scalars(
        db.select(Item).where(Item.version_id == version_id).order_by(Item.position)
    ).all()
    items = tuple(
        ItemView(
            id=row.id, code=row.code, index=index, type=row.type, scale=row.scale,
            competence_id=row.competence_id, level=row.level, reverse=bool(row.reverse),
            texts=dict(row.texts or {}),
            options=tuple(Option(o["id"], dict(o.get("text") or {})) for o in row.options or ()),
            key=row.key, explanations=dict(row.explanations) if row.explanations else None,
        )
        for index, row in enumerate(rows)
    )
    definition = dict(version.definition or {})
    pages: tuple[tuple[int, ...], ...] = ()
    if items and all(item.type in ("likert", "self_rating") for item in items):
        pages = _survey_pages(definition, items)
    return Layout(version_id, definition, items, pages)


def _survey_pages(definition: dict, items: tuple[ItemView, ...]) -> tuple[tuple[int, ...], ...]:
    """One page per scale in the definition's order (pages of eight when there are no scales),
    then one page of self-ratings."""
    ratings = tuple(item.index for item in items if item.type == "self_rating")
    items = tuple(item for item in items if item.type == "likert")
    scale_order = [s["id"] for s in definition.get("scales") or []]
    if not scale_order:
        indexes = [item.index for item in items]
        return tuple(
            tuple(indexes[i:i + SURVEY_PAGE_SIZE])
            for i in range(0, len(indexes), SURVEY_PAGE_SIZE)
        ) + ((ratings,) if ratings else ())
    known = set(scale_order)
    pages = [
        tuple(item.index for item in items if item.scale == scale) for scale in scale_order
    ]
    stray = tuple(item.index for item in items if item.scale not in known)
    return tuple(page for page in [*pages, stray, ratings] if page)
