"""What `mockserver record` / `compare` need to know about Truto's wire format."""

from __future__ import annotations

from typing import Any

from mockserver.registry import RecordingProfile


def replay_credentials(section: dict[str, Any]) -> dict[str, str]:
    """The first API token of the fake's world (GET /_mock/credentials)."""
    tokens = section.get("api_tokens", [])
    return {"authorization": f"Bearer {tokens[0]['token']}"} if tokens else {}


PROFILE = RecordingProfile(
    id_keys=frozenset(
        {
            "id",
            "integrated_account_id",
            "ical_uid",
            "iCalUID",
            "recurringEventId",
            "seriesMasterId",
            "ownerId",
            "external_id",
        }
    ),
    # stamps, opaque cursors, and what the remote calendar makes per write (remote_data)
    volatile_keys=frozenset(
        {
            "created_at",
            "updated_at",
            "next_cursor",
            "prev_cursor",
            "created",
            "updated",
            "etag",
            "htmlLink",
            "createdDateTime",
            "lastModifiedDateTime",
            "changeKey",
        }
    ),
    replay_credentials=replay_credentials,
)
