"""Server settings. Where a provider's real behaviour is not documented, the choice made is a
setting here, so a user can match what their live contract run shows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CronofySettings:
    page_size: int = 100  # events / free-busy entries per page (undocumented upstream)
    token_lifetime: int = 3600  # seconds; Cronofy's examples all say 3600
    code_lifetime: int = 600  # seconds an authorization code stays usable
    # Status for writes into a read-only or deleted calendar (UNVERIFIED upstream): 422 carries
    # errors on `calendar_id`; 403 / 404 send no body.
    readonly_calendar_status: int = 422
    # Status when an external event may not be edited/deleted (sandbox calendar, options false,
    # recurring). UNVERIFIED upstream; 403 or 422 are the likely answers.
    external_refusal_status: int = 403
    # Status for Create Calendar with a profile the account does not have (UNVERIFIED).
    unknown_profile_status: int = 422
    # Status for Read Events with calendar_ids the account does not have (UNVERIFIED): 422, or
    # 200 to ignore them.
    unknown_calendar_ids_status: int = 422
    # Delete Event with an event_id this app never used in that calendar: the docs list 404;
    # 202 models a purely asynchronous API. A repeated delete of a deleted event is always 202.
    unknown_event_delete_status: int = 404
    rate_limit: bool = False  # enforce 50 req/s and 500 req/min per application
    force_429: bool = False  # answer every /v1 request with 429
    max_batch: int = 50


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    cronofy: CronofySettings = field(default_factory=CronofySettings)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def update(self, changes: dict[str, Any]) -> list[str]:
        """Apply `{"cronofy": {"page_size": 5}}`-style changes; returns problems, applies none
        if there are any."""
        problems: list[str] = []
        staged: list[tuple[Any, str, Any]] = []
        for section, values in changes.items():
            target = getattr(self, section, None)
            if not dataclasses.is_dataclass(target) or not isinstance(values, dict):
                problems.append(f"unknown settings section {section!r}")
                continue
            for name, value in values.items():
                fields = {f.name: f for f in dataclasses.fields(target)}
                if name not in fields:
                    problems.append(f"unknown setting {section}.{name}")
                    continue
                current = getattr(target, name)
                if type(value) is not type(current):
                    problems.append(f"{section}.{name} must be {type(current).__name__}")
                    continue
                staged.append((target, name, value))
        if not problems:
            for target, name, value in staged:
                setattr(target, name, value)
        return problems
