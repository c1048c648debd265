"""Schema-driven fuzzing (schemathesis): every operation of each provider's OpenAPI document,
with cases generated from its schemas, against the fake in-process.

  * Cal.com: its published OpenAPI document, as the verbatim subset of the operations the fake
    implements (mockserver/calcom/schemas/), the 2026 routes from the cal.diy extract; the
    document's known defects (calcom.md §1.9) patched here, each named in `patch_calcom`.
  * Cronofy and Truto publish none; the project writes one for each surface it serves
    (mockserver/cronofy/openapi.json, mockserver/truto/openapi.json). `test_documents_are_true`
    keeps them honest: real successful answers of every operation must conform.

Checks on every case: no 5xx (positive and negative cases: generated from the schema, and
deliberately outside it) and, for positive cases, the answer conforms to the document's schema
for its status. Credentials are the demo world's (a generated Authorization would only ever
meet 401s); ids are sometimes real ones, so the cases reach past the lookups.

Bounded by default (EXAMPLES cases per operation and mode); MOCKSERVER_HEAVY=1 runs many more.
The figures (requests per provider) are printed at the end of the module.
"""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from mockserver.app import create_app
from mockserver.calcom.settings import CalcomSettings
from mockserver.settings import Settings
from mockserver.state import ServerState
from mockserver.testing import asgi_client
from mockserver.truto.settings import TrutoSettings
from tests.test_calcom_openapi import KNOWN_FAULTS

HEAVY = os.environ.get("MOCKSERVER_HEAVY") == "1"
EXAMPLES = 300 if HEAVY else 10

CRONOFY = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
CALCOM = {"Authorization": "Bearer cal_live_demoAlice000000000000000001"}
TRUTO = {"Authorization": "Bearer trutoDemoApiToken000000000000001"}
ALICE = "0a11ce00-7e57-4d00-8000-000000000001"
REAL = {  # path and query values that exist in the demo world, mixed into generated cases
    "calendar_id": ["cal_a11cedemo0001_work", "cal_a11cedemo0001_holidays"],
    "calendar": ["google"],
    "bookingUid": ["bkDemoUpcoming0000000001", "bkDemoPast00000000000003"],
    "connectionId": ["1"],
    "integrated_account_id": [ALICE, "0a11ce00-7e57-4d00-8000-000000000003"],
    "calendar[id]": ["primary"],
}
SENT: Counter[str] = Counter()
STATUSES: Counter[tuple[str, int]] = Counter()


def package_json(package: str, name: str) -> dict[str, Any]:
    return json.loads(resources.files(package).joinpath(name).read_text("utf-8"))


# -- the Cal.com document's known defects (calcom.md §1.9), patched ---------------------------


def _nullable_refs(node: Any) -> Any:
    """1. `nullable: true` beside a `$ref` is ignored under OAS 3.0, so the legitimate null
    real answers carry (`hosts[0].responseStatus`, `status`) would fail: wrap the reference in
    `allOf`, where `nullable` counts (what the hosted 2026 docs do)."""
    if isinstance(node, list):
        return [_nullable_refs(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _nullable_refs(v) for k, v in node.items()}
    if "$ref" in out and out.get("nullable"):
        rest = {k: v for k, v in out.items() if k not in ("$ref", "nullable")}
        return {**rest, "allOf": [{"$ref": out["$ref"]}], "nullable": True}
    return out


def patch_calcom(doc: dict[str, Any]) -> dict[str, Any]:
    doc = _nullable_refs(copy.deepcopy(doc))
    # 2-4. the schema faults tests/test_calcom_openapi.py names (organizer keys, the references
    # envelope's status, the destination calendar's numeric id)
    for name, fix in KNOWN_FAULTS.items():
        if name in doc["components"]["schemas"]:
            fix(doc["components"]["schemas"][name])
    # 5. the 2026 extract repeats operationIds on its deprecated path aliases
    seen: Counter[str] = Counter()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                seen[op["operationId"]] += 1
                if seen[op["operationId"]] > 1:
                    op["operationId"] += f"_{method}_{len(path)}"
    # 6. POST /v2/bookings takes `oneOf` the three booking inputs, but they overlap (a plain
    # booking also matches the instant one), so no body can match exactly one: `anyOf`
    body = doc["paths"].get("/v2/bookings", {}).get("post", {}).get("requestBody")
    if body is not None:
        media = body["content"]["application/json"]["schema"]
        media["anyOf"] = media.pop("oneOf")
    # 7. the document declares Authorization and cal-api-version as ordinary header parameters;
    # the test sends real ones instead of generating them
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict):
                op["parameters"] = [
                    p
                    for p in op.get("parameters", [])
                    if not (p.get("in") == "header" and p["name"].lower() in HEADERS_SENT)
                ]
    return doc


HEADERS_SENT = {"authorization", "cal-api-version", "x-cal-secret-key", "x-cal-client-id"}


def all_day_times(doc: dict[str, Any]) -> dict[str, Any]:
    """8. (2026 extract) start/end `time` is `format: date-time`, but the list mapping renders
    an all-day event as `<date>T00:00:00` with timeZone UTC (calcom.md §1.5): drop the format
    there, as tests/test_calcom_openapi.py's known fault 4 allows that form."""
    for schema in doc["components"]["schemas"].values():
        for prop in ("time",):
            inner = schema.get("properties", {}).get(prop)
            if isinstance(inner, dict) and inner.get("format") == "date-time":
                inner.pop("format")
    return doc


# -- the providers ----------------------------------------------------------------------------


@cache
def documents() -> dict[str, tuple[dict[str, Any], dict[str, str]]]:
    """name -> (document, headers sent on every case)."""
    calcom = patch_calcom(package_json("mockserver.calcom", "schemas/openapi-v2-subset.json"))
    calcom26 = all_day_times(
        patch_calcom(
            package_json("mockserver.calcom", "schemas/unified-calendars-2026-subset.json")
        )
    )
    return {
        "calcom": (calcom, CALCOM),
        "calcom-2026": (calcom26, CALCOM),
        "cronofy": (package_json("mockserver.cronofy", "openapi.json"), CRONOFY),
        "truto": (package_json("mockserver.truto", "openapi.json"), TRUTO),
    }


def operations() -> list[Any]:
    """(document, method, path, mode) for every operation: positive cases for all, negative
    ones where there is something to break (an operation without parameters or a body has
    no negative case)."""
    out = []
    for name, (doc, _) in documents().items():
        for path, item in doc["paths"].items():
            for method, op in item.items():
                if method == "parameters":
                    continue
                out.append(
                    pytest.param(
                        name, method.upper(), path, POSITIVE, id=_id(name, method, path, "positive")
                    )
                )
                if _breakable(item.get("parameters", []) + op.get("parameters", []), op):
                    out.append(
                        pytest.param(
                            name,
                            method.upper(),
                            path,
                            NEGATIVE,
                            id=_id(name, method, path, "negative"),
                        )
                    )
    return out


POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE


def _breakable(parameters: list[dict[str, Any]], op: dict[str, Any]) -> bool:
    """Whether a request can be outside the schema: a body, a query parameter, or a path
    parameter narrower than any string (a URL segment is always some string)."""
    if op.get("requestBody"):
        return True
    for p in parameters:
        if p["in"] == "query" or (p["in"] == "path" and p.get("schema", {}) != {"type": "string"}):
            return True
    return False


def _id(*parts: str) -> str:
    return "-".join(parts)


def new_state() -> ServerState:
    return ServerState(
        Settings(
            calcom=CalcomSettings(rate_limit=False, profile="oss-2026"),
            truto=TrutoSettings(rate_limit=False),
        )
    )


STATE = new_state()
APP = create_app(state=STATE)


@pytest.fixture(scope="module")
def client():
    with asgi_client(APP) as c:
        yield c
    print("\nschemathesis: requests per provider:", dict(sorted(SENT.items())))
    print("schemathesis: answers by status:", dict(sorted(STATUSES.items())))


def send(client: httpx.Client, case: Any, headers: dict[str, str], real: dict[str, str]) -> Any:
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    kwargs.pop("cookies", None)
    kwargs["headers"] = {**(kwargs.get("headers") or {}), **headers}
    if case.path.startswith("/v2/bookings"):
        kwargs["headers"]["cal-api-version"] = "2024-08-13"
    url = httpx.URL(kwargs.pop("url"))
    params = dict(kwargs.pop("params", None) or {})
    path = case.formatted_path
    for name, value in real.items():
        if name in (case.path_parameters or {}):
            path = path.replace(_segment(case.path_parameters[name]), value, 1)
        elif name in params or name in ("integrated_account_id",):
            params[name] = value
    if isinstance(kwargs.get("data"), bytes | str):
        kwargs["content"] = kwargs.pop("data")
    target = url.copy_with(raw_path=path.encode())
    answer = client.request(kwargs.pop("method"), target, params=params, **kwargs)
    answer.elapsed = timedelta(0)
    return answer


def _segment(value: Any) -> str:
    return httpx.URL("/" + str(value)).raw_path.decode()[1:]


@pytest.mark.parametrize(("doc", "method", "path", "mode"), operations())
def test_no_server_error_and_conforming_answers(client, doc, method, path, mode) -> None:
    document, headers = documents()[doc]
    schema = schemathesis.openapi.from_dict(document)
    operation = schema[path][method]
    checks = [not_a_server_error]
    if mode is POSITIVE:
        checks.append(response_schema_conformance)
    STATE.reset()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not HEAVY,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), picks=st.data())
    def run(case: Any, picks: st.DataObject) -> None:
        real = {
            name: picks.draw(st.sampled_from(values))
            for name, values in REAL.items()
            if picks.draw(st.sampled_from([True, True, True, False]))  # mostly real ids
        }
        answer = send(client, case, headers, real)
        SENT[doc.partition("-")[0]] += 1
        STATUSES[doc.partition("-")[0], answer.status_code] += 1
        case.validate_response(answer, checks=checks)

    run()


# -- the project's own documents stay true ----------------------------------------------------

WORK = "cal_a11cedemo0001_work"
UPSERT = {
    "event_id": "doc-check",
    "summary": "Document check",
    "start": "2030-01-08T10:00:00Z",
    "end": "2030-01-08T11:00:00Z",
}
TRUTO_EVENT = {
    "calendar": {"id": "primary"},
    "title": "Document check",
    "start_time": "2030-01-08T10:00:00Z",
    "end_time": "2030-01-08T10:30:00Z",
    "timezone": "Europe/London",
}
ACCOUNT = {"integrated_account_id": ALICE}
CALENDLY = {"integrated_account_id": "0a11ce00-7e57-4d00-8000-000000000004"}
OUTLOOK = {"integrated_account_id": "0a11ce00-7e57-4d00-8000-000000000003"}
WINDOW = {"start_time": "2026-01-01T00:00:00Z", "end_time": "2031-01-01T00:00:00Z"}
# (document, method, template, the request as sent, expected status); {id} is filled from an
# earlier answer (the event the create made)
REAL_CALLS: list[tuple[str, str, str, str, dict[str, Any], Any, int]] = [
    ("cronofy", "GET", "/v1/calendars", "/v1/calendars", {}, None, 200),
    ("cronofy", "POST", "/v1/calendars", "/v1/calendars",
     {}, {"profile_id": "pro_a11cedemo0001", "name": "Doc check"}, 200),
    ("cronofy", "POST", "/v1/calendars/{calendar_id}/events", f"/v1/calendars/{WORK}/events",
     {}, UPSERT, 202),
    ("cronofy", "GET", "/v1/events", "/v1/events",
     {"tzid": "Europe/Paris", "include_managed": "true", "localized_times": "true"}, None, 200),
    ("cronofy", "GET", "/v1/events", "/v1/events",
     {"tzid": "Etc/UTC", "only_managed": "true", "include_deleted": "true"}, None, 200),
    ("cronofy", "GET", "/v1/free_busy", "/v1/free_busy", {"tzid": "Etc/UTC"}, None, 200),
    ("cronofy", "GET", "/v1/userinfo", "/v1/userinfo", {}, None, 200),
    ("cronofy", "GET", "/v1/account", "/v1/account", {}, None, 200),
    ("cronofy", "GET", "/v1/profiles", "/v1/profiles", {}, None, 200),
    ("cronofy", "GET", "/v1/events", "/v1/events", {}, None, 422),
    ("cronofy", "POST", "/oauth/token", "/oauth/token", {},
     {"client_id": "cronofy_demo_client_id_0000000001",
      "client_secret": "cronofy_demo_client_secret_00000000000001",
      "grant_type": "refresh_token", "refresh_token": "cronofyDemoAliceRefresh000000001"}, 200),
    ("cronofy", "POST", "/oauth/token", "/oauth/token", {}, {"grant_type": "x"}, 400),
    ("cronofy", "DELETE", "/v1/calendars/{calendar_id}/events", f"/v1/calendars/{WORK}/events",
     {}, {"event_id": "doc-check"}, 202),
    ("truto", "POST", "/unified/calendar/events", "/unified/calendar/events",
     ACCOUNT, TRUTO_EVENT, 201),
    ("truto", "GET", "/unified/calendar/events", "/unified/calendar/events",
     {**ACCOUNT, "calendar[id]": "primary", **WINDOW, "limit": "5"}, None, 200),
    ("truto", "GET", "/unified/calendar/events/{id}", "/unified/calendar/events/{id}",
     {**ACCOUNT, "calendar[id]": "primary"}, None, 200),
    ("truto", "PATCH", "/unified/calendar/events/{id}", "/unified/calendar/events/{id}",
     ACCOUNT, {**TRUTO_EVENT, "title": "Renamed"}, 200),
    ("truto", "DELETE", "/unified/calendar/events/{id}", "/unified/calendar/events/{id}",
     {**ACCOUNT, "calendar[id]": "primary"}, None, 200),
    ("truto", "GET", "/unified/calendar/events/{id}", "/unified/calendar/events/{id}",
     {**ACCOUNT, "calendar[id]": "primary"}, None, 404),
    ("truto", "GET", "/unified/calendar/calendars", "/unified/calendar/calendars", ACCOUNT, None, 200),
    ("truto", "GET", "/unified/calendar/calendars/{id}", f"/unified/calendar/calendars/{WORK}",
     ACCOUNT, None, 200),
    ("truto", "GET", "/unified/calendar/availability", "/unified/calendar/availability",
     {**ACCOUNT, "calendar[id]": "primary", **WINDOW}, None, 200),
    ("truto", "GET", "/unified/calendar/event_types", "/unified/calendar/event_types",
     CALENDLY, None, 200),
    ("truto", "GET", "/unified/calendar/users", "/unified/calendar/users", OUTLOOK, None, 200),
    ("truto", "GET", "/unified/calendar/contacts", "/unified/calendar/contacts", ACCOUNT, None, 200),
    ("truto", "GET", "/unified/calendar/attachments", "/unified/calendar/attachments",
     OUTLOOK, None, 400),
    ("truto", "GET", "/unified/calendar/events", "/unified/calendar/events", {}, None, 400),
]  # fmt: skip


def test_documents_are_true() -> None:
    """Real answers of every operation, successes and the common errors, conform to the
    documents the project wrote (and a wrong answer would fail: see the last assertion)."""
    state = new_state()
    made: dict[str, str] = {}
    with asgi_client(create_app(state=state)) as c:
        for doc, method, template, path, params, body, status in REAL_CALLS:
            document, headers = documents()[doc]
            operation = schemathesis.openapi.from_dict(document)[template][method]
            answer = c.request(
                method, path.format(**made), params=params, json=body, headers=headers
            )
            assert answer.status_code == status, (method, path, answer.text)
            answer.elapsed = timedelta(0)
            operation.validate_response(answer)  # raises on a non-conforming answer
            if doc == "truto" and method == "POST":
                made["id"] = answer.json()["id"]
    events = schemathesis.openapi.from_dict(documents()["cronofy"][0])["/v1/events"]["GET"]
    wrong = httpx.Response(
        200,
        json={"pages": {"current": 1}, "events": []},
        request=httpx.Request("GET", "http://testserver/v1/events"),
    )
    wrong.elapsed = timedelta(0)
    with pytest.raises(Exception, match="total"):
        events.validate_response(wrong)
