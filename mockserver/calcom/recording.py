"""What `mockserver record` / `compare` need to know about Cal.com's wire format."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mockserver.registry import RecordingProfile


def replay_credentials(section: dict[str, Any]) -> dict[str, str]:
    """The first unexpired API key of the fake's world (GET /_mock/credentials)."""
    now = datetime.now(UTC)
    for user in section.get("users", []):
        for key in user.get("api_keys", []):
            expires = key.get("expires_at")
            if expires is None or datetime.fromisoformat(expires.replace("Z", "+00:00")) > now:
                return {"authorization": f"Bearer {key['key']}"}
    return {}


PROFILE = RecordingProfile(
    id_keys=frozenset(
        {
            "id",
            "uid",
            "eventUid",
            "bookingId",
            "bookingUid",
            "userId",
            "eventTypeId",
            "credentialId",
            "scheduleId",
            "defaultScheduleId",
            "organizationId",
            "teamId",
            "rescheduledFromUid",
            "rescheduledToUid",
            "icsUid",
            "iCalUID",
            "recurringEventId",
        }
    ),
    volatile_keys=frozenset({"timestamp", "createdAt", "updatedAt"}),
    replay_credentials=replay_credentials,
)
