"""The one rule for an e-mail address, wherever one is typed or imported: a staff account (the
admin form, the command line, the login form) and a person of a staff list.

An address is something, "@", and a domain with a dot in it, with no space, control character
or second "@", at most ``MAX_LENGTH`` characters. Nothing more is asked: government bodies use
internal domains (``mail.gov.local``) and addresses a stricter validator refuses, and whether an
address exists is only learnt by sending to it. Addresses are compared in lower case."""

from __future__ import annotations

import re

MAX_LENGTH = 320
_ADDRESS = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f.]+(\.[^@\s\x00-\x1f\x7f.]+)+")


def normalise(text: str | None) -> str:
    """The address as it is stored and compared: without surrounding blanks, in lower case."""
    return (text or "").strip().lower()


def is_valid(text: str | None) -> bool:
    """Whether ``text`` (normalised) is an e-mail address by the rule above."""
    address = normalise(text)
    return 0 < len(address) <= MAX_LENGTH and _ADDRESS.fullmatch(address) is not None
