"""The disclosure gate's releases, stored: the web side of :mod:`analysis.privacy`.

Per result ``AttemptResult.release_row`` (its fixed row, null until a release first sees it) and
``AttemptResult.atom`` (null = pending); per atom ``ReleaseAtom.release_number``; per release a
:class:`~survey.models.Release` row (number, time, campaign). :func:`current_gate` gives the
partition of a campaign in the row order of its cached frame and extends the release when new
results wait (:func:`analysis.privacy.extend_release`, with each unit's outstanding invitations;
none once the campaign is closed — :func:`close_release`, called when a campaign closes).

Extending is idempotent and safe under concurrent requests: the new release's number is
inserted first under the unique (campaign, number) constraint, so of two workers that formed
release N+1 from release N only one commits; the other rolls back and reads what was stored.
Nothing is written when no new atom would form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import chain

import numpy as np
from flask_babel import gettext as _
from numpy.typing import NDArray
from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from analysis.privacy import Organisation, Partition, People, extend_release

from ..extensions import db, process_cache
from ..models import AttemptResult, Campaign, Release, ReleaseAtom
from ..models._types import utcnow
from .frames import CampaignFrame


@dataclass(frozen=True)
class Gate:
    """The released atoms of a campaign, aligned with its frame's rows.

    ``partition``: atoms in frame row order (−1 = pending or never released). ``times``:
    release number → time. ``waiting``: finished results in no figure yet."""

    campaign_id: int
    version: tuple[int, int]
    partition: Partition
    times: dict[int, datetime]
    row: NDArray[np.int64]  # each frame row's fixed release row, −1 = not seen by a release
    final: bool = False  # the latest release was made at the campaign's close

    @property
    def number(self) -> int:
        """The latest release (0 = none yet); part of every cache key of released figures."""
        return self.partition.releases

    @property
    def waiting(self) -> int:
        return self.partition.pending

    @property
    def released_at(self) -> datetime | None:
        return self.times.get(self.number)


def waiting_in(gate: Gate, rows: NDArray[np.bool_]) -> int:
    """Finished results of a selection that wait for a release (in no atom yet)."""
    return int(np.count_nonzero(rows & (gate.partition.atom < 0)))


class _Stale(Exception):
    """The stored rows changed while they were read (another worker committed a release)."""


def latest_release(campaign_id: int) -> int:
    """The campaign's latest release number, 0 when none (one indexed read)."""
    number = db.session.scalar(select(func.max(Release.number)).where(
        Release.campaign_id == campaign_id))
    return int(number or 0)


def organisation(frame: CampaignFrame) -> Organisation:
    """The real unit tree of the campaign's bodies (``Unit.parent``) for the gate."""
    layout = frame.layout
    tree = layout.unit_tree if layout.unit_tree.size == len(layout.units) else \
        np.full(len(layout.units), -1, dtype=np.intp)
    return Organisation(np.asarray(tree, dtype=np.intp),
                        np.asarray(layout.unit_parent, dtype=np.intp),
                        len(layout.organisations))


def _stored_rows(campaign_id: int, up_to: int | None) -> tuple[NDArray[np.int64],
                                                                  NDArray[np.int64]]:
    """Each result's release row and atom (−1 = none) in attempt-id order: on PostgreSQL one
    ordered ``string_agg`` of fixed-width records (as :mod:`survey.results.packed` reads),
    elsewhere one pass over the driver's rows."""
    where = "campaign_id = :campaign" + (" AND attempt_id <= :up_to" if up_to else "")
    params: dict[str, int] = {"campaign": campaign_id}
    if up_to:
        params["up_to"] = up_to
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        n, raw = connection.execute(text(
            "SELECT count(*), string_agg(int4send(coalesce(release_row, -1)) || "  # noqa: S608
            "int4send(coalesce(atom, -1)), ''::bytea ORDER BY attempt_id) "
            f"FROM attempt_result WHERE {where}"), params).one()
        pairs = np.frombuffer(bytes(raw or b""), dtype=">i4").reshape(int(n), 2)
        return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    rows = connection.execute(text(
        "SELECT coalesce(release_row, -1), coalesce(atom, -1) "  # noqa: S608
        f"FROM attempt_result WHERE {where} ORDER BY attempt_id"), params).fetchall()
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows))
    return flat[0::2].copy(), flat[1::2].copy()


def _read(frame: CampaignFrame, k: int) -> Gate:
    campaign_id = frame.campaign_id
    stored_releases = db.session.execute(
        select(Release.number, Release.released_at, Release.final)
        .where(Release.campaign_id == campaign_id)).all()
    releases = {number: when for number, when, _final in stored_releases}
    latest = max(releases, default=0)
    final = any(number == latest and is_final for number, _w, is_final in stored_releases)
    atom_release = np.fromiter(db.session.scalars(
        select(ReleaseAtom.release_number).where(ReleaseAtom.campaign_id == campaign_id)
        .order_by(ReleaseAtom.atom)), dtype=np.int64)
    row, atom = _stored_rows(campaign_id, frame.version[1] or None)
    if row.size != frame.n:
        raise _Stale
    if atom.size and int(atom.max(initial=-1)) >= atom_release.size or \
            (atom_release.size and int(atom_release.max()) > latest):
        raise _Stale
    partition = Partition.restore(k, atom, atom_release, latest)
    return Gate(campaign_id, frame.version, partition, releases, row, final)


def _load(frame: CampaignFrame, k: int, latest: int) -> Gate:
    key = ("release_gate", frame.campaign_id, frame.version, latest, k)
    gate = process_cache.get(key)
    if gate is None:
        for attempt in range(3):
            try:
                gate = _read(frame, k)
                break
            except _Stale:
                db.session.rollback()
                if attempt == 2:
                    raise
        assert gate is not None
        process_cache.set(("release_gate", frame.campaign_id, frame.version, gate.number, k), gate)
    return gate


def is_closed(campaign: Campaign) -> bool:
    """No more results will come: the campaign is closed or archived, or past its closing."""
    if campaign.status in ("closed", "archived"):
        return True
    closes = campaign.closes_at
    return closes is not None and utcnow() >= closes


def outstanding(frame: CampaignFrame, invited: NDArray[np.int64]) -> NDArray[np.int64]:
    """Invitations per unit not finished yet (invitations minus results, never below 0)."""
    n_units = len(frame.layout.units)
    done = np.bincount(frame.unit[frame.unit >= 0], minlength=n_units)[:n_units]
    return np.maximum(np.asarray(invited, dtype=np.int64)[:n_units] - done, 0)


def _next(gate: Gate, frame: CampaignFrame, k: int,
          waiting: NDArray[np.int64] | None) -> tuple[Partition, NDArray[np.intp], int] | None:
    """The next partition in release-row order, the frame rows in that order, and how many
    of them the previous release held; None when no new atom would form.

    Without a new result nothing can form — except at the close, when what waited for late
    finishers is handed up once (``waiting`` None and the latest release not yet final)."""
    eligible = frame.organisation >= 0
    new = np.flatnonzero(eligible & (gate.row < 0))
    if new.size == 0 and (waiting is not None or gate.final or gate.waiting == 0):
        return None
    old = np.flatnonzero(gate.row >= 0)
    old = old[np.argsort(gate.row[old], kind="stable")]
    order = np.r_[old, new].astype(np.intp)
    people = People(frame.organisation[order], frame.unit[order], frame.position[order],
                    frame.language[order])
    previous = None
    if gate.number:
        previous = Partition(k, gate.partition.atom[old], gate.partition.atom_release,
                             gate.number)
    following = extend_release(previous, organisation(frame), people, k, waiting)
    if following.n_atoms == gate.partition.n_atoms:
        return None
    return following, order, int(old.size)


def _store(campaign_id: int, following: Partition, order: NDArray[np.intp], n_old: int,
           frame: CampaignFrame, gate: Gate, final: bool) -> bool:
    """Write release ``following.releases``; False when another worker stored it first."""
    ids = np.fromiter(db.session.scalars(
        select(AttemptResult.attempt_id).where(AttemptResult.campaign_id == campaign_id)
        .where(AttemptResult.attempt_id <= frame.version[1]).order_by(AttemptResult.attempt_id)),
        dtype=np.int64)
    if ids.size != frame.n:
        return False
    try:
        db.session.add(Release(campaign_id=campaign_id, number=following.releases,
                               released_at=utcnow(), results=int(order.size), final=final))
        db.session.flush()
        first = gate.partition.n_atoms
        db.session.execute(insert(ReleaseAtom), [
            {"campaign_id": campaign_id, "atom": a, "release_number": following.releases}
            for a in range(first, following.n_atoms)])
        changed = [j for j in range(order.size)
                   if j >= n_old or (following.atom[j] >= 0 and gate.partition.atom[order[j]] < 0)]
        _write_rows([int(ids[order[j]]) for j in changed], changed,
                    [None if following.atom[j] < 0 else int(following.atom[j]) for j in changed])
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def _write_rows(ids: list[int], rows: list[int], atoms: list[int | None]) -> None:
    """Set ``release_row`` and ``atom`` of the given results: one statement on PostgreSQL
    (arrays unnested into a join), one executemany elsewhere."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "UPDATE attempt_result AS r SET release_row = v.row_value, atom = v.atom_value "
            "FROM unnest(CAST(:ids AS bigint[]), CAST(:rows AS integer[]), "
            "CAST(:atoms AS integer[])) AS v(id, row_value, atom_value) "
            "WHERE r.attempt_id = v.id"), {"ids": ids, "rows": rows, "atoms": atoms})
        return
    table = AttemptResult.__table__
    connection.execute(
        update(table).where(table.c.attempt_id == bindparam("key"))
        .values(release_row=bindparam("row_value"), atom=bindparam("atom_value")),
        [{"key": i, "row_value": r, "atom_value": a}
         for i, r, a in zip(ids, rows, atoms, strict=True)])


def current_gate(campaign: Campaign, frame: CampaignFrame, invited: NDArray[np.int64],
                 k: int) -> Gate:
    """The campaign's released atoms for this frame, after extending the release when new
    results wait and could form an atom (a read and, at most, one release written)."""
    latest = latest_release(campaign.id)
    gate = _load(frame, k, latest)
    closed = is_closed(campaign)
    waiting = None if closed else outstanding(frame, invited)
    tried = ("release_tried", campaign.id, frame.version, gate.number, k, closed,
             None if waiting is None else waiting.tobytes())
    if process_cache.get(tried):
        return gate
    step = _next(gate, frame, k, waiting)
    if step is None:
        process_cache.set(tried, True)
        return gate
    following, order, n_old = step
    _store(campaign.id, following, order, n_old, frame, gate, closed)
    return _load(frame, k, latest_release(campaign.id))


def close_release(campaign: Campaign, k: int) -> int:
    """The release made when a campaign closes: every waiting result that can form an atom
    does (no outstanding invitations any more). Returns the latest release number."""
    return released_figures(campaign, k)[1].number


def released_figures(campaign: Campaign, k: int) -> tuple[CampaignFrame, Gate, NDArray[np.int64]]:
    """The campaign's cached frame, its gate (the release extended if new results wait) and
    the invitations per unit — what every page with people's numbers starts from."""
    from .frames import invitation_counts, load_campaign

    frame = load_campaign(campaign)
    invited = invitation_counts(campaign.id, frame.layout.units)
    try:
        gate = current_gate(campaign, frame, invited, k)
    except _Stale:  # a result arrived between the frame's read and the gate's
        frame = load_campaign(campaign)
        gate = current_gate(campaign, frame, invited, k)
    return frame, gate, invited


MONTHS = {
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
           "қыркүйек", "қазан", "қараша", "желтоқсан"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def long_date(moment: datetime) -> str:
    """A date as official texts write it (glossary): kk "2026 жылғы 15 наурыз", ru "15 марта
    2026 г.", en "15 March 2026", in the app's time zone."""
    from flask_babel import get_locale, to_user_timezone

    day = to_user_timezone(moment)
    language = str(get_locale() or "en")[:2]
    month = MONTHS.get(language, MONTHS["en"])[day.month - 1]
    if language == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    if language == "ru":
        return f"{day.day} {month} {day.year} г."
    return f"{day.day} {month} {day.year}"


def release_note(released_at: datetime | None, waiting: int) -> str:
    """"Figures released on <date>; N results wait for the next release" for the dashboard,
    its report and its exports."""
    if released_at is None:
        return _("No figures have been released yet. Results waiting for the first release: "
                 "%(n)s.", n=waiting)
    return _("Figures released: %(date)s. Results waiting for the next release: %(n)s.",
             date=long_date(released_at), n=waiting)
