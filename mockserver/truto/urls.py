"""Truto's unified calendar paths, as api.truto.one serves them."""

from starlette.routing import Route

from mockserver.truto import responses as r
from mockserver.web import AnyMethod

EVENTS = "/unified/calendar/events"

routes = [
    Route(EVENTS, r.list_events, methods=["GET"]),
    Route(EVENTS, r.create_event, methods=["POST"]),
    Route(EVENTS + "/{id}", r.get_event, methods=["GET"]),
    Route(EVENTS + "/{id}", r.update_event, methods=["PATCH"]),
    Route(EVENTS + "/{id}", r.delete_event, methods=["DELETE"]),
    Route("/unified/calendar/calendars", r.list_calendars, methods=["GET"]),
    Route("/unified/calendar/calendars/{id}", r.get_calendar, methods=["GET"]),
    Route("/unified/calendar/availability", r.list_availability, methods=["GET"]),
    Route("/unified/calendar/event_types", r.list_event_types, methods=["GET"]),
    Route("/unified/calendar/event_types/{id}", r.get_event_type, methods=["GET"]),
    Route("/unified/calendar/users", r.list_users, methods=["GET"]),
    Route("/unified/calendar/contacts", r.list_contacts, methods=["GET"]),
    Route("/unified/calendar/attachments", r.list_attachments, methods=["GET"]),
    Route("/unified/{model}/{resource}/meta/{method}", r.method_meta, methods=["GET"]),
    Route(
        "/unified/{model}/{resource}/{integration}/meta/{method}",
        r.integration_meta,
        methods=["GET"],
    ),
    # anything else, any method and any path (CR LF included): Truto's own 404
    Route("/unified/{rest:anything}", AnyMethod(r.unknown)),
    Route("/unified", AnyMethod(r.unknown)),
    Route("//unified/{rest:anything}", r.CollapseSlashes()),
]

# Truto's own developer API on the fake (registry.Provider.control_routes): queued provider errors.
control_routes = [
    Route("/_mock/truto", r.control, methods=["GET"]),
    Route("/_mock/truto/remote_errors", r.remote_errors, methods=["POST", "DELETE"]),
]
