"""Thin HTTP handlers: read the request, call one backend method, render the answer. The
`endpoint` wrapper is Nest's request pipeline: version routing, then the throttler and auth
guards, then the handler; every answer carries an `X-Request-Id`, and every HttpException leaves
in the error envelope (exceptions.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mockserver.calcom.exceptions import (
    CalcomError,
    Crash,
    bad_request,
    cannot,
    crash_response,
)
from mockserver.calcom.headers import PREFLIGHT, every_answer
from mockserver.calcom.models import BOOKING_VERSION, CalcomBackend, Caller
from mockserver.calcom.settings import CalcomSettings
from mockserver.guard import atomic
from mockserver.web import BodyError, decode_json, empty, json_response, nest, read_body

Handler = Callable[[Request], Awaitable[Response]]


def backend(request: Request) -> CalcomBackend:
    return request.app.state.server.backends["calcom"]


def express_url(request: Request) -> str:
    """The URL as Nest sees it after the rewrite middleware (/api/v2 and /v2/ee -> /v2), raw
    and with the query string: what `path` and `Cannot GET ...` show."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if raw else request.url.path
    if path.startswith("/api/v2"):
        path = path[len("/api") :]
    if path.startswith("/v2/ee/"):
        path = "/v2/" + path[len("/v2/ee/") :]
    query = request.scope.get("query_string", b"")
    return path + ("?" + query.decode("latin-1") if query else "")


def client_ip(request: Request) -> str:
    forwarded = request.headers.get("cf-connecting-ip")
    return forwarded or (request.client.host if request.client else "unknown")


def node_json_error(text: str, pos: int | None) -> str:
    """Roughly what Node 20's JSON.parse says (the exact text depends on the Node version)."""
    if pos is None or pos >= len(text.rstrip()):
        return "Unexpected end of JSON input"
    shown = text if len(text) <= 30 else text[:30] + "..."
    return f"Unexpected token '{text[pos]}', \"{shown}\" is not valid JSON"


@dataclass
class Call:
    request: Request
    be: CalcomBackend
    caller: Caller | None
    headers: dict[str, str]

    @property
    def user(self) -> Caller:
        assert self.caller is not None  # routes with required auth
        return self.caller

    def param(self, name: str) -> str:
        return self.request.path_params[name]

    def int_param(self, name: str) -> int:
        """Nest's ParseIntPipe."""
        value = self.param(name)
        if not (value.isascii() and value.lstrip("-").isdigit()):
            raise bad_request("Validation failed (numeric string is expected)")
        return int(value)

    def success(self, status: int = 200) -> Response:
        return json_response({"status": "success"}, status, self.headers)

    def ok(self, data: Any, status: int = 200) -> Response:
        return json_response({"status": "success", "data": data}, status, self.headers)

    def raw(self, body: Any, status: int = 200) -> Response:
        return json_response(body, status, self.headers)

    async def body(self) -> Any:
        """Express's json() parser: only application/json bodies are read (anything else, or
        nothing, is `{}`); strict, so a top-level primitive is a syntax error."""
        try:
            raw = await read_body(self.request)
        except BodyError as exc:
            raise CalcomError(413, "PayloadTooLargeException", "request entity too large") from exc
        ctype = self.request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json" or not raw.strip():
            return {}
        text = raw.decode("utf-8", "replace")
        try:
            data = decode_json(raw)
        except BodyError as exc:
            if exc.kind == "too_deep":  # a choice: Node would parse it (see __init__.py)
                raise bad_request(f"Request body is {exc.detail}") from exc
            cause = exc.__cause__
            raise bad_request(node_json_error(text, getattr(cause, "pos", None))) from exc
        if not isinstance(data, (dict, list)):
            raise bad_request(node_json_error(text, len(text) - len(text.lstrip())))
        return data

    def query(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, value in self.request.query_params.multi_items():
            out.setdefault(key, []).append(value)
        return out

    def nested_query(self) -> dict[str, Any]:
        return nest(list(self.request.query_params.multi_items()))


def endpoint(
    auth: str = "required",
    version: str | tuple[str | None, ...] | None = None,
    enabled: Callable[[CalcomSettings], bool] | None = None,
) -> Callable[[Callable[[Call], Awaitable[Response]]], Handler]:
    """auth: "required" or "optional" (public booking routes). version: the cal-api-version a
    route needs (None in a tuple: a request without the header); without it the route is not
    there (404 Cannot ...), as Nest's versioning does.
    enabled: a setting that switches the route on; when off it is not there either."""

    def wrap(fn: Callable[[Call], Awaitable[Response]]) -> Handler:
        @wraps(fn)
        async def pipeline(request: Request, headers: dict[str, str]) -> Response:
            be = backend(request)
            asked = request.headers.get("cal-api-version")
            if (enabled is not None and not enabled(be.settings)) or (
                version is not None
                and asked not in (version if isinstance(version, tuple) else (version,))
            ):
                raise cannot(request.method, express_url(request))
            caller = be.guard(
                request.headers.get("authorization"),
                client_ip(request),
                auth == "required",
                headers,
            )
            return await fn(Call(request, be, caller, headers))

        async def handler(request: Request) -> Response:
            headers = every_answer()
            try:  # one transaction (mockserver/guard.py): a failed request changes nothing
                return await atomic(request, "calcom", lambda: pipeline(request, headers))
            except CalcomError as exc:
                return exc.response(express_url(request), backend(request).timestamp(), headers)
            except Crash:
                return crash_response(headers)

        return handler

    return wrap


def oss_2026(settings: CalcomSettings) -> bool:
    return settings.profile == "oss-2026"


def aliases(settings: CalcomSettings) -> bool:
    return settings.event_path_aliases


# -- unified calendar events -------------------------------------------------------------------


async def _get_calendar_event(call: Call) -> Response:
    return call.ok(
        call.be.get_calendar_event(call.user, call.param("calendar"), call.param("eventUid"))
    )


async def _update_calendar_event(call: Call) -> Response:
    body = await call.body()
    return call.ok(
        call.be.update_calendar_event(
            call.user, call.param("calendar"), call.param("eventUid"), body
        )
    )


get_calendar_event = endpoint()(_get_calendar_event)
update_calendar_event = endpoint()(_update_calendar_event)
# cal.diy (2026) also serves GET on the plural path and PATCH on the singular one (rule 3).
get_calendar_event_plural = endpoint(enabled=aliases)(_get_calendar_event)
update_calendar_event_singular = endpoint(enabled=aliases)(_update_calendar_event)


# -- the 2026 open-source routes (profile "oss-2026") -------------------------------------------


def _calendar_id(call: Call) -> str | None:
    return call.request.query_params.get("calendarId")


@endpoint(enabled=oss_2026)
async def delete_calendar_event(call: Call) -> Response:
    call.be.oss.delete(call.user, call.param("calendar"), call.param("eventUid"))
    return empty(204, call.headers)


@endpoint(enabled=oss_2026)
async def list_calendar_events(call: Call) -> Response:
    query = dict(call.request.query_params)
    return call.ok(call.be.oss.list(call.user, call.param("calendar"), query))


@endpoint(enabled=oss_2026)
async def create_calendar_event(call: Call) -> Response:
    body = await call.body()
    return call.ok(call.be.oss.create(call.user, call.param("calendar"), body), 201)


@endpoint(enabled=oss_2026)
async def freebusy(call: Call) -> Response:
    query = dict(call.request.query_params)
    return call.ok(call.be.oss.freebusy(call.user, call.param("calendar"), query))


@endpoint(enabled=oss_2026)
async def connections(call: Call) -> Response:
    return call.ok(call.be.oss.connections(call.user))


@endpoint(enabled=oss_2026)
async def connection_events(call: Call) -> Response:
    query = dict(call.request.query_params)
    return call.ok(call.be.oss.connection_list(call.user, call.param("connectionId"), query))


@endpoint(enabled=oss_2026)
async def connection_create(call: Call) -> Response:
    body = await call.body()
    created = call.be.oss.connection_create(
        call.user, call.param("connectionId"), body, _calendar_id(call)
    )
    return call.ok(created, 201)


@endpoint(enabled=oss_2026)
async def connection_event(call: Call) -> Response:
    return call.ok(
        call.be.oss.connection_get(
            call.user, call.param("connectionId"), call.param("eventId"), _calendar_id(call)
        )
    )


@endpoint(enabled=oss_2026)
async def connection_update(call: Call) -> Response:
    body = await call.body()
    return call.ok(
        call.be.oss.connection_update(
            call.user, call.param("connectionId"), call.param("eventId"), body, _calendar_id(call)
        )
    )


@endpoint(enabled=oss_2026)
async def connection_delete(call: Call) -> Response:
    call.be.oss.connection_delete(
        call.user, call.param("connectionId"), call.param("eventId"), _calendar_id(call)
    )
    return empty(204, call.headers)


@endpoint(enabled=oss_2026)
async def connection_freebusy(call: Call) -> Response:
    query = dict(call.request.query_params)
    return call.ok(call.be.oss.connection_freebusy(call.user, call.param("connectionId"), query))


# -- identity and calendars --------------------------------------------------------------------


@endpoint()
async def me(call: Call) -> Response:
    return call.ok(call.be.me(call.user))


@endpoint()
async def update_me(call: Call) -> Response:
    return call.ok(call.be.update_me(call.user, await call.body()))


@endpoint()
async def calendars(call: Call) -> Response:
    return call.ok(call.be.calendars(call.user))


@endpoint()
async def busy_times(call: Call) -> Response:
    return call.ok(call.be.busy_times(call.user, call.nested_query()))


# -- bookings (cal-api-version: 2024-08-13) ---------------------------------------------------


@endpoint(auth="optional", version=BOOKING_VERSION)
async def create_booking(call: Call) -> Response:
    return call.ok(call.be.bookings.create_booking(call.caller, await call.body()), 201)


@endpoint(version=BOOKING_VERSION)
async def list_bookings(call: Call) -> Response:
    return call.raw(call.be.bookings.list_bookings(call.user, call.query()))


@endpoint(auth="optional", version=BOOKING_VERSION)
async def get_booking(call: Call) -> Response:
    return call.ok(call.be.bookings.get(call.param("bookingUid")))


@endpoint(auth="optional", version=BOOKING_VERSION)
async def cancel_booking(call: Call) -> Response:
    body = await call.body()
    return call.ok(call.be.bookings.cancel_booking(call.caller, call.param("bookingUid"), body))


@endpoint(auth="optional", version=BOOKING_VERSION)
async def reschedule_booking(call: Call) -> Response:
    body = await call.body()
    return call.ok(
        call.be.bookings.reschedule_booking(call.caller, call.param("bookingUid"), body), 201
    )


@endpoint(version=BOOKING_VERSION)
async def booking_references(call: Call) -> Response:
    kind = call.request.query_params.get("type")
    return call.ok(call.be.bookings.references(call.user, call.param("bookingUid"), kind))


# -- webhooks ----------------------------------------------------------------------------------


@endpoint()
async def create_webhook(call: Call) -> Response:
    return call.ok(call.be.webhooks.create(call.user, await call.body()), 201)


@endpoint()
async def list_webhooks(call: Call) -> Response:
    return call.ok(call.be.webhooks.list(call.user, call.query()))


@endpoint()
async def get_webhook(call: Call) -> Response:
    return call.ok(call.be.webhooks.get(call.user, call.param("webhookId")))


@endpoint()
async def update_webhook(call: Call) -> Response:
    body = await call.body()
    return call.ok(call.be.webhooks.update(call.user, call.param("webhookId"), body))


@endpoint()
async def delete_webhook(call: Call) -> Response:
    return call.ok(call.be.webhooks.delete(call.user, call.param("webhookId")))


def _event_type(call: Call):  # noqa: ANN202 - an EventType
    return call.be.webhooks.event_type(call.user, call.param("eventTypeId"))


@endpoint()
async def create_event_type_webhook(call: Call) -> Response:
    et = _event_type(call)
    return call.ok(call.be.webhooks.create(call.user, await call.body(), et), 201)


@endpoint()
async def list_event_type_webhooks(call: Call) -> Response:
    et = _event_type(call)
    return call.ok(call.be.webhooks.list(call.user, call.query(), et))


@endpoint()
async def delete_event_type_webhooks(call: Call) -> Response:
    return call.ok(call.be.webhooks.delete_all(call.user, _event_type(call)))


@endpoint()
async def get_event_type_webhook(call: Call) -> Response:
    et = _event_type(call)
    return call.ok(call.be.webhooks.get(call.user, call.param("webhookId"), et))


@endpoint()
async def update_event_type_webhook(call: Call) -> Response:
    et = _event_type(call)
    body = await call.body()
    return call.ok(call.be.webhooks.update(call.user, call.param("webhookId"), body, et))


@endpoint()
async def delete_event_type_webhook(call: Call) -> Response:
    et = _event_type(call)
    return call.ok(call.be.webhooks.delete(call.user, call.param("webhookId"), et))


# -- everything else ---------------------------------------------------------------------------


class Unknown:
    """No controller serves this path and method: Nest's 404, before any guard (never 405).
    A CORS preflight is answered by the cors middleware for any path. An ASGI app rather than
    a function, so that Starlette routes every method to it, including unusual ones."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        if path.endswith("/") and path.rstrip("/") and not scope.get("calcom.slash"):
            # Express routes non-strictly: /v2/me/ is /v2/me. Route it again, once, from the top
            # router (below the journal / fault middleware, which has already seen it).
            again = {  # raw_path stays: error envelopes show the URL as it was sent
                **scope,
                "path": path.rstrip("/"),
                "root_path": scope.get("app_root_path", ""),
                "path_params": {},
                "calcom.slash": True,
            }
            await scope["router"](again, receive, send)
            return
        request = Request(scope, receive)
        headers = every_answer()
        if request.method == "OPTIONS":
            response = empty(204, {**headers, **PREFLIGHT})
        else:
            url = express_url(request)
            response = cannot(request.method, url).response(
                url, backend(request).timestamp(), headers
            )
        await response(scope, receive, send)


unknown = Unknown()
