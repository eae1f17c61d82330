"""State changes of the respondent path. The views call these and commit once per request.

Every write is safe to repeat and to race: answers are upserted per (attempt, item), and the
attempt's stage and page only move forward through guarded ``UPDATE … WHERE`` statements, so a
double click, a replayed request or two tabs posting at once never duplicate or lose an answer.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Answer, Attempt, Campaign, Invitation
from ..models._types import utcnow
from ..tokens import attempt_key, hash_token, looks_like_token

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

# Every respondent request starts with one of these two lookups: built once, so a request
# pays only for binding the hash, not for constructing the statement again.
_INVITATION_BY_HASH = (
    select(Invitation, Campaign)
    .join(Campaign, Invitation.campaign_id == Campaign.id)
    .where(Invitation.token_hash == bindparam("token_hash"))
)
_ATTEMPT_BY_KEY = (
    select(Attempt, Campaign)
    .join(Campaign, Attempt.campaign_id == Campaign.id)
    .where(Attempt.access_hash == bindparam("access_hash"))
)


def find_invitation(token: str) -> tuple[Invitation, Campaign] | None:
    """The invitation of a link and its campaign, or None for an unknown or malformed token."""
    if not looks_like_token(token):
        return None
    row = db.session.execute(
        _INVITATION_BY_HASH, {"token_hash": hash_token(token)}
    ).one_or_none()
    return (row[0], row[1]) if row else None


def find_attempt(token: str) -> tuple[Attempt, Campaign] | None:
    """The attempt a link leads to, with its campaign, in one query; None if not started."""
    if not looks_like_token(token):
        return None
    row = db.session.execute(_ATTEMPT_BY_KEY, {"access_hash": attempt_key(token)}).one_or_none()
    return (row[0], row[1]) if row else None


def _insert(model: type[Attempt]) -> PgInsert | SqliteInsert:
    """INSERT … ON CONFLICT for the session's database (PostgreSQL or SQLite)."""
    name = db.session.get_bind().dialect.name
    return (pg_insert if name == "postgresql" else sqlite_insert)(model)


def start_attempt(invitation: Invitation, campaign: Campaign, token: str, language: str) -> None:
    """Create the attempt of this link (after consent); a repeated consent changes nothing.

    Anonymous campaigns keep no link from the attempt to the invitation: the attempt is found
    again only through ``attempt_key(token)``."""
    first_stage = "survey" if campaign.survey_version_id else "test"
    statement = _insert(Attempt).values(
        campaign_id=campaign.id,
        invitation_id=None if campaign.anonymous else invitation.id,
        access_hash=attempt_key(token),
        organisation_id=invitation.organisation_id,
        unit_id=invitation.unit_id,
        position_category_id=invitation.position_category_id,
        language=language,
        seed=secrets.randbelow(2**31),
        stage=first_stage,
        page=1 if first_stage == "survey" else 0,
        started_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["access_hash"])
    db.session.execute(statement)
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.in_(("new", "sent")))
        .values(status="started")
    )


_UPSERTS: dict[str, object] = {}


def _answer_upsert() -> PgInsert | SqliteInsert:
    """INSERT … ON CONFLICT (attempt, item) DO UPDATE, built once per database kind.

    Executed with a list of rows it is compiled once and cached, and SQLAlchemy still sends the
    rows as one multi-row INSERT."""
    name = db.session.get_bind().dialect.name
    statement = _UPSERTS.get(name)
    if statement is None:
        table = Answer.__table__
        insert = (pg_insert if name == "postgresql" else sqlite_insert)(table)
        statement = _UPSERTS[name] = insert.on_conflict_do_update(
            index_elements=[table.c.attempt_id, table.c.item_id],
            set_={"value": insert.excluded.value, "answered_at": insert.excluded.answered_at},
        )
    return statement


def save_answers(attempt_id: int, values: dict[int, str], cleared: list[int]) -> None:
    """Upsert the given answers and remove the ones the person cleared, in two statements."""
    if values:
        now = utcnow()
        db.session.execute(
            _answer_upsert(),
            [
                {"attempt_id": attempt_id, "item_id": item_id, "value": value, "answered_at": now}
                for item_id, value in values.items()
            ],
        )
    if cleared:
        db.session.execute(
            delete(Answer).where(Answer.attempt_id == attempt_id, Answer.item_id.in_(cleared))
        )


def answers_for(attempt_id: int, item_ids: list[int]) -> dict[int, str]:
    """The saved answers of some items, item id → stored value."""
    if not item_ids:
        return {}
    return dict(
        db.session.execute(
            db.select(Answer.item_id, Answer.value).where(
                Answer.attempt_id == attempt_id, Answer.item_id.in_(item_ids)
            )
        ).all()
    )


def hold_stage(attempt_id: int, stage: str, language: str, page: int | None = None) -> bool:
    """Claim the attempt for this save while it is still in ``stage``, remembering the language
    and, with ``page``, that the person may now see that page (never moving backwards).

    It runs before the answers are written: the row stays locked until the commit, so a
    request finishing the attempt at the same moment either waits and packs these answers too,
    or has already finished it — then this returns False and nothing may be saved."""
    values: dict = {"language": language}
    if page is not None:
        values["page"] = case((Attempt.page < page, page), else_=Attempt.page)
    return db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.stage == stage)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount > 0


def finish_survey(attempt: Attempt, campaign: Campaign, token: str, language: str) -> None:
    """Leave the survey for the test (or finish when the campaign has no test)."""
    if campaign.test_version_id is None:
        finish_attempt(attempt, token, language)
        return
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.stage == "survey")
        .values(stage="test", page=0, language=language)
        .execution_options(synchronize_session=False)
    )


def start_test(attempt: Attempt, campaign: Campaign, language: str) -> None:
    """Start the test clock. Only the first start counts: a replay never extends the time. The
    deadline never runs past the campaign's close."""
    now = utcnow()
    minutes = campaign.test_time_limit_minutes
    deadline = now + timedelta(minutes=minutes) if minutes else campaign.closes_at
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.stage == "test",
               Attempt.test_started_at.is_(None))
        .values(test_started_at=now, page=1, language=language,
                test_deadline=min(deadline, campaign.closes_at))
        .execution_options(synchronize_session=False)
    )


def time_is_up(attempt: Attempt, now: datetime, grace_seconds: float = 0) -> bool:
    return attempt.test_deadline is not None and now > attempt.test_deadline + timedelta(
        seconds=grace_seconds
    )


def finish_attempt(attempt: Attempt, token: str, language: str | None = None) -> bool:
    """Finish the attempt and pack its result, once: True if this call finished it.

    The guarded UPDATE decides which of two racing requests packs the result; the other sees
    the attempt already finished and writes nothing."""
    if not _finish(attempt, language):
        return False
    # Found through the token, so anonymous attempts (with no invitation id) are counted too.
    db.session.execute(
        update(Invitation).where(Invitation.token_hash == hash_token(token))
        .values(status="finished")
    )
    return True


def finish_open_tests(campaign_id: int) -> int:
    """Finish every attempt still in the test, with what was saved (called when a campaign
    closes: no more answers can come). Returns how many were finished.

    Without the link, an anonymous attempt's invitation cannot be found, so it keeps the status
    "started"; the attempt itself, and its result, are complete."""
    expired = db.session.scalars(
        db.select(Attempt).where(Attempt.campaign_id == campaign_id, Attempt.stage == "test")
    ).all()
    return _finish_all(expired)


def finish_expired_tests(before: datetime) -> int:
    """Finish every test whose deadline passed before ``before`` and that nobody submitted
    (the scheduler's sweep; a respondent coming back would have finished it the same way)."""
    expired = db.session.scalars(
        db.select(Attempt).where(Attempt.stage == "test", Attempt.test_deadline < before)
    ).all()
    return _finish_all(expired)


def _finish_all(attempts: Sequence[Attempt]) -> int:
    """Finish these attempts with what was saved, and mark their invitations finished; returns
    how many were still open."""
    finished = 0
    for attempt in attempts:
        if _finish(attempt, None):
            finished += 1
            if attempt.invitation_id is not None:
                db.session.execute(
                    update(Invitation).where(Invitation.id == attempt.invitation_id)
                    .values(status="finished")
                )
    return finished


def _finish(attempt: Attempt, language: str | None) -> bool:
    from .packing import pack_attempt

    values = {"stage": "finished", "finished_at": utcnow()}
    if language:
        values["language"] = language
    finished = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.stage != "finished")
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not finished:
        return False
    # The row now holds these; tell the loaded object without another SELECT or a second UPDATE.
    for name, value in values.items():
        set_committed_value(attempt, name, value)
    pack_attempt(attempt)
    return True
