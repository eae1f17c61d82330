"""Exports of result tables: CSV (safe from formula injection) and XLSX (one sheet per table).

Tables are :class:`survey.hr.tables.Table` objects (or anything with ``title``, ``columns``,
``rows``, ``note``): the same cells the page shows, suppressed cells included as a word.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
XLSX_FORMATS = {"int": "0", "percent": "0%", "score": "0.00", "p": "0.000"}
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def hidden_word() -> str:
    """What a suppressed cell says in exports."""
    return _("hidden (fewer than %(k)s respondents)", k=_min_group())


def _min_group() -> int:
    from flask import current_app

    return int(current_app.config.get("PRIVACY_MIN_GROUP", 5))


def safe_text(value: object) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets a quote."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value: object, kind: str) -> object:
    """A cell as a plain value: numbers stay numbers, the hidden marker becomes its word."""
    from .hr.tables import HIDDEN

    if value is HIDDEN:
        return hidden_word()
    if value is None:
        return ""
    if kind in XLSX_FORMATS and isinstance(value, int | float):
        return round(value, 4) if isinstance(value, float) else value
    return str(value)


def to_csv(table, preamble: Sequence[Sequence[str]] = ()) -> bytes:
    """One table as UTF-8 CSV with a byte-order mark (so spreadsheets read Cyrillic right).

    Every text cell — headers, names, the preamble — passes :func:`safe_text`; numbers are
    written with a dot as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in preamble:
        writer.writerow([safe_text(x) for x in line])
    writer.writerow([safe_text(header) for header, _kind in table.columns])
    for row in table.rows:
        writer.writerow([
            safe_text(v) if isinstance(v := _plain(value, kind), str) else v
            for value, (_h, kind) in zip(row, table.columns, strict=True)
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    base = SHEET_FORBIDDEN.sub(" ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:25]} ({n})"
        n += 1
    used.add(name.lower())
    return name


def to_xlsx(tables: Iterable, about: Sequence[Sequence[str]] = ()) -> bytes:
    """A workbook: an "about" sheet (``about`` lines: campaign, filters, date), then one sheet
    per table with a bold header, number formats, and the table's note under it."""
    workbook = Workbook()
    first = workbook.active
    first.title = _sheet_title(_("About"), used := set())
    for line in about:
        first.append([safe_text(x) for x in line])
    first.column_dimensions["A"].width = 28
    first.column_dimensions["B"].width = 60
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([safe_text(table.title)])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([safe_text(header) for header, _kind in table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            values = []
            for value, (_h, kind) in zip(row, table.columns, strict=True):
                plain = _plain(value, kind)
                values.append(safe_text(plain) if isinstance(plain, str) else plain)
            sheet.append(values)
            for cell, (_h, kind) in zip(sheet[sheet.max_row], table.columns, strict=True):
                if kind in XLSX_FORMATS and isinstance(cell.value, int | float):
                    cell.number_format = XLSX_FORMATS[kind]
        if table.note:
            sheet.append([])
            sheet.append([safe_text(table.note)])
        sheet.freeze_panes = "A3"
        for index, (header, kind) in enumerate(table.columns, start=1):
            width = 34 if kind == "text" else max(10, min(len(str(header)) + 2, 22))
            sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(data: bytes, mimetype: str, filename: str) -> Response:
    """The one way an export leaves the server: an attachment that no cache keeps."""
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })
