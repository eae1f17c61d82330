"""One strict reading of every path and query parameter: bounded integers of ASCII digits and
dates in a sane range. A value outside them is the client's mistake — a 404 for a path (no such
page), a 400 for a query argument — and never reaches the database as something it cannot hold
(ids are INTEGER columns: 2^31 or more overflows PostgreSQL's, 2^63 SQLite's).

``str.isdigit()`` is not the test: it accepts "²" and "٣", which ``int()`` refuses or reads as
a digit nobody typed. Only ``0``–``9`` count here."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, ValidationError

# The largest id any table holds (PostgreSQL's INTEGER, a signed 32-bit number); path ids and
# ?unit= are ids.
MAX_ID = 2**31 - 1
# Pages of a listing and other small counts.
MAX_PAGE = 1_000_000
# The years a campaign may open or close in: far beyond any real campaign, and far inside what
# datetime and every database can represent with a time zone on either side.
MIN_YEAR, MAX_YEAR = 2000, 2100
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(raw: str | None, maximum: int = MAX_ID, minimum: int = 0) -> int | None:
    """The integer ``raw`` spells in ASCII digits within [minimum, maximum], else None."""
    if raw is None or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def int_arg(name: str, default: int | None = None, maximum: int = MAX_ID,
            minimum: int = 0) -> int | None:
    """A query argument as a bounded integer: ``default`` when absent or empty, 400 when it is
    anything but ASCII digits in range."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    value = parse_int(raw, maximum, minimum)
    if value is None:
        abort(400)
    return value


def date_in_range(value: date | None) -> bool:
    """Whether a date is one a campaign can have (``MIN_YEAR``–``MAX_YEAR``)."""
    return value is not None and MIN_YEAR <= value.year <= MAX_YEAR


class StrictIntConverter(BaseConverter):
    """``<int:…>`` in every route: ASCII digits only, at most ``MAX_ID`` — anything else is no
    page (404), never an overflow in the database."""

    regex = r"[0-9]{1,19}"
    weight = 50
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = parse_int(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


def install_converters(app: Flask) -> None:
    """Replace werkzeug's ``int`` converter before any route is added."""
    app.url_map.converters["int"] = StrictIntConverter
