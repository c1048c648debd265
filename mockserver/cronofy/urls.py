"""Cronofy's paths, as api.cronofy.com serves them."""

from starlette.routing import Route

from mockserver.cronofy import responses as r

ANY = ["GET", "POST", "PUT", "PATCH", "DELETE"]

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
    Route("/v1/channels", r.create_channel, methods=["POST"]),
    Route("/v1/channels", r.list_channels, methods=["GET"]),
    Route("/v1/channels/{channel_id}", r.close_channel, methods=["DELETE"]),
    Route("/v1/{rest:path}", r.unknown, methods=ANY),
]

# Cronofy's developer API on the fake (registry.Provider.control_routes): every channel, and
# notifications on demand (any type, smart-invite callbacks).
control_routes = [
    Route("/_mock/cronofy/channels", r.control_channels, methods=["GET"]),
    Route("/_mock/cronofy/notify", r.control_notify, methods=["POST"]),
    Route("/_mock/cronofy/smart_invite", r.control_smart_invite, methods=["POST"]),
]
