"""Tenant isolation: a world with two tenants per provider, and every read, write and delete
of tenant A's ids made with tenant B's credentials, over all three dialects, the idempotency
path and the paging paths. Each probe asserts that nothing of A's shows in B's answer (A's
titles, ids and addresses) and, for writes, that the world did not change.

Tenants: Cronofy, two accounts authorized by two different apps; Cal.com, two users with their
own Google connections and bookings; Truto, two environments, each with its own API token and
integrated accounts. The world is the contract world plus tenant B's Cronofy app and Truto
account. The probe count is printed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contracts.kit import WORLD
from mockserver.app import create_app
from mockserver.calcom.settings import CalcomSettings
from mockserver.cronofy.settings import CronofySettings
from mockserver.settings import Settings
from mockserver.state import ServerState
from mockserver.testing import asgi_client
from mockserver.truto.settings import TrutoSettings

SCOPES = (
    "read_account list_calendars read_events create_event delete_event read_free_busy "
    "create_calendar change_participation_status"
)
A_CRONOFY = {"Authorization": "Bearer contractAllScopesToken0000000001"}
B_CRONOFY = {"Authorization": "Bearer isoTenantBToken00000000000000001"}
A_CAL, B_CAL = "cal_c0ntract0001_work", "cal_c0ntract0002_other"
A_APP = ("contract_client_id_00000000000001", "contract_client_secret_000000000000000001")
B_APP = ("iso_client_b_00000000000000000001", "iso_client_b_secret_00000000000000001")
A_KEY = {"Authorization": "Bearer cal_test_contractHost000000000000001"}
B_KEY = {"Authorization": "Bearer cal_test_contractOther00000000000001"}
V2024 = {"cal-api-version": "2024-08-13"}
A_BOOKING, A_GOOGLE = "ctHostBooking0000000001", "c0ntractb00k1ng00000000001"
A_TOKEN = {"Authorization": "Bearer contractTrutoApiToken00000000001"}
B_TOKEN = {"Authorization": "Bearer contractTrutoOtherEnvToken000001"}
A_ACCOUNTS = [f"c0a7c7e5-7e57-4000-8000-00000000000{i}" for i in range(1, 8)]
B_ACCOUNT = "1505a7e0-7e57-4000-8000-00000000000b"
EVENTS = "/unified/calendar/events"
PROBES = {"cronofy": 0, "calcom": 0, "truto": 0}


def world() -> dict[str, Any]:
    w = copy.deepcopy(WORLD())
    w["cronofy"]["apps"].append(
        {"client_id": B_APP[0], "client_secret": B_APP[1], "name": "Tenant B app"}
    )
    w["cronofy"]["authorizations"].append(
        {
            "label": "tenant-b",
            "app": B_APP[0],
            "account": "acc_c0ntract0000000000000002",
            "scope": SCOPES,
            "access_token": B_CRONOFY["Authorization"].split()[1],
            "refresh_token": "isoTenantBRefresh0000000000000001",
        }
    )
    w["truto"]["integrated_accounts"].append(
        {
            "id": B_ACCOUNT,
            "integration": "googlecalendar",
            "account": "acc_c0ntract0000000000000002",
            "profile": "pro_c0ntract0002",
            "environment": "other",
            "label": "tenant-b",
        }
    )
    return w


@pytest.fixture(scope="module")
def server() -> ServerState:
    return ServerState(
        Settings(
            cronofy=CronofySettings(page_size=1),
            calcom=CalcomSettings(rate_limit=False, profile="oss-2026"),
            truto=TrutoSettings(rate_limit=False),
        ),
        fixture=world(),
    )


@pytest.fixture(scope="module")
def client(server: ServerState) -> Iterator[httpx.Client]:
    with asgi_client(create_app(state=server)) as c:
        yield c
    print(f"\ntenant isolation: probes per provider: {PROBES}")


class Tenant:
    """Tenant A's secrets (what B must never see) and the probes B makes."""

    def __init__(self, client: httpx.Client, server: ServerState, provider: str) -> None:
        self.client, self.server, self.provider = client, server, provider
        self.secrets: set[str] = set()

    def learn(self, *values: Any) -> None:
        for value in values:
            if isinstance(value, str) and len(value) >= 6:
                self.secrets.add(value)

    def probe(
        self, method: str, path: str, *, changes: bool = False, **kwargs: Any
    ) -> httpx.Response:
        """B's request: no 5xx, none of A's secrets in the answer, and (unless it is B's own
        write, `changes=True`) the world exactly as it was."""
        before = self.server.dump()
        answer = self.client.request(method, path, **kwargs)
        PROBES[self.provider] += 1
        where = (method, path, answer.status_code, answer.text[:300])
        assert answer.status_code < 500, where
        sent = str(kwargs.get("params", "")) + str(kwargs.get("json", "")) + path
        leaked = [s for s in self.secrets if s in answer.text and s not in sent]
        assert not leaked, (where, leaked)
        if not changes:
            assert self.server.dump() == before, where
        return answer


# -- Cronofy: two accounts, two apps ----------------------------------------------------------


def test_cronofy_tenants_are_isolated(client, server) -> None:
    a = Tenant(client, server, "cronofy")
    made = {
        "event_id": "tenant-a-managed",
        "summary": "Tenant A managed secret",
        "start": "2030-01-08T10:00:00Z",
        "end": "2030-01-08T11:00:00Z",
    }
    assert (
        client.post(f"/v1/calendars/{A_CAL}/events", json=made, headers=A_CRONOFY).status_code
        == 202
    )
    read = {"tzid": "Etc/UTC", "include_managed": "true"}
    first = client.get("/v1/events", params=read, headers=A_CRONOFY).json()
    next_page = first["pages"]["next_page"]
    events = [e for e in _cronofy_all(client, A_CRONOFY, read)]
    assert any(e["summary"] == made["summary"] for e in events)
    for e in events:
        a.learn(e["summary"], e["event_uid"], e.get("description"))
    a.learn("contract@example.com", "pro_c0ntract0001", A_CAL, "cal_c0ntract0001_second")
    uid = next(e["event_uid"] for e in events if e["event_uid"].startswith("evt_external"))
    with pytest.raises(AssertionError):  # the probe sees a leak: A's own read shows A's events
        a.probe("GET", "/v1/events", params=read, headers=A_CRONOFY)
    PROBES["cronofy"] -= 1  # that one checked the probe, not the fake

    for params in (
        read,
        {**read, "calendar_ids[]": A_CAL},
        {**read, "only_managed": "true"},
        {**read, "include_deleted": "true", "last_modified": "2000-01-01T00:00:00Z"},
    ):
        for answer in _pages(a, "/v1/events", params):
            assert answer.status_code in (200, 422)
        a.probe("GET", "/v1/free_busy", params=params, headers=B_CRONOFY)
    assert a.probe("GET", next_page, headers=B_CRONOFY).status_code in (401, 404)
    for path in ("/v1/calendars", "/v1/userinfo", "/v1/account", "/v1/profiles"):
        assert a.probe("GET", path, headers=B_CRONOFY).status_code == 200
    writes = [
        ("POST", f"/v1/calendars/{A_CAL}/events", {**made, "summary": "B was here"}),
        ("POST", f"/v1/calendars/{A_CAL}/events", {"event_uid": uid, "summary": "B was here"}),
        ("POST", f"/v1/calendars/{B_CAL}/events", {"event_uid": uid, "summary": "B was here"}),
        ("DELETE", f"/v1/calendars/{A_CAL}/events", {"event_id": made["event_id"]}),
        ("DELETE", f"/v1/calendars/{A_CAL}/events", {"event_uid": uid}),
        ("DELETE", f"/v1/calendars/{B_CAL}/events", {"event_uid": uid}),
        ("POST", f"/v1/calendars/{A_CAL}/events/{uid}/participation_status", {"status": "declined"}),
        ("DELETE", "/v1/events", {"calendar_ids": [A_CAL]}),
        ("POST", "/v1/calendars", {"profile_id": "pro_c0ntract0001", "name": "B's"}),
        ("POST", "/v1/batch", {"batch": [{"method": "DELETE", "relative_url": f"/v1/calendars/{A_CAL}/events", "data": {"event_id": made["event_id"]}}]}),
    ]  # fmt: skip
    for method, path, body in writes:
        answer = a.probe(method, path, json=body, headers=B_CRONOFY)
        assert answer.status_code in (207, 404, 422), (method, path, answer.text)
    # OAuth: A's refresh token is not B's app's; B's app cannot revoke A's token
    refresh = {"grant_type": "refresh_token", "refresh_token": "contractRefreshToken000000000001"}
    a.probe(
        "POST", "/oauth/token", json={**refresh, "client_id": B_APP[0], "client_secret": B_APP[1]}
    )
    revoke = {
        "token": "contractAllScopesToken0000000001",
        "client_id": B_APP[0],
        "client_secret": B_APP[1],
    }
    a.probe("POST", "/oauth/token/revoke", json=revoke)
    assert client.get("/v1/account", headers=A_CRONOFY).status_code == 200  # A's token still works


def _cronofy_all(
    client: httpx.Client, headers: dict[str, str], params: dict[str, str]
) -> list[dict]:
    out, answer = [], client.get("/v1/events", params=params, headers=headers)
    while True:
        page = answer.json()
        out += page["events"]
        nxt = page["pages"].get("next_page")
        if not nxt:
            return out
        answer = client.get(nxt, headers=headers)


def _pages(a: Tenant, path: str, params: dict[str, str]) -> list[httpx.Response]:
    answers = [a.probe("GET", path, params=params, headers=B_CRONOFY)]
    while answers[-1].status_code == 200 and answers[-1].json()["pages"].get("next_page"):
        answers.append(a.probe("GET", answers[-1].json()["pages"]["next_page"], headers=B_CRONOFY))
    return answers


# -- Cal.com: two users -----------------------------------------------------------------------


def test_calcom_tenants_are_isolated(client, server) -> None:
    a = Tenant(client, server, "calcom")
    mine = client.get("/v2/bookings", headers={**A_KEY, **V2024}).json()["data"]
    assert mine
    for b in mine:
        a.learn(b["uid"], b["title"], *(x["email"] for x in b["attendees"]))
    a.learn(A_GOOGLE, "calhost@contract.example", "side-projects@group.calendar.example.com")
    window = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}
    with pytest.raises(AssertionError):  # the probe sees a leak: A's own list shows A's
        a.probe("GET", "/v2/bookings", headers={**A_KEY, **V2024})
    PROBES["calcom"] -= 1
    reads = [
        ("/v2/bookings", {}),
        ("/v2/bookings", {"bookingUid": A_BOOKING}),
        ("/v2/bookings", {"attendeeEmail": "ada@contract.example"}),
        ("/v2/bookings", {"take": "1", "skip": "1"}),
        ("/v2/bookings", {"status": "upcoming,past,cancelled", "take": "2"}),
        (f"/v2/bookings/{A_BOOKING}/references", {}),
        (f"/v2/calendars/google/event/{A_GOOGLE}", {}),
        ("/v2/calendars", {}),
        ("/v2/me", {}),
        ("/v2/calendars/google/events", window),
        ("/v2/calendars/google/events", {**window, "calendarId": "calhost@contract.example"}),
        ("/v2/calendars/google/freebusy", {**window, "calendarId": "calhost@contract.example"}),
        ("/v2/calendars/connections", {}),
        ("/v2/calendars/connections/201/events", window),
        (f"/v2/calendars/connections/201/events/{A_GOOGLE}", {}),
        ("/v2/calendars/connections/201/freebusy", window),
        (
            "/v2/calendars/busy-times",
            {
                "loggedInUsersTz": "UTC",
                "dateFrom": "2000-01-01",
                "dateTo": "2100-01-01",
                "calendarsToLoad[0][credentialId]": "201",
                "calendarsToLoad[0][externalId]": "calhost@contract.example",
            },
        ),
    ]
    for path, params in reads:
        a.probe("GET", path, params=params, headers={**B_KEY, **V2024})
    writes = [
        ("PATCH", f"/v2/calendars/google/events/{A_GOOGLE}", {"title": "B was here"}),
        ("DELETE", f"/v2/calendars/google/events/{A_GOOGLE}", None),
        ("PATCH", f"/v2/calendars/connections/201/events/{A_GOOGLE}", {"title": "B was here"}),
        ("DELETE", f"/v2/calendars/connections/201/events/{A_GOOGLE}", None),
        ("POST", "/v2/calendars/connections/201/events", {
            "title": "B's", "start": {"time": "2030-01-08T10:00:00Z", "timeZone": "UTC"},
            "end": {"time": "2030-01-08T11:00:00Z", "timeZone": "UTC"}}),
    ]  # fmt: skip
    for method, path, body in writes:
        answer = a.probe(method, path, json=body, headers={**B_KEY, **V2024})
        assert answer.status_code in (400, 404), (method, path, answer.text)


# -- Truto: two environments ------------------------------------------------------------------


def test_truto_tenants_are_isolated(client, server) -> None:
    a = Tenant(client, server, "truto")
    window = {"start_time": "2000-01-01T00:00:00Z", "end_time": "2100-01-01T00:00:00Z"}
    listed = client.get(
        EVENTS,
        params={"integrated_account_id": A_ACCOUNTS[0], "calendar[id]": "primary", **window, "limit": "1"},
        headers=A_TOKEN,
    ).json()  # fmt: skip
    cursor = listed["next_cursor"]
    a_event = listed["result"][0]["id"]
    for acc in A_ACCOUNTS:
        a.learn(acc)
        for e in _truto_all(client, A_TOKEN, acc, window):
            a.learn(e.get("title"), e.get("id"))
    resources = ["calendars", "availability", "event_types", "users", "contacts", "attachments"]
    with pytest.raises(AssertionError):  # the probe sees a leak: A's own list shows A's
        a.probe("GET", EVENTS, params={"integrated_account_id": A_ACCOUNTS[0], "calendar[id]": "primary", **window}, headers=A_TOKEN)  # fmt: skip
    PROBES["truto"] -= 1
    for acc in A_ACCOUNTS:
        base = {"integrated_account_id": acc, "calendar[id]": "primary", **window}
        assert a.probe("GET", EVENTS, params=base, headers=B_TOKEN).status_code == 404
        assert (
            a.probe("GET", f"{EVENTS}/{a_event}", params=base, headers=B_TOKEN).status_code == 404
        )
        for resource in resources:
            path = f"/unified/calendar/{resource}"
            assert a.probe("GET", path, params=base, headers=B_TOKEN).status_code == 404
        body = {"calendar": {"id": "primary"}, "title": "B was here", **window, "timezone": "UTC"}
        params = {"integrated_account_id": acc}
        for method, path in (("POST", EVENTS), ("PATCH", f"{EVENTS}/{a_event}")):
            assert (
                a.probe(method, path, params=params, json=body, headers=B_TOKEN).status_code == 404
            )
        assert (
            a.probe("DELETE", f"{EVENTS}/{a_event}", params=base, headers=B_TOKEN).status_code
            == 404
        )
    # B on its own account: A's id is unknown there; A's cursor shows nothing of A's
    own = {"integrated_account_id": B_ACCOUNT, "calendar[id]": "primary", **window}
    assert a.probe("GET", f"{EVENTS}/{a_event}", params=own, headers=B_TOKEN).status_code == 404
    a.probe("GET", EVENTS, params={**own, "next_cursor": cursor}, headers=B_TOKEN)
    for resource in resources:
        a.probe("GET", f"/unified/calendar/{resource}", params=own, headers=B_TOKEN)
    # idempotency: A's key is A's; the same key on B's account creates B's own event, and on
    # A's account with B's token it is refused, not replayed
    key = {"Idempotency-Key": "shared-key-between-tenants"}
    a_body = {
        "calendar": {"id": "primary"},
        "title": "Tenant A keyed secret",
        **_slot(),
        "timezone": "UTC",
    }
    first = client.post(
        EVENTS,
        params={"integrated_account_id": A_ACCOUNTS[0]},
        json=a_body,
        headers={**A_TOKEN, **key},
    )
    assert first.status_code == 201
    a.learn(first.json()["id"], a_body["title"])
    b_body = {**a_body, "title": "Tenant B keyed"}
    replay = a.probe(
        "POST",
        EVENTS,
        params={"integrated_account_id": A_ACCOUNTS[0]},
        json=b_body,
        headers={**B_TOKEN, **key},
    )
    assert replay.status_code == 404 and "Idempotent-Replayed" not in replay.headers
    made = a.probe(
        "POST",
        EVENTS,
        params={"integrated_account_id": B_ACCOUNT},
        json=b_body,
        headers={**B_TOKEN, **key},
        changes=True,
    )
    assert made.status_code == 201 and made.json()["title"] == "Tenant B keyed"
    assert "Idempotent-Replayed" not in made.headers  # fmt: skip


def _slot() -> dict[str, str]:
    return {"start_time": "2030-01-08T10:00:00Z", "end_time": "2030-01-08T10:30:00Z"}


def _truto_all(
    client: httpx.Client, headers: dict[str, str], account: str, window: dict[str, str]
) -> list[dict]:
    params: dict[str, str] = {"integrated_account_id": account, "calendar[id]": "primary", **window}
    out: list[dict] = []
    for _ in range(100):
        answer = client.get(EVENTS, params=params, headers=headers)
        if answer.status_code != 200:
            return out  # an integration without events, or that needs other parameters
        page = answer.json()
        out += page["result"]
        if not page.get("next_cursor"):
            return out
        params["next_cursor"] = page["next_cursor"]
    return out
