"""Cal.com API v2's error dialect in one place (reference/calcom.md §2.1).

Every NestJS `HttpException` leaves through one filter as
`{"status": "error", "timestamp", "path", "error": {"code", "message", "details"}}`:
`code` is the exception class name, `details` the exception's response body
(`{message, error: <reason phrase>, statusCode}` for string-message exceptions, the bare string
for TokenExpiredException, `{"errors": [...]}` for class-validator failures). Anything that is
not an HttpException becomes Nest's bare `{"statusCode": 500, "message": "Internal server error"}`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from mockserver.web import json_response, reason_phrase

# The exception class NestJS raises for each status (the envelope's `code`).
CODES = {
    400: "BadRequestException",
    401: "UnauthorizedException",
    403: "ForbiddenException",
    404: "NotFoundException",
    409: "ConflictException",
    422: "UnprocessableEntityException",
    429: "ThrottlerException",
    501: "NotImplementedException",
    502: "BadGatewayException",
    503: "ServiceUnavailableException",
    504: "GatewayTimeoutException",
}


class CalcomError(Exception):
    """An HttpException: rendered in the envelope by `envelope()`."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = (
            details
            if details is not None
            else {"message": message, "error": reason_phrase(status), "statusCode": status}
        )

    def envelope(self, path: str, timestamp: str) -> dict[str, Any]:
        return {
            "status": "error",
            "timestamp": timestamp,
            "path": path,
            "error": {"code": self.code, "message": self.message, "details": self.details},
        }

    def response(self, path: str, timestamp: str, headers: dict[str, str]) -> Response:
        return json_response(self.envelope(path, timestamp), self.status, headers)


class Crash(Exception):
    """A non-HTTP failure inside a handler (e.g. `.map` on null): Nest's bare 500 body."""


CRASH_BODY = {"statusCode": 500, "message": "Internal server error"}


def crash_response(headers: dict[str, str] | None = None, **_: object) -> Response:
    """Nest's bare 500 (no envelope), with the X-Request-Id every answer carries; also what
    the fake answers when it fails itself (registry.Provider.crash_body)."""
    if headers is None:
        headers = {"X-Request-Id": str(uuid.uuid4())}
    return json_response(CRASH_BODY, 500, headers)


def bad_request(message: str) -> CalcomError:
    return CalcomError(400, "BadRequestException", message)


def validation_failed(errors: list[dict[str, Any]]) -> CalcomError:
    return CalcomError(400, "BadRequestException", "Bad Request Exception", {"errors": errors})


def not_found(message: str) -> CalcomError:
    return CalcomError(404, "NotFoundException", message)


def cannot(method: str, path: str) -> CalcomError:
    """Nest's answer for a path or method no controller serves (never a 405). `path` is the
    request URL as Express saw it: after the /api rewrite, with the query string."""
    return not_found(f"Cannot {method} {path}")


def unauthorized(message: str) -> CalcomError:
    return CalcomError(401, "UnauthorizedException", message)


def forbidden(message: str) -> CalcomError:
    return CalcomError(403, "ForbiddenException", message)


def token_expired() -> CalcomError:
    return CalcomError(
        498, "TokenExpiredException", "ACCESS_TOKEN_IS_EXPIRED", "ACCESS_TOKEN_IS_EXPIRED"
    )


def throttled() -> CalcomError:
    return CalcomError(
        429,
        "ThrottlerException",
        "CustomThrottlerGuard - Too many requests. Please try again later.",
    )


NO_AUTH = (
    "ApiAuthStrategy - No authentication method provided. Either pass an API key as 'Bearer' "
    "header or OAuth client credentials as 'x-cal-secret-key' and 'x-cal-client-id' headers"
)
EXPIRED_API_KEY = "ApiAuthStrategy - api key - Your api key is expired"
INVALID_ACCESS_TOKEN = "Invalid Access Token."


def fault_response(
    status: int,
    path: str = "",
    query: str = "",
    message: str | None = None,
    now: datetime | None = None,
    **_: object,
) -> Response:
    """What an injected fault with `status` answers (reference/calcom.md §2.1, §2.4): a 500
    without a message is a plain crash, NestJS's bare `{"statusCode":500,"message":"Internal
    server error"}`; any other status is the error envelope with the exception class as `code`
    (429: ThrottlerException)."""
    if status == 500 and message is None:
        return json_response(CRASH_BODY, 500)
    if status == 429 and message is None:
        error = throttled()
    else:
        text = message or reason_phrase(status)
        details = {"message": text, "error": reason_phrase(status), "statusCode": status}
        error = CalcomError(status, CODES.get(status, "HttpException"), text, details)
    url = (path[4:] if path.startswith("/api/v2") else path) + (f"?{query}" if query else "")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")
    return error.response(url, stamp.replace("+00:00", "Z"), {})


def conflict(message: str) -> CalcomError:
    return CalcomError(409, "ConflictException", message)
