"""What `mockserver record` / `compare` need to know about Cronofy's wire format."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mockserver.registry import RecordingProfile


def _usable(token: dict[str, Any], now: datetime) -> bool:
    expires = token.get("expires_at")
    return not token.get("revoked") and (
        expires is None or datetime.fromisoformat(expires.replace("Z", "+00:00")) > now
    )


def replay_credentials(section: dict[str, Any]) -> dict[str, str]:
    """The broadest usable token and the first app of the fake's world (GET /_mock/credentials)."""
    now = datetime.now(UTC)
    tokens = [t for t in section.get("tokens", []) if _usable(t, now)]
    out: dict[str, str] = {}
    if tokens:
        best = max(tokens, key=lambda t: len(t["scope"].split()))
        out["authorization"] = f"Bearer {best['access_token']}"
        out["refresh_token"] = best["refresh_token"]
    if section.get("apps"):
        app = section["apps"][0]
        out["client_id"], out["client_secret"] = app["client_id"], app["client_secret"]
    return out


PROFILE = RecordingProfile(
    id_keys=frozenset(
        {
            "calendar_id",
            "event_uid",
            "profile_id",
            "account_id",
            "sub",
            "series_identifier",
            "channel_id",
            "provider_id",
        }
    ),
    # stamps of each write, and the page links (their page ids are made per request)
    volatile_keys=frozenset({"created", "updated", "next_page"}),
    replay_credentials=replay_credentials,
)
