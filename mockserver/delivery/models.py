"""What the delivery engine handles: the outbound requests providers render (`Outbound`), the
retry policy each carries, and the record kept of every delivery and its attempts (`Delivery`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson


def iso_ms(value: datetime) -> str:
    """`2026-01-01T09:00:00.123Z`: delivery times keep milliseconds."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class RetryPolicy:
    """How a provider treats a failed delivery. `backoff[i]` is the wait (seconds on the fake
    clock) before retry i+1; the last value repeats. Retries stop after `attempts` attempts or
    once `give_up_after` seconds have passed since the first one, whichever comes first."""

    attempts: int = 1
    backoff: tuple[float, ...] = ()
    give_up_after: float | None = None
    timeout: float = 10.0  # real seconds an attempt may take before it counts as failed
    success: tuple[int, int] = (200, 299)  # the statuses that count as delivered
    retry_on: str = "failure"  # "failure": any failed attempt; "network": no answer only

    def wait(self, retry: int) -> float:
        if not self.backoff:
            return 0.0
        return self.backoff[min(retry, len(self.backoff)) - 1]


@dataclass(frozen=True)
class Outbound:
    """One request a provider wants sent. `due` None: as soon as possible. `tag` lets a later
    `Cancel` withdraw it while pending; `coalesce` merges it into a pending, not yet attempted
    delivery with the same key (the earlier one is kept)."""

    provider: str
    kind: str  # the provider's name for what it announces ("change", "BOOKING_CREATED"...)
    target: str
    body: bytes
    headers: dict[str, str]
    subscription: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    due: datetime | None = None
    tag: str | None = None
    coalesce: str | None = None
    changes: tuple[int, ...] = ()
    method: str = "POST"


@dataclass(frozen=True)
class Cancel:
    """Withdraw the pending deliveries carrying this tag (a meeting trigger of a booking that
    was cancelled, say)."""

    provider: str
    tag: str


@dataclass
class Attempt:
    number: int
    at: datetime  # the fake clock when it was made
    status: int | None = None
    latency_ms: float | None = None
    error: str | None = None
    response: str | None = None
    rule: str | None = None  # the delivery rule that decided it, if any

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "at": iso_ms(self.at),
            "status": self.status,
            "latency_ms": self.latency_ms,
            "error": self.error,
            "response": self.response,
            "rule": self.rule,
        }


# pending: waiting for its time; held: kept back by a pause or a reorder rule; delivering: an
# attempt is under way; retrying: failed, a retry is scheduled; delivered / failed (retries
# exhausted) / dropped (by a rule) / cancelled: final.
FINAL = frozenset({"delivered", "failed", "dropped", "cancelled"})


@dataclass
class Delivery:
    id: str
    seq: int
    out: Outbound
    created_at: datetime
    due_at: datetime
    status: str = "pending"
    attempts: list[Attempt] = field(default_factory=list)
    duplicate_of: str | None = None
    # why it waits past its due time: "pause", the id of the reorder rule holding it, or "now"
    # (deliver_now: sent at once, past pauses and rules)
    held_by: str | None = None
    first_attempt_at: datetime | None = None
    ruled: bool = False  # the once-per-delivery rules (drop, delay, ...) were applied
    in_log: bool = False  # still among the log's newest entries

    @property
    def provider(self) -> str:
        return self.out.provider

    @property
    def target(self) -> str:
        return self.out.target

    @property
    def final(self) -> bool:
        return self.status in FINAL

    def text(self) -> str:
        return self.out.body.decode("utf-8", "replace")

    def to_json(self) -> dict[str, Any]:
        try:
            parsed = orjson.loads(self.out.body)
        except orjson.JSONDecodeError:
            parsed = None
        return {
            "id": self.id,
            "provider": self.out.provider,
            "kind": self.out.kind,
            "subscription": self.out.subscription,
            "method": self.out.method,
            "target": self.out.target,
            "headers": dict(self.out.headers),
            "body": self.text(),
            "json": parsed,
            "status": self.status,
            "created_at": iso_ms(self.created_at),
            "due_at": None if self.final else iso_ms(self.due_at),
            "held_by": self.held_by,
            "attempts": [a.to_json() for a in self.attempts],
            "changes": list(self.out.changes),
            "duplicate_of": self.duplicate_of,
        }
