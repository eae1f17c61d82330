"""Password hashing with Argon2id (argon2-cffi).

The cost follows the configuration (``ARGON2_TIME_COST``, ``ARGON2_MEMORY_COST`` in KiB; their
defaults and why are in :class:`survey.config.Defaults`). A hash records its own parameters, so
changing them never locks anyone out."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_cost: int) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)
    # Verified against when the e-mail is unknown, so both paths take the same time.
    return hasher, hasher.hash("not-a-real-password")


def _configured() -> tuple[PasswordHasher, str]:
    config = current_app.config
    return _hasher(int(config["ARGON2_TIME_COST"]), int(config["ARGON2_MEMORY_COST"]))


def hash_password(password: str) -> str:
    return _configured()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _configured()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
