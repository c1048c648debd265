"""Cronofy's error dialect in one place.

422: `{"errors": {param: [{"key": "errors.<...>", "description": text}]}}`.
400: only the OAuth token endpoints, RFC 6749 `{"error": "..."}`.
401/403/404/423/429: status only; the documents describe no body, so the fake sends none.
"""

from __future__ import annotations

from starlette.responses import Response

from mockserver.web import empty, json_response

# Descriptions the SDK fixtures show for a key (cronofy-csharp BulkDelete.cs; the same key on
# Read Events' calendar_ids shares it).
INVALID_CALENDAR_IDS = "One or more of the calendar IDs provided was invalid"


class CronofyError(Exception):
    def __init__(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
        super().__init__(f"{status} {body or ''}")
        self.status = status
        self.body = body
        self.headers = headers

    def response(self) -> Response:
        if self.body is None:
            return empty(self.status, self.headers)
        return json_response(self.body, self.status, self.headers)


class Invalid(CronofyError):
    """A 422 that can carry several fields, each with several errors, in request order."""

    def __init__(self, errors: dict[str, list[dict[str, str]]]) -> None:
        super().__init__(422, {"errors": errors})
        self.errors = errors


class ErrorList:
    """Collects validation errors for one request, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[dict[str, str]]] = {}

    def add(self, field: str, key: str, description: str) -> None:
        self.errors.setdefault(field, []).append(
            {"key": f"errors.{key}", "description": description}
        )

    def required(self, field: str) -> None:
        self.add(field, "required", f"{field} must be specified")

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise Invalid(self.errors)


def invalid(field: str, key: str, description: str) -> Invalid:
    return Invalid({field: [{"key": f"errors.{key}", "description": description}]})


def unauthorized() -> CronofyError:
    return CronofyError(
        401, headers={"WWW-Authenticate": 'Bearer realm="Cronofy", error="invalid_token"'}
    )


def forbidden() -> CronofyError:
    return CronofyError(403)


def not_found() -> CronofyError:
    return CronofyError(404)


def locked() -> CronofyError:
    return CronofyError(423)


def too_many_requests(retry_after: float | None = None) -> CronofyError:
    headers = {"Retry-After": str(max(1, int(retry_after + 0.999)))} if retry_after else None
    return CronofyError(429, headers=headers)


def oauth(error: str, status: int = 400) -> CronofyError:
    return CronofyError(
        status, {"error": error}, {"Cache-Control": "no-store", "Pragma": "no-cache"}
    )


def fault_response(status: int, path: str = "", **_: object) -> Response:
    """What an injected fault with `status` answers on Cronofy's paths (mockserver/faults.py):
    the shape Cronofy itself uses for that status. 429 and the other status-only errors carry no
    body; 422 the errors object; 400 on /oauth/* the RFC 6749 body."""
    if status == 422:
        return invalid("base", "invalid", "injected fault").response()
    if status == 400 and path.startswith("/oauth/"):
        return oauth("invalid_request").response()
    if status == 401:
        return unauthorized().response()
    return CronofyError(status).response()


def crash_response(**_: object) -> Response:
    """When the fake itself fails on a Cronofy path: a 500, status only like its other
    status-only errors (the sources show no 5xx body)."""
    return CronofyError(500).response()
