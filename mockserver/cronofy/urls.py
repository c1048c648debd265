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
    Route("/v1/channels", r.create_channel, methods=["POST"]),
    Route("/v1/channels", r.list_channels, methods=["GET"]),
    Route("/v1/channels/{channel_id}", r.close_channel, methods=["DELETE"]),
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

# Cronofy's developer API on the fake (registry.Provider.control_routes): every channel, and
# notifications on demand (any type, smart-invite callbacks).
control_routes = [
    Route("/_mock/cronofy/channels", r.control_channels, methods=["GET"]),
    Route("/_mock/cronofy/notify", r.control_notify, methods=["POST"]),
    Route("/_mock/cronofy/smart_invite", r.control_smart_invite, methods=["POST"]),
]


def _answer(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _answer("what was wrong", {"type": "object", "required": ["error"]})
_SENT = _answer(
    "the deliveries made (GET /_mock/deliveries/{id})",
    {
        "type": "object",
        "required": ["deliveries"],
        "properties": {"deliveries": {"type": "array", "items": {"type": "string"}}},
    },
)

# The OpenAPI path items of control_routes (served in GET /_mock/openapi.json).
control_openapi = {
    "/_mock/cronofy/channels": {
        "get": {
            "summary": "Cronofy: every push notification channel, open and closed",
            "tags": ["cronofy"],
            "responses": {
                "200": _answer(
                    "channels",
                    {
                        "type": "object",
                        "required": ["channels"],
                        "properties": {
                            "channels": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["channel_id", "callback_url", "app", "closed"],
                                },
                            }
                        },
                    },
                )
            },
        }
    },
    "/_mock/cronofy/notify": {
        "post": {
            "summary": "Cronofy: send a notification of any type on a channel or an account's",
            "tags": ["cronofy"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["type"],
                            "properties": {
                                "type": {"type": "string"},
                                "channel_id": {"type": "string"},
                                "account_id": {"type": "string"},
                                "fields": {"type": "object"},
                            },
                        }
                    }
                },
            },
            "responses": {"202": _SENT, "400": _ERROR, "404": _ERROR},
        }
    },
    "/_mock/cronofy/smart_invite": {
        "post": {
            "summary": "Cronofy: a smart-invite callback, signed with the app's secrets",
            "tags": ["cronofy"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["callback_url"],
                            "properties": {
                                "callback_url": {"type": "string"},
                                "smart_invite": {"type": "object"},
                                "client_id": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {"202": _SENT, "400": _ERROR, "404": _ERROR},
        }
    },
}
