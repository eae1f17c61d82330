"""Previewed staff-list files, kept on the server by content hash until they are confirmed or
expire, so that confirming an import never sends the file back through the browser (a large
list, base64-encoded in the page, would pass the upload limit on the way back).

Files live in ``UPLOAD_FOLDER`` (default: ``uploads/`` in the instance folder, which every worker
process of one host shares) and are removed ``UPLOAD_KEEP_SECONDS`` after they were stored."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from flask import current_app

_DIGEST = re.compile(r"[0-9a-f]{64}")


def _folder() -> Path:
    folder = current_app.config["UPLOAD_FOLDER"] or os.path.join(current_app.instance_path,
                                                                  "uploads")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _keep_seconds() -> int:
    return int(current_app.config["UPLOAD_KEEP_SECONDS"])


def remove_expired(now: float | None = None) -> int:
    """Delete every kept file older than ``UPLOAD_KEEP_SECONDS``; how many were deleted."""
    now = time.time() if now is None else now
    removed = 0
    for path in _folder().glob("*.upload"):
        try:
            if now - path.stat().st_mtime > _keep_seconds():
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another worker removed it first
            continue
    return removed


def keep(data: bytes) -> str:
    """Store a previewed file; its SHA-256 hex digest names it."""
    remove_expired()
    digest = hashlib.sha256(data).hexdigest()
    folder = _folder()
    target = folder / f"{digest}.upload"
    # Written under a temporary name and renamed: a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)
    return digest


def fetch(digest: str) -> bytes | None:
    """The kept file with this digest, or None when there is none (never stored, expired, or
    not what the digest says)."""
    if not _DIGEST.fullmatch(digest or ""):
        return None
    path = _folder() / f"{digest}.upload"
    try:
        if time.time() - path.stat().st_mtime > _keep_seconds():
            path.unlink(missing_ok=True)
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return data if hashlib.sha256(data).hexdigest() == digest else None


def discard(digest: str) -> None:
    """Forget a kept file (after its import)."""
    if _DIGEST.fullmatch(digest or ""):
        (_folder() / f"{digest}.upload").unlink(missing_ok=True)
