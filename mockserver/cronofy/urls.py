"""Cronofy's paths, as api.cronofy.com serves them."""

from starlette.routing import Route

from mockserver.cronofy import responses as r
from mockserver.web import AnyMethod

routes = [
    # the hottest paths first: Starlette tries routes in order
    Route("/v1/events", r.read_events, methods=["GET"]),
    Route("/v1/events", r.bulk_delete, methods=["DELETE"]),
    Route("/v1/events/pages/{token}", r.events_page, methods=["GET"]),
    Route("/v1/calendars/{calendar_id}/events", r.upsert_event, methods=["POST"]),
    Route("/v1/calendars", r.list_calendars, methods=["GET"]),
    Route("/oauth/authorize", r.authorize, methods=["GET"]),
    Route("/oauth/token", r.token, methods=["POST"]),
    Route("/oauth/token/revoke", r.revoke, methods=["POST"]),
    Route("/oauth/permissions/{token}", r.grant_permissions, methods=["GET"]),
    Route("/v1/permissions", r.request_permissions, methods=["POST"]),
    Route("/v1/userinfo", r.userinfo, methods=["GET"]),
    Route("/v1/account", r.account, methods=["GET"]),
    Route("/v1/profiles", r.profiles, methods=["GET"]),
    Route("/v1/profiles/{profile_id}/revoke", r.revoke_profile, methods=["POST"]),
    Route("/v1/calendars", r.create_calendar, methods=["POST"]),
    Route("/v1/calendars/{calendar_id}/events", r.delete_event, methods=["DELETE"]),
    Route(
        "/v1/calendars/{calendar_id}/events/{event_uid}/participation_status",
        r.participation,
        methods=["POST"],
    ),
    Route("/v1/free_busy", r.free_busy, methods=["GET"]),
    Route("/v1/free_busy/pages/{token}", r.free_busy_page, methods=["GET"]),
    Route("/v1/batch", r.batch, methods=["POST"]),
    Route("/v1/availability", r.availability, methods=["POST"]),
    Route("/v1/sequenced_availability", r.sequenced_availability, methods=["POST"]),
    Route("/v1/availability_rules", r.list_rules, methods=["GET"]),
    Route("/v1/availability_rules", r.upsert_rule, methods=["POST"]),
    Route("/v1/availability_rules/{rule_id}", r.read_rule, methods=["GET"]),
    Route("/v1/availability_rules/{rule_id}", r.delete_rule, methods=["DELETE"]),
    Route("/v1/available_periods", r.read_periods, methods=["GET"]),
    Route("/v1/available_periods/", r.read_periods, methods=["GET"]),
    Route("/v1/available_periods", r.upsert_period, methods=["POST"]),
    Route("/v1/available_periods/", r.upsert_period, methods=["POST"]),
    Route("/v1/available_periods", r.delete_periods, methods=["DELETE"]),
    Route("/v1/available_periods/", r.delete_periods, methods=["DELETE"]),
    Route("/v1/available_periods/pages/{token}", r.periods_page, methods=["GET"]),
    # anything else, any method and any path (CR LF included): Cronofy's bodiless 404
    Route("/v1/{rest:anything}", AnyMethod(r.unknown)),
    Route("/v1", AnyMethod(r.unknown)),
    Route("/oauth/{rest:anything}", AnyMethod(r.unknown_oauth)),
    Route("/oauth", AnyMethod(r.unknown_oauth)),
]
