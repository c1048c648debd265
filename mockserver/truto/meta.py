"""Truto's unified meta endpoints: what a (resource, method) of an integration takes and gives.

    GET /unified/{model}/{resource}/meta/{method}?integrated_account_id=...
        `method, schema, documentation_link, response_mapping, query_schema,
        request_body_schema, default_query, default_body` (trutohq/truto-skills
        skills/truto/references/unified-api.md "Method Metadata"; what the truto-ts-sdk's
        `unifiedApi.meta(method, options)` reads)
    GET /unified/{model}/{resource}/{integration}/meta/{method}
        the same for a named integration, plus `response_schema` (field-level property
        definitions); `integrated_account_id` is optional there.

Everything is derived from the tables the fake enforces, so the metadata cannot disagree with
the behaviour: `models.SUPPORT` (what is served, else 404), `models.REQUIRED_QUERY` (the
`required` of `query_schema`), `wire.REQUIRED_BODY` and `wire.DEPENDENT_BODY` (the `required` and
`dependentRequired` of `request_body_schema`) and the enums of `wire`. The unified object
schemas are the field tables of truto.one/unified-apis/calendar/ and the object pages
(unified-calendar-api/<object>.md). What no source shows (the JSON Schema dialect of the real
answer, the JSONata text of `response_mapping`) is UNVERIFIED: `response_mapping` is null here,
since the fake maps in code, not JSONata.
"""

from __future__ import annotations

from typing import Any

from mockserver.truto import wire
from mockserver.truto.exceptions import bad_request, not_found
from mockserver.truto.models import REQUIRED_QUERY, RESOURCES, SUPPORT, TrutoBackend
from mockserver.truto.query import scalar
from mockserver.truto.reads import SORT_FIELDS

MODEL = "calendar"
METHODS = ("list", "get", "create", "update", "delete")
Schema = dict[str, Any]


def _s(kind: str, **extra: Any) -> Schema:
    return {"type": kind, **extra}


def _obj(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    out: Schema = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(required)
    return out


STRING, NUMBER, BOOLEAN, OBJECT = _s("string"), _s("number"), _s("boolean"), _s("object")
DATE_TIME = _s("string", format="date-time")
PERSON = _obj(
    {
        "id": STRING,
        "name": STRING,
        "emails": _s("array", items=_obj({"email": STRING, "type": STRING})),
    }
)
REF = _obj({"id": STRING, "name": STRING})
LOCATION = _obj(
    {
        "id": STRING,
        "name": STRING,
        "url": STRING,
        "address": _obj(
            {k: STRING for k in ("street_1", "street_2", "city", "state", "country", "postal_code")}
        ),
        "coordinates": _obj({"latitude": NUMBER, "longitude": NUMBER}),
    }
)
ATTACHMENT_FIELDS = {
    "id": STRING,
    "name": STRING,
    "mime_type": STRING,
    "url": STRING,
    "created_at": DATE_TIME,
    "updated_at": DATE_TIME,
}
EVENT = _obj(
    {
        "id": STRING,
        "calendar": REF,
        "title": STRING,
        "description": STRING,
        "location": LOCATION,
        "timezone": STRING,
        "start_time": DATE_TIME,
        "end_time": DATE_TIME,
        "status": _s("string", enum=list(wire.STATUSES)),
        "attendees": _s(
            "array",
            items=_obj(
                {
                    "person": PERSON,
                    "is_optional": BOOLEAN,
                    "is_organizer": BOOLEAN,
                    "is_self": BOOLEAN,
                    "response": _obj(
                        {"status": _s("string", enum=list(wire.RESPONSES)), "comment": STRING}
                    ),
                }
            ),
        ),
        "attachments": _s("array", items=_obj(ATTACHMENT_FIELDS)),
        "availability": _s("string", enum=list(wire.AVAILABILITIES)),
        "visibility": _s("string", enum=list(wire.VISIBILITIES)),
        "type": _s("string", enum=list(wire.TYPES)),
        "created_by": PERSON,
        "organizer": PERSON,
        "event_type": _obj({"id": STRING}),
        **{flag: BOOLEAN for flag in wire.GUEST_FLAGS},
        "has_attachments": BOOLEAN,
        "identifiers": OBJECT,
        "is_locked": BOOLEAN,
        "is_recurring": BOOLEAN,
        "parent_event": _obj({"id": STRING}),
        "recurrence": _s("array", items=STRING),
        "urls": _s("array", items=_obj({"type": STRING, "url": STRING})),
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
    },
    ("id", "title", "start_time"),
)
CALENDAR = _obj(
    {
        "id": STRING,
        "name": STRING,
        "description": STRING,
        "location": OBJECT,
        "status": _s("string", enum=["active", "inactive"]),
        "visibility": _s("string", enum=["public", "private"]),
        "is_default": BOOLEAN,
        "timezone": STRING,
        "access_role": _obj(
            {"id": STRING, "name": _s("string", enum=["freebusy", "owner", "reader", "writer"])}
        ),
        "colors": _obj({"background": STRING, "foreground": STRING}),
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
    },
    ("id",),
)
AVAILABILITY = _obj(
    {
        "calendar": REF,
        "email": STRING,
        "start_time": DATE_TIME,
        "end_time": DATE_TIME,
        "timezone": STRING,
        "availability": STRING,
    }
)
CONTACT = _obj(
    {
        **{k: STRING for k in ("id", "first_name", "middle_name", "last_name", "name", "title")},
        **{k: _s("array") for k in ("addresses", "email_addresses", "phone_numbers", "tags")},
        **{k: DATE_TIME for k in ("last_activity_at", "created_at", "updated_at")},
    },
    ("id",),
)
EVENT_TYPE = _obj(
    {
        "id": STRING,
        "name": STRING,  # "Slug or unique readable name of the Event Type"
        "label": STRING,  # "Human readable name of the Event Type"
        "status": _s("string", enum=["active", "archived", "inactive"]),
        "urls": _s("array", items=_obj({"type": _s("string", enum=["scheduling"]), "url": STRING})),
        "color": STRING,
        "duration": NUMBER,
        "description": STRING,
        "allow_scheduling": BOOLEAN,
        "position": NUMBER,
        "form_fields": _s("array"),
        "locations": _s("array"),
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
    },
    ("id",),
)
USER = _obj(
    {
        **{
            k: STRING
            for k in ("id", "external_id", "first_name", "last_name", "title", "name", "username")
            + ("avatar", "bio")
        },
        "identifiers": OBJECT,
        "emails": _s("array", items=_obj({"email": STRING, "is_primary": BOOLEAN, "type": STRING})),
        "timezone": STRING,  # the List Users field list is cut short in every copy read
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
    },
    ("id",),
)
ATTACHMENT = _obj({**ATTACHMENT_FIELDS, "event": _obj({"id": STRING, "title": STRING})}, ("id",))
SCHEMAS: dict[str, Schema] = {
    "events": EVENT,
    "calendars": CALENDAR,
    "availability": AVAILABILITY,
    "contacts": CONTACT,
    "event_types": EVENT_TYPE,
    "users": USER,
    "attachments": ATTACHMENT,
}

# The query parameters the fake reads, per (resource, method), beyond the Truto-wide ones
# (integrated_account_id, limit, next_cursor, truto_*, remote_query).
WINDOW = {"start_time": DATE_TIME, "end_time": DATE_TIME, "timezone": STRING}
OPERATORS = _obj({op: DATE_TIME for op in ("gt", "gte", "lt", "lte")})
CALENDAR_REF = _obj({"id": STRING, "name": STRING})
NOTIFY = {"send_notifications": _s("string", enum=list(wire.SEND_NOTIFICATIONS))}
QUERY: dict[tuple[str, str], dict[str, Schema]] = {
    ("events", "list"): {
        "calendar": CALENDAR_REF,
        **WINDOW,
        "title": STRING,
        "description": STRING,
        "type": _s("string", enum=list(wire.TYPES)),
        "created_at": OPERATORS,
        "updated_at": OPERATORS,
        "sort_by": _obj({f: _s("string", enum=["asc", "desc"]) for f in SORT_FIELDS}),
        "single_events": BOOLEAN,
    },
    ("events", "get"): {"calendar": CALENDAR_REF},
    ("events", "create"): NOTIFY,
    ("events", "update"): NOTIFY,
    ("events", "delete"): {"calendar": CALENDAR_REF, **NOTIFY},
    ("calendars", "list"): {
        "status": _s("string", enum=["active", "inactive"]),
        "visibility": _s("string", enum=["public", "private"]),
        "access_role": _obj({"id": STRING, "name": STRING}),
    },
    ("availability", "list"): {
        "calendar": CALENDAR_REF,
        **WINDOW,
        "emails": _s("array", items=STRING),
    },
    ("event_types", "list"): {"status": _s("string", enum=["active", "archived", "inactive"])},
    ("contacts", "list"): {"name": STRING},
    ("attachments", "list"): {"event": _obj({"id": STRING})},
}
# The writable fields of an event (what wire.event_changes reads).
EVENT_BODY = _obj(
    {
        "calendar": _obj({"id": STRING}),
        "title": _s("string", maxLength=wire.MAX_TITLE),
        "description": _s("string", maxLength=wire.MAX_TEXT),
        "start_time": DATE_TIME,
        "end_time": DATE_TIME,
        "timezone": STRING,
        "location": LOCATION,
        "attendees": EVENT["properties"]["attendees"],
        "status": EVENT["properties"]["status"],
        "availability": EVENT["properties"]["availability"],
        "visibility": EVENT["properties"]["visibility"],
        "type": EVENT["properties"]["type"],
        **{flag: BOOLEAN for flag in wire.GUEST_FLAGS},
        "recurrence": _s("array", items=STRING),
        "remote_data": OBJECT,
    }
)
# Where each integration's own API reference lives (the exact page per call is not modelled).
DOCS = {
    "google": "https://developers.google.com/calendar/api/v3/reference",
    "googlecalendar": "https://developers.google.com/calendar/api/v3/reference",
    "outlookcalendar": "https://learn.microsoft.com/graph/api/resources/calendar-overview",
    "calendly": "https://developer.calendly.com/api-docs",
    "calcom": "https://cal.com/docs/api-reference/v2",
}


def _with_required(props: dict[str, Schema], names: tuple[str, ...]) -> Schema:
    """An object schema whose `required` are the flattened names the fake checks
    (`calendar[id]` / `calendar.id`: `calendar` required, and `id` inside it)."""
    properties = {k: dict(v) for k, v in props.items()}
    required: list[str] = []
    for name in names:
        head, _, inner = name.replace("[", ".").rstrip("]").partition(".")
        if head not in required:
            required.append(head)
        if inner:
            node = properties.setdefault(head, _obj({inner: STRING}))
            node["required"] = [*node.get("required", []), inner]
        else:
            properties.setdefault(head, STRING)
    return _obj(properties, tuple(required))


def describe(integration: str, resource: str, method: str) -> dict[str, Any]:
    """The metadata of one supported (integration, resource, method)."""
    required_query = REQUIRED_QUERY.get((resource, method), {}).get(integration, ())
    body = None
    if resource == "events" and method in ("create", "update"):
        body = _with_required(
            EVENT_BODY["properties"], wire.REQUIRED_BODY.get((integration, method), ())
        )
        body["dependentRequired"] = {k: list(v) for k, v in wire.DEPENDENT_BODY.items()}
    schema = SCHEMAS[resource]
    return {
        "method": method,
        "schema": schema,
        "documentation_link": DOCS[integration],
        "response_mapping": None,
        "query_schema": _with_required(QUERY.get((resource, method), {}), required_query),
        "request_body_schema": body,
        "default_query": {},
        "default_body": {},
    }


def response_schema(integration: str, resource: str, method: str) -> dict[str, Schema]:
    """Field-level definitions of what this integration's answer carries: Calendly's event
    list is partial (no attendees), as wire.event_json renders it."""
    props = dict(SCHEMAS[resource]["properties"])
    if (integration, resource, method) == ("calendly", "events", "list"):
        props.pop("attendees")
    return props


def _known(model: str, resource: str, method: str) -> None:
    if model != MODEL or resource not in RESOURCES or method not in METHODS:
        raise not_found(f"Resource not found: /unified/{model}/{resource}/meta/{method}")


def _supported(integration: str, model: str, resource: str, method: str) -> None:
    if method not in SUPPORT[integration].get(resource, ()):
        raise not_found(
            f"Resource not found: {method} {model}/{resource} is not supported by the "
            f"{integration} integration"
        )


def method_meta(
    be: TrutoBackend, header: str | None, params: dict[str, Any], path: dict[str, str]
) -> dict[str, Any]:
    """`/unified/{model}/{resource}/meta/{method}`: for the integrated account's integration."""
    token = be.authenticate(header)
    _known(path["model"], path["resource"], path["method"])
    acc = be.visible_account(token, scalar(params, "integrated_account_id"))
    if acc is None:
        raise bad_request("integrated_account_id is required")
    _supported(acc.integration, path["model"], path["resource"], path["method"])
    return describe(acc.integration, path["resource"], path["method"])


def integration_meta(
    be: TrutoBackend, header: str | None, params: dict[str, Any], path: dict[str, str]
) -> dict[str, Any]:
    """`/unified/{model}/{resource}/{integration}/meta/{method}`: no account needed (one given
    must be visible to the token)."""
    token = be.authenticate(header)
    _known(path["model"], path["resource"], path["method"])
    be.visible_account(token, scalar(params, "integrated_account_id"))
    integration = path["integration"]
    if integration not in SUPPORT:
        raise not_found(f"Resource not found: no integration {integration!r}")
    _supported(integration, path["model"], path["resource"], path["method"])
    out = describe(integration, path["resource"], path["method"])
    out["response_schema"] = response_schema(integration, path["resource"], path["method"])
    return out
