"""Thin HTTP handlers: read the request, call one backend method, render the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mockserver.cronofy.exceptions import CronofyError, invalid, oauth
from mockserver.cronofy.models import CronofyBackend
from mockserver.cronofy.notifications import CronofyNotifications
from mockserver.guard import atomic
from mockserver.web import (
    BodyError,
    base_url,
    decode_json,
    empty,
    json_or_form,
    json_response,
    query_list,
    read_body,
)

NOTIFIER = CronofyNotifications()

Handler = Callable[[Request], Awaitable[Response]]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def backend(request: Request) -> CronofyBackend:
    return request.app.state.server.backends["cronofy"]


def api(fn: Callable[[Request, CronofyBackend], Awaitable[Response]]) -> Handler:
    """Errors of any kind come out in Cronofy's dialect; the request is one transaction
    (mockserver/guard.py): a refused or failed request changes nothing."""

    @wraps(fn)
    async def handler(request: Request) -> Response:
        try:
            return await atomic(request, "cronofy", lambda: fn(request, backend(request)))
        except CronofyError as exc:
            return exc.response()
        except BodyError as exc:
            if request.url.path.startswith("/oauth"):  # RFC 6749: every token error is a 400
                return oauth("invalid_request").response()
            if exc.kind == "too_large":
                return empty(413)
            if exc.kind == "too_deep":
                return invalid("body", "invalid", f"request body is {exc.detail}").response()
            return invalid(
                "body", "invalid", f"request body could not be read: {exc.kind}"
            ).response()

    return handler


async def body_of(request: Request) -> dict[str, Any]:
    return await json_or_form(request)


def params(request: Request) -> dict[str, Any]:
    """The query as Cronofy reads it: plain parameters, and `calendar_ids` in any array form.
    A fresh dict; the parse itself is memoised per query string (clients poll the same URL)."""
    out = dict(_params(request.scope.get("query_string", b""), request))
    if "calendar_ids" in out:
        out["calendar_ids"] = list(out["calendar_ids"])
    return out


_PARSED: dict[bytes, dict[str, Any]] = {}


def _params(raw: bytes, request: Request) -> dict[str, Any]:
    hit = _PARSED.get(raw)
    if hit is None:
        hit = {k: v for k, v in request.query_params.items() if "[" not in k}
        ids = query_list(request, "calendar_ids")
        if ids is not None:
            hit["calendar_ids"] = tuple(ids)
        if len(_PARSED) >= 1024:
            _PARSED.clear()
        _PARSED[raw] = hit
    return hit


# -- OAuth -----------------------------------------------------------------------------------


@api
async def authorize(request: Request, be: CronofyBackend) -> Response:
    url = be.oauth.authorize_redirect(
        dict(request.query_params), be.world, be.settings.code_lifetime
    )
    return RedirectResponse(url, status_code=302)


@api
async def token(request: Request, be: CronofyBackend) -> Response:
    # The Authorization header is ignored here: pycronofy sends a stale token, node `undefined`.
    return json_response(be.token(await body_of(request)), headers=NO_STORE)


@api
async def revoke(request: Request, be: CronofyBackend) -> Response:
    be.oauth.revoke(await body_of(request))
    return empty(200)


# -- identity and calendars ------------------------------------------------------------------


@api
async def userinfo(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.userinfo(auth, base_url(request)))


@api
async def account(request: Request, be: CronofyBackend) -> Response:
    return json_response(be.account(be.authenticate(request.headers.get("authorization"))))


@api
async def profiles(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.profiles(auth, base_url(request)))


@api
async def request_permissions(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.request_permissions(auth, await body_of(request), base_url(request)))


@api
async def grant_permissions(request: Request, be: CronofyBackend) -> Response:
    return RedirectResponse(be.grant_permissions(request.path_params["token"]), status_code=302)


@api
async def revoke_profile(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    be.revoke_profile(auth, request.path_params["profile_id"])
    return empty(202)


@api
async def list_calendars(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response({"sub": auth.account_id, "calendars": be.calendars_json(auth)})


@api
async def create_calendar(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.create_calendar(auth, await body_of(request)))


# -- events ----------------------------------------------------------------------------------


@api
async def upsert_event(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    body = await body_of(request)
    be.upsert(auth, request.path_params["calendar_id"], body)
    return empty(202)


@api
async def delete_event(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    # pycronofy's request layer can send event_id in the query (tests/test_request_handler.py
    # test_delete), as its bulk delete does; the body wins where both name a field.
    body = {**params(request), **await body_of(request)}
    be.delete(auth, request.path_params["calendar_id"], body)
    if body.get("include_userinfo") in (True, "true", "True"):
        return json_response({"userinfo": be.userinfo(auth, base_url(request))}, status=202)
    return empty(202)


@api
async def bulk_delete(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    body = await body_of(request)
    merged = {**params(request), **body}  # pycronofy sends these as query parameters
    be.bulk_delete(auth, merged)
    return empty(202)


@api
async def participation(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    body = await body_of(request)
    be.participation(
        auth, request.path_params["calendar_id"], request.path_params["event_uid"], body
    )
    return empty(202)


@api
async def read_events(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    raw = request.scope.get("query_string", b"")
    return json_response(be.reader.read(auth, params(request), "events", base_url(request), raw))


@api
async def free_busy(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    raw = request.scope.get("query_string", b"")
    page = be.reader.read(auth, params(request), "free_busy", base_url(request), raw)
    return json_response(page)


@api
async def events_page(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    # Extra query parameters (the node SDK re-appends its options) are ignored.
    return json_response(
        be.reader.page(auth, "events", request.path_params["token"], base_url(request))
    )


@api
async def free_busy_page(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(
        be.reader.page(auth, "free_busy", request.path_params["token"], base_url(request))
    )


@api
async def batch(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.batch(auth, await body_of(request), base_url(request)), status=207)


# -- scheduling ------------------------------------------------------------------------------


@api
async def availability(request: Request, be: CronofyBackend) -> Response:
    caller = be.authenticate_scheduling(request.headers.get("authorization"))
    return json_response(be.scheduler.availability(caller, await body_of(request)))


@api
async def sequenced_availability(request: Request, be: CronofyBackend) -> Response:
    caller = be.authenticate_scheduling(request.headers.get("authorization"))
    return json_response(be.scheduler.sequenced(caller, await body_of(request)))


@api
async def list_rules(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.managed.list_rules(auth.account_id))


@api
async def upsert_rule(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.managed.upsert_rule(auth.account_id, await body_of(request)))


@api
async def read_rule(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.managed.read_rule(auth.account_id, request.path_params["rule_id"]))


@api
async def delete_rule(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    be.managed.delete_rule(auth.account_id, request.path_params["rule_id"])  # a body is ignored
    return empty(202)


@api
async def read_periods(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(
        be.managed.read_periods(auth.account_id, params(request), base_url(request))
    )


@api
async def periods_page(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(
        be.managed.page(auth.account_id, request.path_params["token"], base_url(request))
    )


@api
async def upsert_period(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    be.managed.upsert_period(auth.account_id, await body_of(request))
    return empty(202)


@api
async def delete_periods(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    be.managed.delete_periods(auth.account_id, await body_of(request))
    return empty(202)


@api
async def unknown(request: Request, be: CronofyBackend) -> Response:
    be.authenticate(request.headers.get("authorization"))
    return empty(404)


async def unknown_oauth(request: Request) -> Response:
    """No such OAuth endpoint or method (GET /oauth/token...): 404, no body, no auth."""
    return empty(404)


# -- push notification channels ----------------------------------------------------------------


@api
async def create_channel(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.channels.create(auth, await body_of(request)))


@api
async def list_channels(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    return json_response(be.channels.list(auth))


@api
async def close_channel(request: Request, be: CronofyBackend) -> Response:
    auth = be.authenticate(request.headers.get("authorization"))
    be.channels.close(auth, request.path_params["channel_id"])
    return empty(202)


# -- /_mock/cronofy ----------------------------------------------------------------------------


def _problem(status: int, error: str) -> Response:
    return json_response({"error": error}, status)


async def _control_body(request: Request) -> dict[str, Any]:
    raw = await read_body(request)
    data = decode_json(raw) if raw.strip() else {}
    if not isinstance(data, dict):
        raise BodyError("not_object", "body must be a JSON object")
    return data


async def control_channels(request: Request) -> Response:
    """Every channel of every application, open and closed."""
    be = backend(request)
    return json_response(
        {
            "channels": [
                {
                    **c.to_json(),
                    "app": c.client_id,
                    "account_id": c.account_id,
                    "closed": c.closed,
                }
                for c in be.oauth.channels.values()
            ]
        }
    )


async def control_notify(request: Request) -> Response:
    """`{"type": "...", "channel_id"?, "account_id"?, "fields"?}`: send a notification of any
    type (rule 26: receivers must tolerate unknown ones) on one channel or every open channel
    of an account (`fields` are added to `notification`)."""
    be = backend(request)
    try:
        body = await _control_body(request)
    except BodyError as exc:
        return _problem(400, f"invalid JSON: {exc.detail}")
    kind, fields = body.get("type"), body.get("fields", {})
    if not isinstance(kind, str) or not kind or not isinstance(fields, dict):
        return _problem(400, "type (a string) is required; fields must be an object")
    open_channels = [c for c in be.oauth.channels.values() if not c.closed]
    if "channel_id" in body:
        chosen = [c for c in open_channels if c.id == body["channel_id"]]
    elif "account_id" in body:
        chosen = [c for c in open_channels if c.account_id == body["account_id"]]
    else:
        return _problem(400, "channel_id or account_id is required")
    if not chosen:
        return _problem(404, "no open channel matches")
    outs = NOTIFIER.notify(be, chosen, {**fields, "type": kind})
    made = await request.app.state.server.deliveries.asend(outs)
    return json_response({"deliveries": [d.id for d in made]}, 202)


async def control_smart_invite(request: Request) -> Response:
    """`{"callback_url", "smart_invite": {...}, "client_id"?}`: a smart-invite callback
    (rule 30), signed with the application's secrets (the first application by default)."""
    be = backend(request)
    try:
        body = await _control_body(request)
    except BodyError as exc:
        return _problem(400, f"invalid JSON: {exc.detail}")
    url, invite = body.get("callback_url"), body.get("smart_invite", {})
    client_id = body.get("client_id") or next(iter(be.oauth.apps), None)
    if not isinstance(url, str) or not url or not isinstance(invite, dict):
        return _problem(400, "callback_url (a URL) is required; smart_invite must be an object")
    if client_id not in be.oauth.apps:
        return _problem(404, f"no application {client_id!r}")
    out = NOTIFIER.smart_invite(be, client_id, url, invite)
    (made,) = await request.app.state.server.deliveries.asend([out])
    return json_response({"deliveries": [made.id]}, 202)
