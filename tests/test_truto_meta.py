"""The Truto meta endpoints agree with what the fake enforces and answers: served exactly where
the support matrix says, their required query parameters and body fields are the ones a call
without them is refused for, and every object the fake returns fits the published `schema`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jsonschema
import pytest

from contracts.kit import WORLD
from mockserver.app import create_app
from mockserver.testing import asgi_client
from mockserver.truto.meta import METHODS
from mockserver.truto.models import RESOURCES, SUPPORT

TOKEN = {"Authorization": "Bearer contractTrutoApiToken00000000001"}
ACCOUNTS = {
    "googlecalendar": "c0a7c7e5-7e57-4000-8000-000000000001",
    "google": "c0a7c7e5-7e57-4000-8000-000000000002",
    "outlookcalendar": "c0a7c7e5-7e57-4000-8000-000000000003",
    "calendly": "c0a7c7e5-7e57-4000-8000-000000000004",
    "calcom": "c0a7c7e5-7e57-4000-8000-000000000005",
}
OUTLOOK_EVENT = "c0ntracttrutoo00000000000001"  # has an attachment
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or ("T" in value and bool(datetime.fromisoformat(value)))


@pytest.fixture(scope="module")
def client():
    with asgi_client(create_app(fixture=WORLD())) as c:
        yield c


def flattened(schema: dict[str, Any] | None) -> list[str]:
    """`required` as the fake's 400s name them: `calendar[id]` for a required object member."""
    if not schema:
        return []
    out = []
    for name in schema.get("required", []):
        inner = schema["properties"][name].get("required", [])
        out += [f"{name}[{i}]" for i in inner] if inner else [name]
    return out


def meta(client, integration: str, resource: str, method: str):
    return client.get(
        f"/unified/calendar/{resource}/{integration}/meta/{method}",
        params={"integrated_account_id": ACCOUNTS[integration]},
        headers=TOKEN,
    )


@pytest.mark.parametrize("integration", sorted(SUPPORT))
def test_meta_is_served_exactly_where_the_support_matrix_says(client, integration):
    for resource in RESOURCES:
        for method in METHODS:
            supported = method in SUPPORT[integration].get(resource, ())
            by_name = meta(client, integration, resource, method)
            by_account = client.get(
                f"/unified/calendar/{resource}/meta/{method}",
                params={"integrated_account_id": ACCOUNTS[integration]},
                headers=TOKEN,
            )
            for response in (by_name, by_account):
                assert response.status_code == (200 if supported else 404), (
                    integration,
                    resource,
                    method,
                    response.text,
                )
            if supported:
                named, mine = by_name.json(), by_account.json()
                assert named.pop("response_schema")
                assert named == mine and mine["method"] == method


def test_meta_needs_a_token_and_the_account_variant_an_account(client):
    path = "/unified/calendar/events/meta/list"
    assert client.get(path, params={"integrated_account_id": ACCOUNTS["google"]}).status_code == 401
    assert client.get(path, headers=TOKEN).status_code == 400
    unknown = client.get(path, params={"integrated_account_id": "nobody"}, headers=TOKEN)
    assert unknown.status_code == 404
    assert (
        client.get("/unified/calendar/events/googlecalendar/meta/list", headers=TOKEN).status_code
        == 200
    )
    for path in (
        "/unified/calendar/events/yahoo/meta/list",
        "/unified/calendar/events/googlecalendar/meta/search",
        "/unified/crm/contacts/meta/list",
    ):
        assert client.get(path, headers=TOKEN).status_code == 404, path


@pytest.mark.parametrize(
    ("integration", "resource", "method"),
    [
        (i, r, m)
        for i in sorted(SUPPORT)
        for r in sorted(SUPPORT[i])
        for m in sorted(SUPPORT[i][r])
        if m in ("list", "get", "delete")
    ],
)
def test_required_query_parameters_are_the_ones_refused_without(
    client, integration, resource, method
):
    described = meta(client, integration, resource, method).json()
    required = flattened(described["query_schema"])
    path = f"/unified/calendar/{resource}" + ("/some-id" if method != "list" else "")
    verb = "DELETE" if method == "delete" else "GET"
    bare = client.request(
        verb, path, params={"integrated_account_id": ACCOUNTS[integration]}, headers=TOKEN
    )
    if required:
        assert bare.status_code == 400, bare.text
        insight = bare.json()["truto_error_insight"]["missing_required_query_parameters"]
        assert insight["value"] == required
    else:
        assert bare.status_code != 400, bare.text


@pytest.mark.parametrize(
    ("integration", "method"),
    [(i, m) for i in sorted(SUPPORT) for m in ("create", "update") if m in SUPPORT[i]["events"]],
)
def test_required_body_fields_are_the_ones_refused_without(client, integration, method):
    body_schema = meta(client, integration, "events", method).json()["request_body_schema"]
    required = [n.replace("[", ".").rstrip("]") for n in flattened(body_schema)]
    params = {"integrated_account_id": ACCOUNTS[integration], "calendar[id]": "primary"}
    path = "/unified/calendar/events" + (f"/{OUTLOOK_EVENT}" if method == "update" else "")
    refused = client.request(
        "POST" if method == "create" else "PATCH", path, params=params, json={}, headers=TOKEN
    )
    if required:
        assert refused.status_code == 400, refused.text
        insight = refused.json()["truto_error_insight"]["missing_required_body_fields"]
        assert insight["value"] == required
    # the dependentRequired rule: start_time alone is refused for end_time and timezone
    alone = {"calendar": {"id": "primary"}, "start_time": "2030-01-07T10:00:00Z"}
    refused = client.request(
        "POST" if method == "create" else "PATCH", path, params=params, json=alone, headers=TOKEN
    )
    assert refused.status_code == 400
    missing = refused.json()["truto_error_insight"]["missing_required_body_fields"]["value"]
    assert missing == body_schema["dependentRequired"]["start_time"]


def _params(integration: str, described: dict[str, Any]) -> dict[str, str]:
    """Values for every required query parameter, from the metadata itself."""
    values = {
        "calendar[id]": "cal_c0ntract0011_calendar"
        if integration == "outlookcalendar"
        else "primary",
        "start_time": "2000-01-01T00:00:00Z",
        "end_time": "2100-01-01T00:00:00Z",
        "timezone": "UTC",
        "event[id]": OUTLOOK_EVENT,
    }
    return {n: values[n] for n in flattened(described["query_schema"])}


@pytest.mark.parametrize(
    ("integration", "resource"),
    [(i, r) for i in sorted(SUPPORT) for r in sorted(SUPPORT[i]) if "list" in SUPPORT[i][r]],
)
def test_every_object_the_fake_returns_fits_the_published_schema(client, integration, resource):
    described = meta(client, integration, resource, "list").json()
    params = {"integrated_account_id": ACCOUNTS[integration], **_params(integration, described)}
    listed = client.get(f"/unified/calendar/{resource}", params=params, headers=TOKEN)
    assert listed.status_code == 200, listed.text
    items = listed.json()["result"]
    assert items, (integration, resource)
    validator = jsonschema.Draft202012Validator(described["schema"], format_checker=FORMATS)
    props = set(meta(client, integration, resource, "list").json()["response_schema"])
    for item in items:
        validator.validate(item)
        assert set(item) - {"remote_data"} <= set(described["schema"]["properties"]), item
        assert set(item) - {"remote_data"} <= props
    if "get" in SUPPORT[integration][resource]:
        one = items[0]["id"]
        got_meta = meta(client, integration, resource, "get").json()
        query = {"integrated_account_id": ACCOUNTS[integration], **_params(integration, got_meta)}
        got = client.get(f"/unified/calendar/{resource}/{one}", params=query, headers=TOKEN)
        assert got.status_code == 200, got.text
        validator.validate(got.json())
