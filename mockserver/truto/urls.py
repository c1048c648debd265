"""Truto's unified calendar paths, as api.truto.one serves them."""

from starlette.routing import Route

from mockserver.truto import responses as r

ANY = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
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
    Route("/unified/{rest:path}", r.unknown, methods=ANY),
    Route("/unified", r.unknown, methods=ANY),
    # the admin API's webhooks (reference/webhooks.md §3.2)
    Route("/webhook", r.list_webhooks, methods=["GET"]),
    Route("/webhook", r.create_webhook, methods=["POST"]),
    Route("/webhook/test", r.test_webhook, methods=["POST"]),
    Route("/webhook/{id}", r.get_webhook, methods=["GET"]),
    Route("/webhook/{id}", r.update_webhook, methods=["PATCH"]),
    Route("/webhook/{id}", r.delete_webhook, methods=["DELETE"]),
    Route("/webhook/{rest:path}", r.unknown, methods=ANY),
    Route("//unified/{rest:path}", r.CollapseSlashes(), methods=ANY),
]

# Truto's own developer API on the fake (registry.Provider.control_routes): queued provider errors.
control_routes = [
    Route("/_mock/truto", r.control, methods=["GET"]),
    Route("/_mock/truto/remote_errors", r.remote_errors, methods=["POST", "DELETE"]),
    # an end user connects or deletes an integrated account: integrated_account:* webhooks
    Route("/_mock/truto/integrated_accounts", r.connect_account, methods=["POST"]),
    Route("/_mock/truto/integrated_accounts/{id}", r.delete_account, methods=["DELETE"]),
]
