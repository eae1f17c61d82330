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
from dataclasses import dataclass
from typing import Any

from ..access import in_scope
from ..extensions import db
from ..i18n import LANGUAGE_CODES
from ..models import Campaign, Organisation, Person, RoleProfile, Unit
from .problems import Problem

MAX_ROWS = 20_000
REQUIRED_COLUMNS = ("organisation", "unit", "position")
LIMITS = {"name": 300, "email": 320, "personnel_number": 64}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
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
    """Read a CSV or XLSX file into a table, or say why it cannot be read."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        try:
            cells = _xlsx_cells(data)
        except Exception:  # openpyxl raises many kinds of errors on a damaged file
            return None, [Problem("unreadable_file", where="file")]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem("not_utf8", where="file")]
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        cells = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _table(cells)


def _xlsx_cells(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
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
    if len(rows) > MAX_ROWS:
        problems.append(Problem("too_many_rows", where="file", params={"limit": MAX_ROWS}))
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
        email = cells.get("email", "").lower() or None
        if email and not EMAIL.match(email):
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
    """A row's personnel number and e-mail must not point to two different stored people."""
    problems = []
    for row in rows:
        _person, conflict = match_person(row.organisation.id, row.personnel_number, row.email)
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
