"""URL-safe identifiers (Truto's SDK puts ids in paths unencoded, so only [A-Za-z0-9_-])."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator

_ALNUM = string.ascii_letters + string.digits


def hex_id(prefix: str, nbytes: int = 12) -> str:
    return f"{prefix}{secrets.token_hex(nbytes)}"


def token(length: int = 32) -> str:
    """An opaque ASCII token (Cronofy access tokens are 32 characters)."""
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def account_id() -> str:
    return hex_id("acc_")  # acc_ + 24 hex = 28 characters, as Cronofy's are


def profile_id() -> str:
    return hex_id("pro_", 8)


def calendar_id(profile: str) -> str:
    return f"cal_{profile.removeprefix('pro_')}_{secrets.token_hex(6)}"


def external_event_uid() -> str:
    return hex_id("evt_external_")


def managed_event_uid() -> str:
    return hex_id("evt_managed_")


def provider_event_id() -> str:
    """A Google-style event id: 26 characters of lower-case base32hex. Hex digits are base32hex
    digits, so 13 random bytes in hex will do (104 bits; one C call, and a world load makes one
    per event)."""
    return secrets.token_hex(13)


def provider_event_ids() -> Iterator[str]:
    """An endless supply of `provider_event_id()`s, drawn from the random source in blocks (a
    world load needs one per event)."""
    while True:
        block = secrets.token_hex(13 * 1024)
        for i in range(0, len(block), 26):
            yield block[i : i + 26]
