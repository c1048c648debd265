"""Truto's error dialect in one place.

Every error is `{"statusCode": N, "error": "<reason phrase>", "message": "..."}` with the HTTP
status N. Unified-API validation errors add `truto_error_insight` (keys independent of each
other, each `{description, value}`); errors the provider returned add `truto_is_remote_error:
true`, `raw_response` (the provider's own body) and `truto_error_insight.remote_error`.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver.web import json_response, reason_phrase

INSIGHT_TEXT = {
    "missing_required_query_parameters": (
        "The integration requires these query parameters and they were not sent."
    ),
    "missing_required_body_fields": (
        "The integration requires these body fields and they were not sent."
    ),
    "conditionally_required_query_parameters": (
        "These query parameters are required when the condition given for each holds."
    ),
    "conditionally_required_body_fields": (
        "These body fields are required when the condition given for each holds."
    ),
    "remote_error": "The error was returned by the integration's own API, not by Truto.",
    "rate_limit_error": "The integration's API rate limited the request; retry after the delay.",
}


class TrutoError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        insight: dict[str, Any] | None = None,
        remote: Any = None,
        is_remote: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.insight = dict(insight or {})
        self.remote = remote
        self.is_remote = is_remote or remote is not None
        self.headers = headers

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "statusCode": self.status,
            "error": reason_phrase(self.status),
            "message": self.message,
        }
        insight = dict(self.insight)
        if self.is_remote:
            out["truto_is_remote_error"] = True
            out["raw_response"] = self.remote
            insight.setdefault("remote_error", insight_entry("remote_error"))
            if self.status == 429:
                insight.setdefault("rate_limit_error", insight_entry("rate_limit_error"))
        if insight:
            out["truto_error_insight"] = insight
        return out

    def response(self) -> Response:
        return json_response(self.body(), self.status, self.headers)


def insight_entry(key: str, value: Any = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"description": INSIGHT_TEXT[key]}
    if value is not None:
        entry["value"] = value
    return entry


def bad_request(message: str, **insight: Any) -> TrutoError:
    """A Truto-side 400; keyword arguments become `truto_error_insight` entries."""
    return TrutoError(400, message, insight={k: insight_entry(k, v) for k, v in insight.items()})


def missing_query(names: list[str], conditional: dict[str, str] | None = None) -> TrutoError:
    insight = {
        "missing_required_query_parameters": insight_entry(
            "missing_required_query_parameters", names
        )
    }
    if conditional:
        insight["conditionally_required_query_parameters"] = insight_entry(
            "conditionally_required_query_parameters", conditional
        )
    return TrutoError(
        400, f"Missing required query parameters: {', '.join(names)}", insight=insight
    )


def unauthorized(message: str = "Invalid API token") -> TrutoError:
    return TrutoError(401, message)


def not_found(message: str = "Not Found") -> TrutoError:
    return TrutoError(404, message)


def method_not_allowed(message: str) -> TrutoError:
    return TrutoError(405, message)


def too_many_requests(retry_after: int) -> TrutoError:
    return TrutoError(
        429,
        "Rate limit exceeded. Please retry after some time.",
        headers={"Retry-After": str(retry_after)},
    )


def remote(
    status: int, raw: Any, message: str, headers: dict[str, str] | None = None
) -> TrutoError:
    return TrutoError(status, message, remote=raw, is_remote=True, headers=headers)


def fault_response(
    status: int, message: str | None = None, raw_response: Any = None, **_: object
) -> Response:
    """What an injected fault with `status` answers (reference/truto.md §9.2–9.5): a provider
    (remote) error — the 3-key envelope plus `truto_is_remote_error`, `raw_response` and
    `truto_error_insight.remote_error`; a 429 adds `rate_limit_error` and `Retry-After: 10`."""
    text = message if message is not None else reason_phrase(status)
    raw = raw_response if raw_response is not None else {"message": text}
    headers = {"Retry-After": "10"} if status == 429 else None
    return remote(status, raw, text, headers).response()


def crash_response(**_: object) -> Response:
    """When the fake itself fails on a Truto path: Truto's own 500 (no remote flag, so a
    client may retry it), in the 3-key envelope (reference/truto.md §9.1, §9.4)."""
    return TrutoError(500, "Internal Server Error").response()
