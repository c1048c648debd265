"""`/_mock/owner/...`: the calendar owner's own edits over HTTP (mockserver/core/owner.py). Each
answers with the record as it is afterwards (an event in the world-file form, plus its uid and
calendar), 201 for what it creates; 404 for an unknown id, 400 for a bad body, 409 for a
deleted or read-only calendar.

    POST   /_mock/owner/calendars/{calendar_id}/events   {summary, start, end, tzid?, ...}
    PATCH  /_mock/owner/events/{event_id}                 any of summary, start, end, ...
    POST   /_mock/owner/events/{event_id}/move            {start, end?}
    DELETE /_mock/owner/events/{event_id}
    POST   /_mock/owner/events/{event_id}/respond         {status, email?}
    POST   /_mock/owner/profiles/{profile_id}/calendars   {name, color?}
    DELETE /_mock/owner/calendars/{calendar_id}
    POST   /_mock/owner/profiles/{profile_id}/disconnect
    POST   /_mock/owner/profiles/{profile_id}/reconnect
    GET    /_mock/owner/events/{event_id}

`{event_id}` is an event's uid or its backing calendar's own id (provider_event_id)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.changes import plain
from mockserver.core.dump import event_dict
from mockserver.core.models import Calendar, Event, Profile
from mockserver.core.owner import Owner, OwnerError
from mockserver.web import BodyError, decode_json, json_response, read_body


def owner(request: Request) -> Owner:
    return request.app.state.server.owner


def event_json(ev: Event) -> dict[str, Any]:
    return {**event_dict(ev), "calendar_id": ev.calendar_id}


def calendar_json(cal: Calendar) -> dict[str, Any]:
    return plain(cal)


def profile_json(prof: Profile) -> dict[str, Any]:
    return plain(prof)


async def body_of(request: Request) -> dict[str, Any]:
    raw = await read_body(request)
    data = decode_json(raw) if raw.strip() else {}
    if not isinstance(data, dict):
        raise OwnerError(400, "body must be a JSON object")
    return data


Handler = Callable[[Request], Awaitable[Response]]


def handled(fn: Callable[[Request, Owner], Awaitable[Response]]) -> Handler:
    async def handler(request: Request) -> Response:
        try:
            return await fn(request, owner(request))
        except OwnerError as exc:
            return json_response({"error": exc.message}, exc.status)
        except BodyError as exc:
            return json_response({"error": "invalid JSON", "detail": exc.detail}, 400)
        except TypeError as exc:  # a missing or unexpected field of the body
            return json_response({"error": str(exc)}, 400)

    handler.__name__ = fn.__name__
    return handler


def _event_id(request: Request) -> str:
    return request.path_params["event_id"]


@handled
async def create_event(request: Request, o: Owner) -> Response:
    body = await body_of(request)
    for name in ("summary", "start", "end"):
        if name not in body:
            raise OwnerError(400, f"{name} is required")
    ev = o.create_event(request.path_params["calendar_id"], **body)
    return json_response(event_json(ev), 201)


@handled
async def get_event(request: Request, o: Owner) -> Response:
    return json_response(event_json(o.event(_event_id(request))))


@handled
async def update_event(request: Request, o: Owner) -> Response:
    return json_response(event_json(o.update_event(_event_id(request), **await body_of(request))))


@handled
async def move_event(request: Request, o: Owner) -> Response:
    body = await body_of(request)
    if "start" not in body:
        raise OwnerError(400, "start is required")
    ev = o.move_event(_event_id(request), body["start"], body.get("end"))
    return json_response(event_json(ev))


@handled
async def delete_event(request: Request, o: Owner) -> Response:
    return json_response(event_json(o.delete_event(_event_id(request))))


@handled
async def respond(request: Request, o: Owner) -> Response:
    body = await body_of(request)
    ev = o.respond(_event_id(request), body.get("status"), body.get("email"))
    return json_response(event_json(ev))


@handled
async def add_calendar(request: Request, o: Owner) -> Response:
    body = await body_of(request)
    name = body.pop("name", None)
    cal = o.add_calendar(request.path_params["profile_id"], name, **body)
    return json_response(calendar_json(cal), 201)


@handled
async def remove_calendar(request: Request, o: Owner) -> Response:
    return json_response(calendar_json(o.remove_calendar(request.path_params["calendar_id"])))


@handled
async def disconnect(request: Request, o: Owner) -> Response:
    return json_response(profile_json(o.disconnect_profile(request.path_params["profile_id"])))


@handled
async def reconnect(request: Request, o: Owner) -> Response:
    return json_response(profile_json(o.reconnect_profile(request.path_params["profile_id"])))


routes = [
    Route("/_mock/owner/calendars/{calendar_id}/events", create_event, methods=["POST"]),
    Route("/_mock/owner/calendars/{calendar_id}", remove_calendar, methods=["DELETE"]),
    Route("/_mock/owner/events/{event_id}", get_event, methods=["GET"]),
    Route("/_mock/owner/events/{event_id}", update_event, methods=["PATCH"]),
    Route("/_mock/owner/events/{event_id}", delete_event, methods=["DELETE"]),
    Route("/_mock/owner/events/{event_id}/move", move_event, methods=["POST"]),
    Route("/_mock/owner/events/{event_id}/respond", respond, methods=["POST"]),
    Route("/_mock/owner/profiles/{profile_id}/calendars", add_calendar, methods=["POST"]),
    Route("/_mock/owner/profiles/{profile_id}/disconnect", disconnect, methods=["POST"]),
    Route("/_mock/owner/profiles/{profile_id}/reconnect", reconnect, methods=["POST"]),
]
