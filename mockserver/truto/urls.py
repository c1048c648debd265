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
    # the admin API's webhooks (reference/webhooks.md §3.2)
    Route("/webhook", r.list_webhooks, methods=["GET"]),
    Route("/webhook", r.create_webhook, methods=["POST"]),
    Route("/webhook/test", r.test_webhook, methods=["POST"]),
    Route("/webhook/{id}", r.get_webhook, methods=["GET"]),
    Route("/webhook/{id}", r.update_webhook, methods=["PATCH"]),
    Route("/webhook/{id}", r.delete_webhook, methods=["DELETE"]),
    # anything else, any method and any path (CR LF included): Truto's own 404
    Route("/unified/{rest:anything}", AnyMethod(r.unknown)),
    Route("/unified", AnyMethod(r.unknown)),
    Route("/webhook/{rest:anything}", AnyMethod(r.unknown)),
    Route("//unified/{rest:anything}", r.CollapseSlashes()),
]

# Truto's own developer API on the fake (registry.Provider.control_routes): queued provider errors.
control_routes = [
    Route("/_mock/truto", r.control, methods=["GET"]),
    Route("/_mock/truto/remote_errors", r.remote_errors, methods=["POST", "DELETE"]),
    # an end user connects or deletes an integrated account: integrated_account:* webhooks
    Route("/_mock/truto/integrated_accounts", r.connect_account, methods=["POST"]),
    Route("/_mock/truto/integrated_accounts/{id}", r.delete_account, methods=["DELETE"]),
]

_REMOTE_ERRORS = {
    "type": "object",
    "required": ["remote_errors"],
    "properties": {"remote_errors": {"type": "array", "items": {"type": "object"}}},
}


def _answer(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_TRUTO_ERROR = _answer(
    "Truto's own error body",
    {"type": "object", "required": ["statusCode", "message"]},
)

# The OpenAPI path items of control_routes (served in GET /_mock/openapi.json).
control_openapi = {
    "/_mock/truto": {
        "get": {
            "summary": "Truto: the queued provider errors",
            "tags": ["truto"],
            "responses": {"200": _answer("queued remote errors", _REMOTE_ERRORS)},
        }
    },
    "/_mock/truto/remote_errors": {
        "post": {
            "summary": "Truto: queue the provider's own error for one integrated account",
            "tags": ["truto"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["integrated_account_id", "status"],
                            "properties": {
                                "integrated_account_id": {"type": "string"},
                                "status": {"type": "integer"},
                                "body": {},
                                "headers": {"type": "object"},
                                "times": {"type": "integer", "minimum": 1},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": _answer("queued", _REMOTE_ERRORS),
                "400": _TRUTO_ERROR,
                "404": _TRUTO_ERROR,
            },
        },
        "delete": {
            "summary": "Truto: drop every queued provider error",
            "tags": ["truto"],
            "responses": {"200": _answer("nothing queued", _REMOTE_ERRORS)},
        },
    },
    "/_mock/truto/integrated_accounts": {
        "post": {
            "summary": "Truto: an end user connects an integrated account (webhook events)",
            "tags": ["truto"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["integration", "account"],
                            "properties": {
                                "integration": {"type": "string"},
                                "account": {"type": "string"},
                                "profile": {"type": "string"},
                                "environment": {"type": "string"},
                                "label": {"type": "string"},
                                "id": {"type": "string"},
                                "outcome": {
                                    "enum": ["active", "post_install_error", "validation_error"]
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": _answer(
                    "the account as webhooks carry it",
                    {"type": "object", "required": ["id", "status", "environment_id"]},
                ),
                "400": _TRUTO_ERROR,
            },
        }
    },
    "/_mock/truto/integrated_accounts/{id}": {
        "delete": {
            "summary": "Truto: an integrated account is deleted (integrated_account:deleted)",
            "tags": ["truto"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": _answer("its id", {"type": "object", "required": ["id"]}),
                "404": _TRUTO_ERROR,
            },
        }
    },
}
