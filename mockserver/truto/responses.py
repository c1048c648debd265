"""Thin HTTP handlers: read the request, call one backend method, shape the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mockserver.guard import atomic
from mockserver.truto import meta, wire
from mockserver.truto.exceptions import TrutoError, bad_request, not_found
from mockserver.truto.models import RESOURCES, Call, TrutoBackend
from mockserver.truto.notifications import TrutoNotifications
from mockserver.truto.query import Page, Rendered
from mockserver.truto.store import ApiToken
from mockserver.web import BodyError, decode_json, json_response, nest, read_body

Handler = Callable[[Request], Awaitable[Response]]
Operation = Callable[[TrutoBackend, Call, Any, Any], Rendered | Page]
REPLAY_HEADER = "Idempotent-Replayed"


def backend(request: Request) -> TrutoBackend:
    return request.app.state.server.backends["truto"]


def endpoint(resource: str, method: str) -> Callable[[Operation], Handler]:
    """Every unified call: auth, the account's checks, idempotency, then one operation; errors
    of any kind come out in Truto's `{statusCode, error, message}` dialect."""

    def wrap(operation: Operation) -> Handler:
        async def handler(request: Request) -> Response:
            try:  # one transaction (mockserver/guard.py): a failed request changes nothing
                return await atomic(
                    request,
                    "truto",
                    lambda: run(request, backend(request), resource, method, operation),
                )
            except TrutoError as exc:
                return exc.response()
            except BodyError as exc:
                if exc.kind == "too_large":
                    return TrutoError(413, "Request body is too large").response()
                if exc.kind == "too_deep":
                    return bad_request(f"Request body is {exc.detail}").response()
                return bad_request(f"Request body must be a JSON object ({exc.kind})").response()

        handler.__name__ = operation.__name__
        handler.__doc__ = operation.__doc__
        return handler

    return wrap


async def run(
    request: Request, be: TrutoBackend, resource: str, method: str, operation: Operation
) -> Response:
    params = nest(request.query_params.multi_items())
    token = be.authenticate(request.headers.get("authorization"))
    idem_key = None
    if method in ("create", "update"):
        idem_key = be.idempotency_key(
            token, request.method, request.url.path, params, request.headers.get("idempotency-key")
        )
        hit = be.replay(idem_key) if idem_key is not None else None
        if hit is not None:
            status, content, headers = hit
            return Response(
                content,
                status_code=status,
                headers={**headers, REPLAY_HEADER: "true"},
                media_type="application/json",
            )
    call = be.begin(token, params, resource, method)
    body = await json_body(request) if method in ("create", "update") else None
    result = operation(be, call, request.path_params.get("id"), body)
    status = be.settings.create_status if method == "create" else 200
    response = json_response(wire.response_body(call, result), status)
    if idem_key is not None:
        be.remember(idem_key, status, bytes(response.body), {})
    return response


async def json_body(request: Request) -> dict[str, Any]:
    raw = await read_body(request)
    if not raw.strip():
        return {}
    data = decode_json(raw)
    if not isinstance(data, dict):
        raise BodyError("not_object", "body must be a JSON object")
    return data


# -- the unified operations ----------------------------------------------------------------


@endpoint("events", "list")
def list_events(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Page:
    return be.list(call)


@endpoint("events", "get")
def get_event(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Rendered:
    return be.get_event(call, rid)


@endpoint("events", "create")
def create_event(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Rendered:
    return be.create_event(call, body)


@endpoint("events", "update")
def update_event(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Rendered:
    return be.update_event(call, rid, body)


@endpoint("events", "delete")
def delete_event(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Rendered:
    return be.delete_event(call, rid)


@endpoint("calendars", "list")
def list_calendars(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Page:
    return be.list(call)


@endpoint("calendars", "get")
def get_calendar(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Rendered:
    return be.get_calendar(call, rid)


@endpoint("availability", "list")
def list_availability(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Page:
    return be.list(call)


@endpoint("event_types", "list")
def list_event_types(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Page:
    return be.list(call)


@endpoint("event_types", "get")
def get_event_type(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Rendered:
    return be.get_event_type(call, rid)


@endpoint("users", "list")
def list_users(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Page:
    return be.list(call)


@endpoint("contacts", "list")
def list_contacts(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Page:
    return be.list(call)


@endpoint("attachments", "list")
def list_attachments(be: TrutoBackend, call: Call, rid: Any, body: Any) -> Page:
    return be.list(call)


# -- the meta endpoints (mockserver/truto/meta.py) -------------------------------------------


async def method_meta(request: Request) -> Response:
    """GET /unified/{model}/{resource}/meta/{method}: what the truto-ts-sdk's meta() reads."""
    return _meta(request, meta.method_meta)


async def integration_meta(request: Request) -> Response:
    """GET /unified/{model}/{resource}/{integration}/meta/{method}."""
    return _meta(request, meta.integration_meta)


def _meta(request: Request, describe: Callable[..., dict[str, Any]]) -> Response:
    be = backend(request)
    try:
        params = nest(request.query_params.multi_items())
        body = describe(be, request.headers.get("authorization"), params, request.path_params)
    except TrutoError as exc:
        return exc.response()
    return json_response(body)


async def unknown(request: Request) -> Response:
    """Anything else under /unified: 401 without a good token, else 404 (an unknown path, or a
    method the unified API does not have, such as PUT on an event)."""
    be = backend(request)
    try:
        be.authenticate(request.headers.get("authorization"))
    except TrutoError as exc:
        return exc.response()
    rest = request.path_params.get("rest", "")
    parts = rest.strip("/").split("/")
    if len(parts) in (2, 3) and parts[0] == "calendar" and parts[1] in RESOURCES:
        message = f"Resource not found: {request.method} is not a method of calendar/{parts[1]}"
    else:
        message = f"Resource not found: /unified/{rest}"
    return not_found(message).response()


class CollapseSlashes:
    """`//unified/...` (what the Python SDK sends when base_url ends with `/`) is routed as
    `/unified/...`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = "/" + scope["path"].lstrip("/")
        raw = scope.get("raw_path")
        inner = {**scope, "path": path}
        if isinstance(raw, bytes | bytearray):
            inner["raw_path"] = b"/" + bytes(raw).lstrip(b"/")
        await scope["router"](inner, receive, send)


# -- the fake's own controls (/_mock/truto) -------------------------------------------------


async def control(request: Request) -> Response:
    be = backend(request)
    return json_response(be.describe_faults())


async def remote_errors(request: Request) -> Response:
    be = backend(request)
    if request.method == "DELETE":
        be.faults.clear()
        return json_response(be.describe_faults())
    try:
        body = await json_body(request)
        return json_response(be.inject(body), 201)
    except TrutoError as exc:
        return exc.response()
    except BodyError:
        return bad_request("body must be a JSON object").response()


# -- webhooks (the admin API) ------------------------------------------------------------------

NOTIFIER = TrutoNotifications()


def admin(fn: Callable[[Request, TrutoBackend, ApiToken], Awaitable[Response]]) -> Handler:
    """An admin API call: the API token's environment scopes it; Truto's error dialect."""

    async def handler(request: Request) -> Response:
        be = backend(request)
        try:
            token = be.authenticate(request.headers.get("authorization"))
            return await fn(request, be, token)
        except TrutoError as exc:
            return exc.response()
        except BodyError as exc:
            if exc.kind == "too_large":
                return TrutoError(413, "Request body is too large").response()
            return bad_request(f"Request body must be a JSON object ({exc.kind})").response()

    handler.__name__ = fn.__name__
    return handler


@admin
async def create_webhook(request: Request, be: TrutoBackend, token: ApiToken) -> Response:
    return json_response(be.webhooks.create(token, await json_body(request)), 201)


@admin
async def list_webhooks(request: Request, be: TrutoBackend, token: ApiToken) -> Response:
    return json_response(be.webhooks.list(token, dict(request.query_params)))


@admin
async def get_webhook(request: Request, be: TrutoBackend, token: ApiToken) -> Response:
    return json_response(be.webhooks.get(token, request.path_params["id"]))


@admin
async def update_webhook(request: Request, be: TrutoBackend, token: ApiToken) -> Response:
    body = await json_body(request)
    return json_response(be.webhooks.update(token, request.path_params["id"], body))


@admin
async def delete_webhook(request: Request, be: TrutoBackend, token: ApiToken) -> Response:
    return json_response(be.webhooks.delete(token, request.path_params["id"]))


@admin
async def test_webhook(request: Request, be: TrutoBackend, token: ApiToken) -> Response:
    """Deliver a `test` event now and answer with the target's verdict (rule 4)."""
    w = be.webhooks.for_test(token, await json_body(request))
    out = NOTIFIER.test_event(be, w, be.webhooks.now())
    engine = request.app.state.server.deliveries
    d = await engine.send_and_wait(out, timeout=be.settings.webhook_timeout + 5)
    if d.status == "delivered":
        return json_response({"success": True})
    last = d.attempts[-1] if d.attempts else None
    if last is None:
        reason = f"the test delivery is {d.status}"
    elif last.status is not None:
        reason = f"the target URL answered {last.status}"
    else:
        reason = f"the target URL could not be reached ({last.error})"
    raise bad_request(f"Webhook test failed: {reason}")


# -- integrated accounts (/_mock/truto) --------------------------------------------------------


async def connect_account(request: Request) -> Response:
    be = backend(request)
    try:
        return json_response(be.webhooks.connect(await json_body(request)), 201)
    except TrutoError as exc:
        return exc.response()
    except BodyError:
        return bad_request("body must be a JSON object").response()


async def delete_account(request: Request) -> Response:
    be = backend(request)
    try:
        return json_response(be.webhooks.disconnect(request.path_params["id"]))
    except TrutoError as exc:
        return exc.response()
