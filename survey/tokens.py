"""Invitation tokens: at least 128 random bits in the link, only hashes in the database.

The invitation stores ``hash_token(token)``. The attempt stores ``attempt_key(token)``, a
different hash of the same token, so that in anonymous campaigns nothing in the database links an
attempt back to its invitation; only someone holding the link can find both."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 24  # 192 random bits
_TOKEN_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_token() -> str:
    """A URL-safe random token (32 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(token: str) -> bool:
    return 20 <= len(token) <= 64 and set(token) <= _TOKEN_CHARS


def hash_token(token: str) -> str:
    """What an invitation stores: SHA-256 of the token, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def attempt_key(token: str) -> str:
    """What an attempt stores: a keyed hash of the token, unrelated to ``hash_token``."""
    return hmac.new(b"qabilet-attempt", token.encode(), hashlib.sha256).hexdigest()
