"""Staff lists (CSV or XLSX): reading the file, then checking every row against the database.

A staff list has one person per row under a header row. Columns (any order; the names below or
their Kazakh/Russian equivalents, case and spaces ignored):

``organisation`` (code of the government body, required), ``unit`` (code of a unit that already
exists in that body, required), ``position`` (code of a position category = role profile,
required), ``name``, ``email``, ``personnel_number``, ``language`` (kk, ru or en; optional).

Units are not created by an import: a mistyped unit code would otherwise silently become a new
unit. Units are added on the organisation's page (or by the demo). Every problem in the file is
collected — nothing is imported unless there are none.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import emails
from ..access import in_scope
from ..extensions import db
from ..i18n import LANGUAGE_CODES
from ..models import Campaign, Organisation, Person, RoleProfile, Unit
from .problems import Problem

MAX_ROWS = 20_000
MAX_COLUMNS = 50
# Rows counted with the empty ones: a sheet of empty rows stops here rather than at its end.
MAX_PHYSICAL_ROWS = 5 * MAX_ROWS
REQUIRED_COLUMNS = ("organisation", "unit", "position")
LIMITS = {"name": 300, "email": emails.MAX_LENGTH, "personnel_number": 64}
# A line break, tab or other control character (and DEL): no cell may hold one — a name with a
# line break cannot go into an e-mail header, and none belongs in a code or an address.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Header spellings accepted for each column (compared after lower-casing and collapsing spaces).
HEADER_ALIASES = {
    "organisation": ("organisation", "organization", "ұйым", "мемлекеттік орган", "организация",
                     "государственный орган"),
    "unit": ("unit", "бөлімше", "құрылымдық бөлімше", "подразделение", "структурное подразделение"),
    "position": ("position", "position category", "лауазым", "лауазым санаты", "должность",
                 "категория должности"),
    "name": ("name", "full name", "аты-жөні", "тегі, аты", "фио", "ф.и.о.", "имя"),
    "email": ("email", "e-mail", "электрондық пошта", "эл. пошта", "электронная почта",
              "эл. почта"),
    "personnel_number": ("personnel_number", "personnel number", "табель нөмірі", "табельный номер"),
    "language": ("language", "тіл", "язык"),
}
_ALIAS_TO_COLUMN = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}


@dataclass
class RawTable:
    """The file's header (canonical names) and its non-empty rows as ``(row number, cells)``."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


@dataclass
class StaffRow:
    """One checked row, with the objects it names."""

    number: int
    organisation: Organisation
    unit: Unit
    position: RoleProfile
    name: str | None
    email: str | None
    personnel_number: str | None
    language: str | None


def read_table(data: bytes, filename: str) -> tuple[RawTable | None, list[Problem]]:
    """Read a CSV or XLSX file into a table, or say why it cannot be read.

    The file is read as a stream, row by row, and reading stops at the first row past a cap
    (``MAX_ROWS`` non-empty rows, ``MAX_COLUMNS`` columns, ``MAX_PHYSICAL_ROWS`` rows counting
    empty ones): a small file declaring a huge sheet, or holding a million rows, costs no more
    than a file at the limit. The dimensions an XLSX sheet declares are ignored."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        rows, unreadable = _xlsx_rows(data), "unreadable_file"
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        rows, unreadable = _csv_rows(data), "not_utf8"
    cells: list[list[str]] = []
    filled = 0
    try:
        for number, row in enumerate(rows, start=1):
            if len(row) > MAX_COLUMNS and any(str(v).strip() for v in row[MAX_COLUMNS:]):
                return None, [Problem("too_many_columns", where="file",
                                      params={"limit": MAX_COLUMNS})]
            row = row[:MAX_COLUMNS]
            if number > 1 and any(v.strip() for v in row):
                filled += 1
            if filled > MAX_ROWS or number > MAX_PHYSICAL_ROWS:
                return None, [Problem("too_many_rows", where="file", params={"limit": MAX_ROWS})]
            cells.append(row)
    except UnicodeDecodeError:
        return None, [Problem(unreadable, where="file")]
    except Exception:  # openpyxl and csv raise many kinds of errors on a damaged file
        return None, [Problem("unreadable_file", where="file")]
    return _table(cells)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of a UTF-8 CSV file, decoded as they are read; ``;`` or ``,`` separated, as the
    first line says."""
    first_line = data.split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict", newline="")
    yield from csv.reader(text, delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of an XLSX file's first sheet, at most ``MAX_COLUMNS`` + 1 cells wide whatever
    the sheet declares (one more, so that a row too wide is seen)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared A1:XFD1048576 would pad every row to 16,384 cells
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # personnel numbers typed as numbers come back as 1234.0
    return str(value)


def _table(cells: list[list[str]]) -> tuple[RawTable | None, list[Problem]]:
    if not cells or not any(c.strip() for c in cells[0]):
        return None, [Problem("empty_file", where="file")]
    problems, columns = [], []
    for header in cells[0]:
        key = " ".join(header.strip().lower().split())
        column = _ALIAS_TO_COLUMN.get(key, _ALIAS_TO_COLUMN.get(key.replace(" ", "_")))
        if not key:
            column = ""
        elif column is None:
            problems.append(Problem("unknown_column", row=1, params={"value": header.strip()}))
        elif column in columns:
            problems.append(Problem("duplicate_column", row=1, params={"value": header.strip()}))
        columns.append(column or "")
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            problems.append(Problem("missing_column", row=1, params={"value": required}))
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        row = {col: (value or "").strip() for col, value in zip(columns, values, strict=False) if col}
        if any(row.values()):
            rows.append((number, row))
    if not rows and not problems:
        problems.append(Problem("empty_file", where="file"))
    return (None if problems else RawTable([c for c in columns if c], rows)), problems


def check_rows(
    table: RawTable, campaign: Campaign, allowed_organisation_ids: set[int] | None = None
) -> tuple[list[StaffRow], list[Problem]]:
    """Check every row against the database and the campaign; all problems, or all rows.

    ``allowed_organisation_ids``: the bodies the importing user may manage (None: all)."""
    problems: list[Problem] = []
    organisations = {o.code: o for o in db.session.scalars(db.select(Organisation))}
    positions = {p.code: p for p in db.session.scalars(db.select(RoleProfile))}
    units = {(u.organisation_id, u.code): u for u in db.session.scalars(db.select(Unit))}
    in_campaign = {o.id for o in campaign.organisations}
    seen: dict[tuple, int] = {}
    checked = []
    for number, cells in table.rows:
        before = len(problems)

        def problem(code: str, column: str, number: int = number, **params: Any) -> None:
            problems.append(Problem(code, row=number, where=column, params=params))

        for column, value in cells.items():
            if CONTROL.search(value):
                problem("control_character", column)
        for column in REQUIRED_COLUMNS:
            if not cells.get(column):
                problem("required", column)
        for column, limit in LIMITS.items():
            if len(cells.get(column, "")) > limit:
                problem("too_long", column, limit=limit)
        org = organisations.get(cells.get("organisation", ""))
        if cells.get("organisation") and org is None:
            problem("unknown_organisation", "organisation", value=cells["organisation"])
        elif org is not None and org.id not in in_campaign:
            problem("organisation_not_in_campaign", "organisation", value=org.code)
        elif org is not None and not in_scope(org.id, allowed_organisation_ids):
            problem("organisation_out_of_scope", "organisation", value=org.code)
        unit = units.get((org.id, cells.get("unit", ""))) if org else None
        if org is not None and cells.get("unit") and unit is None:
            problem("unknown_unit", "unit", value=cells["unit"])
        position = positions.get(cells.get("position", ""))
        if cells.get("position") and position is None:
            problem("unknown_position", "position", value=cells["position"])
        email = emails.normalise(cells.get("email")) or None
        if email and not CONTROL.search(email) and not emails.is_valid(email):
            problem("bad_email", "email", value=cells["email"])
        language = cells.get("language", "").lower() or None
        if language and language not in LANGUAGE_CODES:
            problem("bad_language", "language", value=cells["language"])
        number_ = cells.get("personnel_number") or None
        if not campaign.anonymous and not (email or number_):
            problem("identity_required", "personnel_number")
        for key, value in (("personnel_number", number_), ("email", email)):
            if value and org is not None:
                other = seen.setdefault((org.id, key, value), number)
                if other != number:
                    problem("duplicate_person", key, other=other)
        if len(problems) == before:
            checked.append(StaffRow(number, org, unit, position, cells.get("name") or None,
                                    email, number_, language))
    problems.extend(_conflicts_with_stored_people(checked))
    return ([] if problems else checked), problems


def _conflicts_with_stored_people(rows: list[StaffRow]) -> list[Problem]:
    """A row's personnel number and e-mail must not point to two different stored people (the
    rule of :func:`match_person`, with the bodies' people read in one query)."""
    by_number: dict[tuple[int, str], Person] = {}
    by_email: dict[tuple[int, str], Person] = {}
    bodies = {row.organisation.id for row in rows}
    for person in db.session.scalars(db.select(Person).where(Person.organisation_id.in_(bodies))):
        if person.personnel_number:
            by_number[(person.organisation_id, person.personnel_number)] = person
        if person.email:
            by_email[(person.organisation_id, person.email)] = person
    problems = []
    for row in rows:
        number = by_number.get((row.organisation.id, row.personnel_number or ""))
        email = by_email.get((row.organisation.id, row.email or ""))
        if number is not None:
            conflict = email is not None and email.id != number.id
        else:
            conflict = email is not None and bool(row.personnel_number) \
                and bool(email.personnel_number)
        if conflict:
            problems.append(Problem("email_taken", row=row.number, where="email",
                                    params={"value": row.email}))
    return problems


def match_person(
    organisation_id: int, personnel_number: str | None, email: str | None
) -> tuple[Person | None, bool]:
    """The stored person a row means — by personnel number, else by e-mail — and whether the
    row's e-mail already belongs to someone else (which would make the update impossible)."""
    by_number = by_email = None
    if personnel_number:
        by_number = db.session.scalar(db.select(Person).filter_by(
            organisation_id=organisation_id, personnel_number=personnel_number))
    if email:
        by_email = db.session.scalar(db.select(Person).filter_by(
            organisation_id=organisation_id, email=email))
    if by_number is not None:
        return by_number, by_email is not None and by_email.id != by_number.id
    if by_email is not None and personnel_number and by_email.personnel_number:
        return None, True  # the e-mail's holder has another personnel number
    return by_email, False


def read_staff_list(
    data: bytes, filename: str, campaign: Campaign, allowed_organisation_ids: set[int] | None = None
) -> tuple[list[StaffRow], list[Problem]]:
    """Read and check a staff-list file: the rows if all is well, else every problem."""
    table, problems = read_table(data, filename)
    if table is None:
        return [], problems
    return check_rows(table, campaign, allowed_organisation_ids)
