"""Thin HTTP handlers: read the request, call one backend method, render the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mockserver.cronofy.exceptions import CronofyError, invalid, oauth
from mockserver.cronofy.models import CronofyBackend
from mockserver.guard import atomic
from mockserver.web import BodyError, base_url, empty, json_or_form, json_response, query_list

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
