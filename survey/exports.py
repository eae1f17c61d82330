"""Tables as pages and files show them, and the one way a file is downloaded.

A :class:`Table` holds raw values (numbers stay numbers for XLSX) and a kind per column that says
how to format them; :data:`HIDDEN` marks a cell withheld for privacy. Pages, CSV (safe from
formula injection) and XLSX (one sheet per table) show the same cells, suppressed cells as a
word. :func:`download` is the one response builder for every file a staff member saves.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

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
PDF_MIMETYPE = "application/pdf"
# Content types by file extension (a full Content-Type: Werkzeug adds no second charset).
CONTENT_TYPES = {"csv": CSV_MIMETYPE, "xlsx": XLSX_MIMETYPE, "pdf": PDF_MIMETYPE}
KINDS = ("text", "int", "percent", "score", "p")


class _Hidden:
    """A cell withheld because its group has fewer than k respondents."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = _Hidden()


@dataclass
class Table:
    """A titled table: ``columns`` are (header, kind) with kind one of :data:`KINDS`; ``rows``
    hold raw values or :data:`HIDDEN`; ``note`` is printed under it."""

    key: str  # file and sheet name, ASCII
    title: str
    columns: list[tuple[str, str]]  # (header, kind)
    rows: list[list] = field(default_factory=list)
    note: str = ""
    # Columns code finds by meaning, never by their (translated) header: key → column index.
    keys: dict[str, int] = field(default_factory=dict)


def format_cell(value: object, kind: str) -> str:
    """A cell as the page shows it, numbers in the page's locale; "" for nothing."""
    from flask_babel import format_decimal, format_percent

    if value is HIDDEN:
        return _("hidden")
    if value is None or value == "":
        return ""
    if kind == "int":
        return format_decimal(value, "#,##0")
    if kind == "percent":
        return format_percent(value, "#,##0%")
    if kind == "score":
        return format_decimal(value, "0.00")
    if kind == "p":
        return "< " + format_decimal(0.001, "0.000") if value < 0.001 else format_decimal(value, "0.000")
    return str(value)


def download(data: bytes | str, filename: str) -> Response:
    """The response that saves ``data`` as ``filename`` (its extension picks the content type:
    csv, xlsx or pdf). Never cached (exports carry personal figures and links carry tokens),
    never sniffed into another type, and named right for a non-ASCII filename too (RFC 6266:
    an ASCII ``filename`` for old clients, the UTF-8 ``filename*`` for the rest)."""
    extension = filename.rsplit(".", 1)[-1].lower()
    response = Response(data, content_type=CONTENT_TYPES[extension])
    response.headers.set("Content-Disposition", "attachment", **_filename_options(filename))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _filename_options(filename: str) -> dict[str, str]:
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
        return {"filename": simple, "filename*": "UTF-8''" + quote(filename, safe="!#$&+^`|~")}
    return {"filename": filename}


def hidden_word() -> str:
    """What a suppressed cell says in exports."""
    return _("hidden (fewer than %(k)s respondents)", k=_min_group())


def _min_group() -> int:
    from .config import privacy_min_group

    return privacy_min_group()


def safe_text(value: object) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets a quote."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value: object, kind: str) -> object:
    """A cell as a plain value: numbers stay numbers, the hidden marker becomes its word."""
    if value is HIDDEN:
        return hidden_word()
    if value is None:
        return ""
    if kind in XLSX_FORMATS and isinstance(value, int | float):
        return round(value, 4) if isinstance(value, float) else value
    return str(value)


def to_csv(table: Table, preamble: Sequence[Sequence[str]] = ()) -> bytes:
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
