"""The disclosure gate's releases, stored: the web side of :mod:`analysis.privacy`.

Per release a :class:`~survey.models.Release` row (number, time, campaign) whose ``members``
holds what it added to the gate's rows — the results it saw first (their fixed rows follow in
that order) with their atoms, and the earlier results it gave an atom — so storing a release is
one row and one statement whatever the campaign's size; per atom ``ReleaseAtom.release_number``. :func:`current_gate` gives the
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

import numpy as np
from flask_babel import gettext as _
from numpy.typing import NDArray
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from analysis.privacy import Organisation, Partition, People, extend_release

from ..extensions import db, process_cache
from ..models import Campaign, Release, ReleaseAtom
from ..models._types import utcnow
from . import building
from .frames import CampaignFrame, data_version


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


def pack_members(new_ids: NDArray[np.int64], new_atoms: NDArray[np.int64],
                 changed_ids: NDArray[np.int64], changed_atoms: NDArray[np.int64]) -> bytes:
    """A release's ``members`` value (see :class:`~survey.models.Release`)."""
    return np.concatenate([[new_ids.size], new_ids, new_atoms, changed_ids, changed_atoms]
                          ).astype("<i4").tobytes()


def replay_members(blobs: list[bytes | None]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The gate's rows after the releases whose ``members`` are given in release order: the
    result ids in release-row order and each one's atom (−1 = pending)."""
    new_ids, new_atoms, changed_ids, changed_atoms = [], [], [], []
    for blob in blobs:
        if not blob:
            continue
        values = np.frombuffer(bytes(blob), dtype="<i4").astype(np.int64)
        n_new = int(values[0])
        new_ids.append(values[1:1 + n_new])
        new_atoms.append(values[1 + n_new:1 + 2 * n_new])
        changed = values[1 + 2 * n_new:].reshape(2, -1)
        changed_ids.append(changed[0])
        changed_atoms.append(changed[1])
    if not new_ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ids, atoms = np.concatenate(new_ids), np.concatenate(new_atoms)
    moved = np.concatenate(changed_ids)
    if moved.size:
        order = np.argsort(ids, kind="stable")
        where = order[np.clip(np.searchsorted(ids[order], moved), 0, ids.size - 1)]
        known = ids[where] == moved
        atoms[where[known]] = np.concatenate(changed_atoms)[known]
    return ids, atoms


def stored_members(campaign_id: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The campaign's stored gate rows: result ids in release-row order and their atoms."""
    return replay_members(list(db.session.scalars(
        select(Release.members).where(Release.campaign_id == campaign_id)
        .order_by(Release.number))))


def stored_atoms(campaign_id: int) -> dict[int, int]:
    """Attempt id → atom (−1 = pending) of every result a release has seen."""
    ids, atoms = stored_members(campaign_id)
    return dict(zip(ids.tolist(), atoms.tolist(), strict=True))


def _read(frame: CampaignFrame, k: int) -> Gate:
    campaign_id = frame.campaign_id
    stored_releases = db.session.execute(
        select(Release.number, Release.released_at, Release.final, Release.members)
        .where(Release.campaign_id == campaign_id).order_by(Release.number)).all()
    releases = {number: when for number, when, _final, _m in stored_releases}
    latest = max(releases, default=0)
    final = any(number == latest and is_final for number, _w, is_final, _m in stored_releases)
    atom_release = np.fromiter(db.session.scalars(
        select(ReleaseAtom.release_number).where(ReleaseAtom.campaign_id == campaign_id)
        .order_by(ReleaseAtom.atom)), dtype=np.int64)
    ids, atoms = replay_members([members for *_rest, members in stored_releases])
    row = np.full(frame.n, -1, dtype=np.int64)
    atom = np.full(frame.n, -1, dtype=np.int64)
    if ids.size:
        at = np.clip(np.searchsorted(frame.attempt, ids), 0, max(frame.n - 1, 0))
        found = frame.attempt[at] == ids if frame.n else np.zeros(ids.size, dtype=bool)
        # A stored result the frame lacks: the frame was read before it arrived (read again),
        # unless the frame is the campaign's current data (the result was deleted since).
        if not found.all() and frame.version != data_version(campaign_id):
            raise _Stale
        row[at[found]] = np.flatnonzero(found)
        atom[at[found]] = atoms[found]
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
    """Write release ``following.releases`` — one release row holding the rows it added and
    one statement for its atoms; False when another worker stored it first."""
    ids = frame.attempt[order]
    atoms = np.asarray(following.atom, dtype=np.int64)
    changed = np.flatnonzero((atoms[:n_old] >= 0) & (gate.partition.atom[order[:n_old]] < 0))
    members = pack_members(ids[n_old:], atoms[n_old:], ids[changed], atoms[changed])
    try:
        db.session.add(Release(campaign_id=campaign_id, number=following.releases,
                               released_at=utcnow(), results=int(order.size), final=final,
                               members=members))
        db.session.flush()
        if following.n_atoms > gate.partition.n_atoms:
            db.session.execute(text(
                "WITH RECURSIVE counter(atom) AS (SELECT CAST(:first AS INTEGER) UNION ALL "
                "SELECT atom + 1 "
                "FROM counter WHERE atom + 1 < :last) "
                "INSERT INTO release_atom (campaign_id, atom, release_number) "
                "SELECT :campaign, atom, :number FROM counter"),
                {"first": gate.partition.n_atoms, "last": following.n_atoms,
                 "campaign": campaign_id, "number": following.releases})
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def _may_form(gate: Gate, frame: CampaignFrame, waiting: NDArray[np.int64] | None) -> bool:
    """Whether the next release could hold anything new (the cheap test before
    :func:`_next`): a result no release has seen, or, at the close, results still waiting."""
    if np.any((frame.organisation >= 0) & (gate.row < 0)):
        return True
    return waiting is None and not gate.final and gate.waiting > 0


def current_gate(campaign: Campaign, frame: CampaignFrame, invited: NDArray[np.int64],
                 k: int, inline: bool = False) -> Gate:
    """The campaign's released atoms for this frame. When new results wait and could form an
    atom the release is extended — during this call with ``inline`` or ``RELEASE_BUILD =
    "inline"``, else by a thread of this worker while this call returns the latest stored
    release (:mod:`survey.results.building`); one builder per campaign at a time, the others
    serve the latest release meanwhile."""
    latest = latest_release(campaign.id)
    gate = _load(frame, k, latest)
    closed = is_closed(campaign)
    waiting = None if closed else outstanding(frame, invited)
    tried = ("release_tried", campaign.id, frame.version, gate.number, k, closed,
             None if waiting is None else waiting.tobytes())
    if process_cache.get(tried) or not _may_form(gate, frame, waiting):
        return gate
    if not inline and building.in_background():
        building.schedule(campaign.id, lambda campaign_id: build_release(campaign_id, k))
        return gate
    if not building.claim(campaign.id):
        return gate  # another worker is building it: the latest release meanwhile
    try:
        step = _next(gate, frame, k, waiting)
        if step is None:
            process_cache.set(tried, True)
            return gate
        following, order, n_old = step
        _store(campaign.id, following, order, n_old, frame, gate, closed)
    finally:
        building.give_back(campaign.id)
    return _load(frame, k, latest_release(campaign.id))


def build_release(campaign_id: int, k: int) -> int:
    """Extend the campaign's release now if new results can form an atom (what a background
    build runs); returns the latest release number."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return 0
    return released_figures(campaign, k, inline=True)[1].number


def close_release(campaign: Campaign, k: int) -> int:
    """The release made when a campaign closes: every waiting result that can form an atom
    does (no outstanding invitations any more). Returns the latest release number."""
    return released_figures(campaign, k, inline=True)[1].number


def released_figures(campaign: Campaign, k: int, inline: bool = False
                     ) -> tuple[CampaignFrame, Gate, NDArray[np.int64]]:
    """The campaign's cached frame, its gate (the release extended if new results wait; see
    :func:`current_gate`) and the invitations per unit — what every page with people's
    numbers starts from."""
    from .frames import invitation_counts, load_campaign

    frame = load_campaign(campaign)
    invited = invitation_counts(campaign.id, frame.layout.units)
    try:
        gate = current_gate(campaign, frame, invited, k, inline)
    except _Stale:  # a result arrived between the frame's read and the gate's
        frame = load_campaign(campaign)
        gate = current_gate(campaign, frame, invited, k, inline)
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
