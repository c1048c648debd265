"""Cal.com API v2's error dialect in one place (reference/calcom.md §2.1).

Every NestJS `HttpException` leaves through one filter as
`{"status": "error", "timestamp", "path", "error": {"code", "message", "details"}}`:
`code` is the exception class name, `details` the exception's response body
(`{message, error: <reason phrase>, statusCode}` for string-message exceptions, the bare string
for TokenExpiredException, `{"errors": [...]}` for class-validator failures). Anything that is
not an HttpException becomes Nest's bare `{"statusCode": 500, "message": "Internal server error"}`.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver.web import json_response

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    498: "Token Expired",
    500: "Internal Server Error",
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
            else {"message": message, "error": REASONS.get(status, "Error"), "statusCode": status}
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


def crash_response(headers: dict[str, str]) -> Response:
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
