"""Column helpers shared by the model modules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime
from sqlalchemy.types import TypeDecorator

# The models take the language list from here (models/user.py among them).
from ..languages import LANGUAGE_CODES as LANGUAGE_CODES

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect


def utcnow() -> datetime:
    """Timezone-aware 'now' for column defaults."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC that always comes back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None,
                             dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


# Texts a person reads, as {"kk": ..., "ru": ..., "en": ...}.
LocalizedText = JSON


def sql_in(values: tuple[str, ...]) -> str:
    """``'a', 'b'`` for CHECK constraints."""
    return ", ".join(f"'{v}'" for v in values)
