"""Column-wise reads of a campaign's packed attempt results, straight into numpy arrays.

:func:`read_columns` returns the group columns and the packed answer bytes of every result of
a campaign in attempt-id order, without building a Python object per row:

* **PostgreSQL** builds the arrays' bytes in the database: each row becomes one fixed-width
  record — the ids as 8-byte big-endian integers (``int8send``), the language code, then each
  packed column (zeros when its bytes are missing or of the wrong length) and one byte saying
  whether it was whole — and a single ordered ``string_agg`` joins the records, so the client
  receives one value and slices it with ``np.frombuffer``.
* **SQLite** (and any other database) has no byte-string aggregate: rows are fetched through
  the driver cursor (no ORM rows) and joined in one pass.

Both paths give identical arrays (a test reads the same campaign both ways).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select, text

from ..extensions import db
from ..i18n import LANGUAGE_CODES
from ..models import AttemptResult

PACKED_COLUMNS = ("survey_answers", "test_choices", "test_correct")
GROUP_COLUMNS = ("attempt_id", "organisation_id", "unit_id", "position_category_id", "person_id")


@dataclass
class Columns:
    """Results of one campaign in attempt-id order. Ids are int64 (n,), ``person_id`` −1 when
    absent; ``language``: codes into ``LANGUAGE_CODES`` (−1 unknown). ``packed``: column →
    (uint8 matrix (n, width), bool (n,) whether the row had exactly ``width`` bytes)."""

    n: int
    ids: dict[str, NDArray[np.int64]] = field(default_factory=dict)
    language: NDArray[np.intp] | None = None
    packed: dict[str, tuple[NDArray[np.uint8], NDArray[np.bool_]]] = field(default_factory=dict)


def pack_rows(blobs: list[bytes | None], width: int) -> tuple[NDArray[np.uint8], NDArray[np.bool_]]:
    """Rows of packed bytes as a uint8 matrix (n, width); missing or short rows are zero."""
    present = np.fromiter((b is not None and len(b) == width for b in blobs), dtype=bool,
                          count=len(blobs))
    if width == 0:
        return np.zeros((len(blobs), 0), dtype=np.uint8), present
    if present.all():
        joined = b"".join(blobs)  # type: ignore[arg-type]
        return np.frombuffer(joined, dtype=np.uint8).reshape(len(blobs), width).copy(), present
    matrix = np.zeros((len(blobs), width), dtype=np.uint8)
    if present.any():
        joined = b"".join(b for b, ok in zip(blobs, present, strict=True) if ok)  # type: ignore[misc]
        matrix[present] = np.frombuffer(joined, dtype=np.uint8).reshape(-1, width)
    return matrix, present


def read_columns(campaign_id: int, widths: dict[str, int], groups: bool = True,
                 up_to: int | None = None) -> Columns:
    """The ``widths`` packed columns (name → bytes per row) and, with ``groups``, the group
    columns and language of every result of a campaign (``up_to``: highest attempt id)."""
    unknown = set(widths) - set(PACKED_COLUMNS)
    if unknown:
        raise ValueError(f"not a packed column: {sorted(unknown)}")
    if db.session.get_bind().dialect.name == "postgresql":
        return _read_postgres(campaign_id, widths, groups, up_to)
    return _read_rows(campaign_id, widths, groups, up_to)


def _language_codes(values: list[str]) -> NDArray[np.intp]:
    index = {code: i for i, code in enumerate(LANGUAGE_CODES)}
    return np.fromiter((index.get(x, -1) for x in values), dtype=np.intp, count=len(values))


def _read_rows(campaign_id: int, widths: dict[str, int], groups: bool, up_to: int | None) -> Columns:
    names = [*(GROUP_COLUMNS if groups else ()), *(("language",) if groups else ()), *widths]
    table = AttemptResult.__table__
    query = select(*(table.c[name] for name in names)).where(table.c.campaign_id == campaign_id)
    if up_to is not None:
        query = query.where(table.c.attempt_id <= up_to)
    rows = db.session.connection().execute(query.order_by(table.c.attempt_id)).all()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    values = dict(zip(names, columns, strict=True))
    out = Columns(len(rows))
    if groups:
        for name in GROUP_COLUMNS:
            out.ids[name] = np.fromiter((-1 if v is None else v for v in values[name]),
                                        dtype=np.int64, count=len(rows))
        out.language = _language_codes(list(values["language"]))
    for name, width in widths.items():
        out.packed[name] = pack_rows(list(values[name]), width)
    return out


def _read_postgres(campaign_id: int, widths: dict[str, int], groups: bool,
                   up_to: int | None) -> Columns:
    # Every row becomes one fixed-width record — ids, language, then for each packed column
    # its bytes (zeros unless exactly ``width`` long) and a byte saying whether it was whole —
    # and one ordered string_agg joins the records: one sort, one value to transfer.
    parts: list[str] = []
    if groups:
        parts += [f"int8send(coalesce({name}, -1)::int8)" for name in GROUP_COLUMNS]
        cases = " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(LANGUAGE_CODES))
        parts.append(f"int2send((CASE language {cases} ELSE -1 END)::int2)")
    params: dict[str, object] = {"campaign": campaign_id}
    for i, (name, width) in enumerate(widths.items()):
        whole = f"coalesce(octet_length({name}) = :w{i}, false)"
        parts.append(f"(CASE WHEN {whole} THEN {name} || '\\x01'::bytea "
                     f"ELSE :z{i} || '\\x00'::bytea END)")
        params[f"w{i}"], params[f"z{i}"] = width, bytes(width)
    where = "campaign_id = :campaign" + (" AND attempt_id <= :up_to" if up_to is not None else "")
    if up_to is not None:
        params["up_to"] = up_to
    record = " || ".join(parts) if parts else "''::bytea"
    sql = (f"SELECT count(*), string_agg({record}, ''::bytea ORDER BY attempt_id) "  # noqa: S608
           f"FROM attempt_result WHERE {where}")  # only fixed column names are interpolated
    n, raw = db.session.connection().execute(text(sql), params).one()
    n = int(n)
    record_width = (8 * len(GROUP_COLUMNS) + 2 if groups else 0) + sum(w + 1 for w in widths.values())
    buffer = np.frombuffer(bytes(raw or b""), dtype=np.uint8).reshape(n, record_width)
    out = Columns(n)
    at = 0

    def take(width: int, dtype: str) -> NDArray:
        nonlocal at
        block = np.ascontiguousarray(buffer[:, at:at + width])
        at += width
        return block.view(dtype).reshape(n) if dtype != "u1" else block

    if groups:
        for name in GROUP_COLUMNS:
            out.ids[name] = take(8, ">i8").astype(np.int64)
        out.language = take(2, ">i2").astype(np.intp)
    for name, width in widths.items():
        matrix = take(width, "u1")
        out.packed[name] = (matrix, take(1, "u1").reshape(n).astype(bool))
    return out
