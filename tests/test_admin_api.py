"""The control plane as an admin API: its OpenAPI 3.1 document (`GET /_mock/openapi.json`) names
every route under /_mock, and the real answers of every operation match the document's schemas;
`GET /_mock/health`; every /_mock error is a JSON body; `/` is a small index."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.routing import Route

from mockserver import __version__, registry
from mockserver.app import create_app
from mockserver.control.admin import openapi_document, unknown
from mockserver.core.fixtures import demo_path, read
from mockserver.testing import asgi_client

ALICE = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
TRUTO_ACCOUNT = "0a11ce00-7e57-4d00-8000-000000000001"
WORK = "cal_a11cedemo0001_work"
BOOKED = "ca1demo0000000000000000001"  # the Google event of Alice's upcoming booking
HOLIDAY = "evt_external_0a11ce0000000000000301"  # in the read-only holidays calendar
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app()


@pytest.fixture
def client(app: Any) -> Iterator[httpx.Client]:
    with asgi_client(app) as c:
        c.post("/_mock/reset")
        yield c


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    document = openapi_document()
    Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})
    return document


def mock_routes(app: Any) -> set[tuple[str, str]]:
    """(path, method) of every route the app serves under /_mock (and `/`), but the fallback."""
    found = set()
    for route in app.router.routes:
        if not isinstance(route, Route) or route.endpoint is unknown:
            continue
        if route.path == "/" or route.path.startswith("/_mock"):
            for method in route.methods or ():
                if method != "HEAD":
                    found.add((route.path.rstrip("/") or "/", method.lower()))
    return found


def test_the_document_is_openapi_3_1_and_names_every_route(app, doc):
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["version"] == __version__
    documented = {(path, m) for path, item in doc["paths"].items() for m in item if m in METHODS}
    missing = mock_routes(app) - documented
    assert not missing, f"routes under /_mock with no OpenAPI operation: {sorted(missing)}"
    stale = documented - mock_routes(app)
    assert not stale, f"documented operations the app does not serve: {sorted(stale)}"


def test_every_provider_control_route_comes_from_the_registry(doc):
    for provider in registry.providers():
        for route in provider.control_routes:
            assert route.path in doc["paths"], (provider.name, route.path)


# Every operation, with the calls that reach each documented answer: (method, template, path,
# body, expected status).
CALLS: list[tuple[str, str, str, Any, int]] = [
    ("GET", "/", "/", None, 200),
    ("GET", "/_mock", "/_mock", None, 200),
    ("GET", "/_mock", "/_mock/", None, 200),
    ("GET", "/_mock/health", "/_mock/health", None, 200),
    ("GET", "/_mock/openapi.json", "/_mock/openapi.json", None, 200),
    ("POST", "/_mock/reset", "/_mock/reset", None, 200),
    ("POST", "/_mock/reset", "/_mock/reset", {"keep": ["clock"]}, 200),
    ("POST", "/_mock/reset", "/_mock/reset", {"keep": ["nothing"]}, 400),
    ("GET", "/_mock/state", "/_mock/state", None, 200),
    ("POST", "/_mock/seed", "/_mock/seed", read(demo_path()), 200),
    ("POST", "/_mock/seed", "/_mock/seed", {"accounts": "nope"}, 400),
    ("POST", "/_mock/save", "/_mock/save", None, 409),
    ("GET", "/_mock/credentials", "/_mock/credentials", None, 200),
    ("GET", "/_mock/clock", "/_mock/clock", None, 200),
    ("POST", "/_mock/clock", "/_mock/clock", {"advance": 60}, 200),
    ("POST", "/_mock/clock", "/_mock/clock", {"freeze": True}, 200),
    ("POST", "/_mock/clock", "/_mock/clock", {"set": "not a time"}, 400),
    ("POST", "/_mock/clock", "/_mock/clock", {"reset": True}, 200),
    ("GET", "/_mock/settings", "/_mock/settings", None, 200),
    ("PATCH", "/_mock/settings", "/_mock/settings", {"mock": {"latency": None}}, 200),
    ("PATCH", "/_mock/settings", "/_mock/settings", {"nope": {}}, 400),
    ("GET", "/_mock/journal", "/_mock/journal", None, 200),
    ("GET", "/_mock/journal", "/_mock/journal?limit=x", None, 400),
    ("DELETE", "/_mock/journal", "/_mock/journal", None, 200),
    ("POST", "/_mock/faults", "/_mock/faults", {"path": "/v9/none", "status": 500}, 201),
    ("POST", "/_mock/faults", "/_mock/faults", [{"path": "/v9/a", "status": 502}], 201),
    ("POST", "/_mock/faults", "/_mock/faults", {"status": 0}, 400),
    ("GET", "/_mock/faults", "/_mock/faults", None, 200),
    ("GET", "/_mock/faults/{fault_id}", "/_mock/faults/flt_1", None, 200),
    ("GET", "/_mock/faults/{fault_id}", "/_mock/faults/flt_404", None, 404),
    ("DELETE", "/_mock/faults/{fault_id}", "/_mock/faults/flt_1", None, 200),
    ("DELETE", "/_mock/faults/{fault_id}", "/_mock/faults/flt_1", None, 404),
    ("DELETE", "/_mock/faults", "/_mock/faults", None, 200),
    ("GET", "/_mock/faults/budgets", "/_mock/faults/budgets", None, 200),
    ("PATCH", "/_mock/faults/budgets", "/_mock/faults/budgets", {"truto": True}, 200),
    ("PATCH", "/_mock/faults/budgets", "/_mock/faults/budgets", {"truto": 3}, 400),
    ("GET", "/_mock/truto", "/_mock/truto", None, 200),
    (
        "POST",
        "/_mock/truto/remote_errors",
        "/_mock/truto/remote_errors",
        {"integrated_account_id": TRUTO_ACCOUNT, "status": 500},
        201,
    ),
    ("POST", "/_mock/truto/remote_errors", "/_mock/truto/remote_errors", {}, 404),
    ("DELETE", "/_mock/truto/remote_errors", "/_mock/truto/remote_errors", None, 200),
    # the calendar owner's own edits, the change feed and the delivery log
    (
        "POST",
        "/_mock/owner/calendars/{calendar_id}/events",
        f"/_mock/owner/calendars/{WORK}/events",
        {"summary": "Owner", "start": "today+2dT10:00", "end": "today+2dT11:00"},
        201,
    ),
    (
        "POST",
        "/_mock/owner/calendars/{calendar_id}/events",
        "/_mock/owner/calendars/cal_no/events",
        {"summary": "x", "start": "now", "end": "now+1h"},
        404,
    ),
    (
        "POST",
        "/_mock/owner/calendars/{calendar_id}/events",
        f"/_mock/owner/calendars/{WORK}/events",
        {"summary": "x"},
        400,
    ),
    (
        "POST",
        "/_mock/owner/calendars/{calendar_id}/events",
        "/_mock/owner/calendars/cal_a11cedemo0001_holidays/events",
        {"summary": "x", "start": "now", "end": "now+1h"},
        409,
    ),
    ("GET", "/_mock/owner/events/{event_id}", f"/_mock/owner/events/{BOOKED}", None, 200),
    ("GET", "/_mock/owner/events/{event_id}", "/_mock/owner/events/evt_no", None, 404),
    (
        "PATCH",
        "/_mock/owner/events/{event_id}",
        f"/_mock/owner/events/{BOOKED}",
        {"summary": "Moved"},
        200,
    ),
    (
        "PATCH",
        "/_mock/owner/events/{event_id}",
        f"/_mock/owner/events/{BOOKED}",
        {"status": "x"},
        400,
    ),
    ("PATCH", "/_mock/owner/events/{event_id}", "/_mock/owner/events/evt_no", {}, 404),
    (
        "POST",
        "/_mock/owner/events/{event_id}/move",
        f"/_mock/owner/events/{BOOKED}/move",
        {"start": "today+3dT16:00"},
        200,
    ),
    ("POST", "/_mock/owner/events/{event_id}/move", f"/_mock/owner/events/{BOOKED}/move", {}, 400),
    (
        "POST",
        "/_mock/owner/events/{event_id}/move",
        "/_mock/owner/events/evt_no/move",
        {"start": "now"},
        404,
    ),
    (
        "POST",
        "/_mock/owner/events/{event_id}/respond",
        f"/_mock/owner/events/{BOOKED}/respond",
        {"status": "tentative"},
        200,
    ),
    (
        "POST",
        "/_mock/owner/events/{event_id}/respond",
        f"/_mock/owner/events/{BOOKED}/respond",
        {"status": "maybe"},
        400,
    ),
    (
        "POST",
        "/_mock/owner/events/{event_id}/respond",
        "/_mock/owner/events/evt_no/respond",
        {"status": "accepted"},
        404,
    ),
    ("DELETE", "/_mock/owner/events/{event_id}", f"/_mock/owner/events/{BOOKED}", None, 200),
    (
        "PATCH",
        "/_mock/owner/events/{event_id}",
        f"/_mock/owner/events/{BOOKED}",
        {"summary": "x"},
        409,
    ),
    (
        "POST",
        "/_mock/owner/events/{event_id}/move",
        f"/_mock/owner/events/{BOOKED}/move",
        {"start": "now"},
        409,
    ),
    (
        "POST",
        "/_mock/owner/events/{event_id}/respond",
        f"/_mock/owner/events/{BOOKED}/respond",
        {"status": "accepted"},
        409,
    ),
    ("DELETE", "/_mock/owner/events/{event_id}", "/_mock/owner/events/evt_no", None, 404),
    ("DELETE", "/_mock/owner/events/{event_id}", f"/_mock/owner/events/{HOLIDAY}", None, 409),
    (
        "POST",
        "/_mock/owner/profiles/{profile_id}/calendars",
        "/_mock/owner/profiles/pro_a11cedemo0001/calendars",
        {"name": "Side"},
        201,
    ),
    (
        "POST",
        "/_mock/owner/profiles/{profile_id}/calendars",
        "/_mock/owner/profiles/pro_a11cedemo0001/calendars",
        {"name": ""},
        400,
    ),
    (
        "POST",
        "/_mock/owner/profiles/{profile_id}/calendars",
        "/_mock/owner/profiles/pro_no/calendars",
        {"name": "x"},
        404,
    ),
    (
        "DELETE",
        "/_mock/owner/calendars/{calendar_id}",
        "/_mock/owner/calendars/cal_a11cedemo0001_team",
        None,
        200,
    ),
    ("DELETE", "/_mock/owner/calendars/{calendar_id}", "/_mock/owner/calendars/cal_no", None, 404),
    (
        "POST",
        "/_mock/owner/profiles/{profile_id}/disconnect",
        "/_mock/owner/profiles/pro_a11cedemo0001/disconnect",
        None,
        200,
    ),
    (
        "POST",
        "/_mock/owner/profiles/{profile_id}/disconnect",
        "/_mock/owner/profiles/pro_no/disconnect",
        None,
        404,
    ),
    (
        "POST",
        "/_mock/owner/profiles/{profile_id}/reconnect",
        "/_mock/owner/profiles/pro_a11cedemo0001/reconnect",
        None,
        200,
    ),
    (
        "POST",
        "/_mock/owner/profiles/{profile_id}/reconnect",
        "/_mock/owner/profiles/pro_no/reconnect",
        None,
        404,
    ),
    ("GET", "/_mock/changes", "/_mock/changes?limit=3", None, 200),
    ("GET", "/_mock/changes", "/_mock/changes?since=x", None, 400),
    (
        "POST",
        "/_mock/deliveries/rules",
        "/_mock/deliveries/rules",
        {"action": "delay", "seconds": 5},
        201,
    ),
    ("POST", "/_mock/deliveries/rules", "/_mock/deliveries/rules", [{"action": "drop"}], 201),
    ("POST", "/_mock/deliveries/rules", "/_mock/deliveries/rules", {"action": "explode"}, 400),
    ("GET", "/_mock/deliveries/rules", "/_mock/deliveries/rules", None, 200),
    ("GET", "/_mock/deliveries/rules/{rule_id}", "/_mock/deliveries/rules/drl_1", None, 200),
    ("GET", "/_mock/deliveries/rules/{rule_id}", "/_mock/deliveries/rules/drl_404", None, 404),
    ("DELETE", "/_mock/deliveries/rules/{rule_id}", "/_mock/deliveries/rules/drl_1", None, 200),
    ("DELETE", "/_mock/deliveries/rules/{rule_id}", "/_mock/deliveries/rules/drl_1", None, 404),
    ("DELETE", "/_mock/deliveries/rules", "/_mock/deliveries/rules", None, 200),
    ("POST", "/_mock/deliveries/pause", "/_mock/deliveries/pause", {"provider": "cronofy"}, 200),
    ("POST", "/_mock/deliveries/pause", "/_mock/deliveries/pause", {"provider": "nope"}, 400),
    ("GET", "/_mock/deliveries/pause", "/_mock/deliveries/pause", None, 200),
    (
        "POST",
        "/_mock/cronofy/smart_invite",
        "/_mock/cronofy/smart_invite",
        {"callback_url": "http://127.0.0.1:9/invite", "smart_invite": {"smart_invite_id": "i1"}},
        202,
    ),
    ("POST", "/_mock/cronofy/smart_invite", "/_mock/cronofy/smart_invite", {}, 400),
    (
        "POST",
        "/_mock/cronofy/smart_invite",
        "/_mock/cronofy/smart_invite",
        {"callback_url": "http://127.0.0.1:9/x", "client_id": "nope"},
        404,
    ),
    ("GET", "/_mock/deliveries", "/_mock/deliveries?provider=cronofy", None, 200),
    ("GET", "/_mock/deliveries", "/_mock/deliveries?status=lost", None, 400),
    ("GET", "/_mock/deliveries/{delivery_id}", "/_mock/deliveries/dlv_1", None, 200),
    ("GET", "/_mock/deliveries/{delivery_id}", "/_mock/deliveries/dlv_404", None, 404),
    (
        "POST",
        "/_mock/deliveries/{delivery_id}/deliver",
        "/_mock/deliveries/dlv_404/deliver",
        None,
        404,
    ),
    ("POST", "/_mock/deliveries/resume", "/_mock/deliveries/resume", {}, 200),
    ("POST", "/_mock/deliveries/resume", "/_mock/deliveries/resume", {"provider": "nope"}, 400),
    ("POST", "/_mock/deliveries/flush", "/_mock/deliveries/flush", {"timeout": 10}, 200),
    ("POST", "/_mock/deliveries/flush", "/_mock/deliveries/flush", {"timeout": -1}, 400),
    (
        "POST",
        "/_mock/deliveries/{delivery_id}/deliver",
        "/_mock/deliveries/dlv_1/deliver",
        None,
        202,
    ),
    ("POST", "/_mock/deliveries/rules", "/_mock/deliveries/rules", {"action": "drop"}, 201),
    (
        "POST",
        "/_mock/cronofy/smart_invite",
        "/_mock/cronofy/smart_invite",
        {"callback_url": "http://127.0.0.1:9/dropped"},
        202,
    ),
    ("POST", "/_mock/deliveries/flush", "/_mock/deliveries/flush", None, 200),
    (
        "POST",
        "/_mock/deliveries/{delivery_id}/deliver",
        "/_mock/deliveries/dlv_2/deliver",
        None,
        409,
    ),
    ("GET", "/_mock/cronofy/channels", "/_mock/cronofy/channels", None, 200),
    ("POST", "/_mock/cronofy/notify", "/_mock/cronofy/notify", {"type": "x"}, 400),
    (
        "POST",
        "/_mock/cronofy/notify",
        "/_mock/cronofy/notify",
        {"type": "x", "channel_id": "chn_no"},
        404,
    ),
    ("DELETE", "/_mock/deliveries", "/_mock/deliveries", None, 200),
    (
        "POST",
        "/_mock/truto/integrated_accounts",
        "/_mock/truto/integrated_accounts",
        {"integration": "googlecalendar", "account": "acc_5ba21743f408617d1269ea1e"},
        201,
    ),
    (
        "POST",
        "/_mock/truto/integrated_accounts",
        "/_mock/truto/integrated_accounts",
        {"integration": "nope", "account": "acc_5ba21743f408617d1269ea1e"},
        400,
    ),
    (
        "DELETE",
        "/_mock/truto/integrated_accounts/{id}",
        f"/_mock/truto/integrated_accounts/{TRUTO_ACCOUNT}",
        None,
        200,
    ),
    (
        "DELETE",
        "/_mock/truto/integrated_accounts/{id}",
        "/_mock/truto/integrated_accounts/nope",
        None,
        404,
    ),
    ("GET", "/_mock/ui", "/_mock/ui", None, 200),
    (
        "GET",
        "/_mock/ui/calendars/{calendar_id}",
        "/_mock/ui/calendars/cal_a11cedemo0001_work",
        None,
        200,
    ),
    ("GET", "/_mock/ui/calendars/{calendar_id}", "/_mock/ui/calendars/cal_none", None, 404),
    (
        "GET",
        "/_mock/ui/calendars/{calendar_id}",
        "/_mock/ui/calendars/cal_a11cedemo0001_work?week=soon",
        None,
        400,
    ),
    ("GET", "/_mock/ui/events/{event_uid}", "/_mock/ui/events/evt_none", None, 404),
    ("GET", "/_mock/ui/journal", "/_mock/ui/journal?provider=cronofy", None, 200),
    ("GET", "/_mock/ui/journal/{entry_id}", "/_mock/ui/journal/999999", None, 404),
    ("GET", "/_mock/ui/controls", "/_mock/ui/controls", None, 200),
    ("GET", "/_mock/ui/deliveries", "/_mock/ui/deliveries", None, 200),
    ("GET", "/_mock/ui/static/{name}", "/_mock/ui/static/ui.js", None, 200),
    ("GET", "/_mock/ui/static/{name}", "/_mock/ui/static/nope.js", None, 404),
]


def validate(doc: dict[str, Any], template: str, method: str, response: httpx.Response) -> None:
    operation = doc["paths"][template][method.lower()]
    answers = operation["responses"]
    status = str(response.status_code)
    assert status in answers, f"{method} {template}: {status} is not documented"
    content = answers[status].get("content", {})
    media = response.headers.get("content-type", "").split(";")[0]
    assert media in content, f"{method} {template} {status}: {media} is not documented"
    if media != "application/json":
        return
    schema = content[media]["schema"]
    validator = Draft202012Validator(doc).evolve(schema=schema)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())
    ]
    assert not errors, f"{method} {template} {status}: {errors[:5]}"


def test_every_operation_answers_as_documented(client, doc, app):
    exercised = set()
    for method, template, path, body, status in CALLS:
        kwargs = {"json": body} if body is not None else {}
        response = client.request(method, path, **kwargs)
        assert response.status_code == status, (method, path, response.text[:300])
        validate(doc, template, method, response)
        exercised.add((template.rstrip("/") or "/", method.lower()))
    # the event page and the journal entry page once there is something to show
    ev = next(iter(client.get("/_mock/state").json()["accounts"][0]["profiles"][0]["calendars"]))
    uid = ev["events"][0]["uid"]
    validate(doc, "/_mock/ui/events/{event_uid}", "GET", client.get(f"/_mock/ui/events/{uid}"))
    client.get("/v1/calendars", headers=ALICE)
    entry_id = client.get("/_mock/journal").json()["entries"][-1]["id"]
    page = client.get(f"/_mock/ui/journal/{entry_id}")
    assert page.status_code == 200
    validate(doc, "/_mock/ui/journal/{entry_id}", "GET", page)
    exercised |= {("/_mock/ui/events/{event_uid}", "get"), ("/_mock/ui/journal/{entry_id}", "get")}
    exercised.add(("/_mock/ui/stream", "get"))  # an endless stream: tests/test_dashboard_browser.py
    untested = mock_routes(app) - exercised
    assert not untested, f"operations this test does not call: {sorted(untested)}"


def test_a_journal_entry_validates_in_full(client, doc):
    """An entry with a body and a response, and a fault rule as the list shows it."""
    body = {"event_id": "e1", "summary": "s", "start": "2030-01-01", "end": "2030-01-02"}
    client.post("/v1/calendars/cal_a11cedemo0001_work/events", json=body, headers=ALICE)
    client.post("/_mock/faults", json={"provider": "cronofy", "latency": [0, 0], "nth": 2})
    client.get("/v1/calendars", headers=ALICE)
    validate(doc, "/_mock/journal", "GET", client.get("/_mock/journal"))
    validate(doc, "/_mock/faults", "GET", client.get("/_mock/faults"))


def test_health(client):
    body = client.get("/_mock/health").json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["providers"] == registry.names()
    demo = read(demo_path())  # the demo world grows: count what it holds
    calendars = [c for a in demo["accounts"] for p in a["profiles"] for c in p["calendars"]]
    assert body["world"]["accounts"] == len(demo["accounts"])
    assert body["world"]["calendars"] == len(calendars)
    # Cal.com bookings add their Google events to the calendars' own
    assert body["world"]["events"] >= sum(len(c.get("events", [])) for c in calendars)
    assert body["uptime_seconds"] >= 0
    client.post("/_mock/seed", json={"version": 1, "accounts": []})
    assert client.get("/_mock/health").json()["world"] == {
        "accounts": 0,
        "calendars": 0,
        "events": 0,
    }


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/_mock/nowhere", 404),
        ("GET", "/_mock/journal/", 404),
        ("POST", "/_mock/ui/nowhere", 404),
        ("GET", "/_mock/ui/events/evt_nowhere", 404),
        ("PUT", "/_mock/journal", 405),
        ("GET", "/_mock/reset", 405),
        ("DELETE", "/_mock/clock", 405),
    ],
)
def test_every_mock_error_is_a_json_body(client, method, path, status):
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["path"] == path and body["error"]
    if status == 405:
        assert response.headers["allow"] == ", ".join(body["allow"])
        assert method not in body["allow"]


def test_mock_with_a_slash_is_the_index_not_a_redirect(client):
    response = client.get("/_mock/", follow_redirects=False)
    assert response.status_code == 200
    assert response.json() == client.get("/_mock").json()


def test_the_index_lists_every_provider_with_its_prefixes(client):
    body = client.get("/_mock").json()
    for provider in registry.providers():
        assert body["providers"][provider.name]["prefixes"] == list(provider.prefixes)
    assert {"/_mock/health", "/_mock/openapi.json", "/_mock/reset"} <= set(body["control"])
    assert body["dashboard"] == "/_mock/ui"


def test_root_is_a_small_index(client):
    as_json = client.get("/")
    assert as_json.status_code == 200
    assert as_json.json()["dashboard"] == "/_mock/ui"
    page = client.get("/", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.headers["content-type"].startswith("text/html")
    for link in ("/_mock/ui", "/_mock/openapi.json", "/_mock/health"):
        assert f'href="{link}"' in page.text
    for provider in registry.providers():
        assert provider.name in page.text
    assert client.get("/_mock/journal").json()["entries"] == []  # `/` is not a provider call


def test_dashboard_misses_are_pages_for_a_browser(client):
    page = client.get("/_mock/ui/events/evt_nowhere", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text


def test_a_bug_under_mock_is_a_json_500():
    from starlette.routing import Route

    from mockserver.testing import LiveServer

    async def broken(request):
        raise RuntimeError("boom")

    with LiveServer() as server:  # a real server: in-process, the exception reaches the test
        server.app.router.routes.insert(0, Route("/_mock/broken", broken))
        response = httpx.get(server.url + "/_mock/broken")
    assert response.status_code == 500
    assert response.json() == {"error": "internal error", "detail": "RuntimeError('boom')"}
