"""`/_mock/*`: reset, seed, state, credentials, clock and settings."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.app import create_app
from mockserver.core.fixtures import read
from mockserver.testing import asgi_client

WORLD = read(Path(__file__).resolve().parents[1] / "contracts" / "world.json")
TOKEN = "contractAllScopesToken0000000001"
CLIENT = {
    "client_id": "contract_client_id_00000000000001",
    "client_secret": "contract_client_secret_000000000000000001",
}
REFRESH = "contractRefreshToken000000000001"
WORK = "cal_c0ntract0001_work"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FROZEN_AT = "2026-03-07T15:45:30Z"
# these tests run on a frozen clock; a plain reset would put it back to real time
KEEP_CLOCK = {"keep": ["clock"]}


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    app = create_app(fixture=copy.deepcopy(WORLD))
    with asgi_client(app) as c:
        # a frozen clock, so relative times resolve the same on every load
        assert c.post("/_mock/clock", json={"set": FROZEN_AT, "freeze": True}).status_code == 200
        assert c.post("/_mock/reset", json=KEEP_CLOCK).status_code == 200
        yield c


def state(c: httpx.Client) -> dict[str, Any]:
    response = c.get("/_mock/state")
    assert response.status_code == 200
    return response.json()


def upsert(c: httpx.Client, event_id: str, **extra: Any) -> httpx.Response:
    body = {
        "event_id": event_id,
        "summary": f"Event {event_id}",
        "start": "2026-03-09T10:00:00Z",
        "end": "2026-03-09T11:00:00Z",
        **extra,
    }
    return c.post(f"/v1/calendars/{WORK}/events", json=body, headers=AUTH)


def make_changes(c: httpx.Client) -> None:
    """Writes of every kind the Cronofy surface has."""
    assert upsert(c, "a").status_code == 202
    assert upsert(c, "b", description="d", location={"description": "Room"}).status_code == 202
    assert (
        upsert(
            c,
            "series",
            recurrence={"rules": [{"frequency": "weekly", "count": 3}]},
            attendees={"invite": [{"email": "x@example.com", "display_name": "X"}]},
            reminders=[{"minutes": 10}],
            url="https://example.com/a",
            transparency="transparent",
            tzid="Europe/Paris",
        ).status_code
        == 202
    )
    deleted = c.request(
        "DELETE", f"/v1/calendars/{WORK}/events", json={"event_id": "a"}, headers=AUTH
    )
    assert deleted.status_code == 202
    created = c.post(
        "/v1/calendars", json={"profile_id": "pro_c0ntract0001", "name": "New one"}, headers=AUTH
    )
    assert created.status_code == 200
    part = c.post(
        f"/v1/calendars/{WORK}/events/evt_external_c0ntract000000000000001/participation_status",
        json={"status": "accepted"},
        headers=AUTH,
    )
    assert part.status_code == 202
    refreshed = c.post(
        "/oauth/token", json={"grant_type": "refresh_token", "refresh_token": REFRESH, **CLIENT}
    )
    assert refreshed.status_code == 200


def events_seen(c: httpx.Client, token: str = TOKEN) -> list[str]:
    response = c.get(
        "/v1/events",
        params={"tzid": "Etc/UTC", "include_managed": "true"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return sorted(e["event_uid"] for e in response.json()["events"])


# -- reset -------------------------------------------------------------------------------------


def test_reset_restores_the_loaded_world_after_writes(client: httpx.Client) -> None:
    loaded, seen = state(client), events_seen(client)
    make_changes(client)
    assert state(client) != loaded
    response = client.post("/_mock/reset", json=KEEP_CLOCK)
    assert response.status_code == 200
    assert response.json()["status"] == "reset"
    assert state(client) == loaded
    assert events_seen(client) == seen
    make_changes(client)  # and the reset world takes the same writes again
    assert client.post("/_mock/reset", json=KEEP_CLOCK).status_code == 200
    assert state(client) == loaded


# -- seed --------------------------------------------------------------------------------------


def small_world(name: str = "Solo") -> dict[str, Any]:
    return {
        "version": 1,
        "accounts": [
            {
                "id": "acc_solo",
                "email": "solo@example.com",
                "name": name,
                "profiles": [
                    {
                        "id": "pro_solo",
                        "provider_name": "apple",
                        "name": "solo@example.com",
                        "calendars": [
                            {
                                "id": "cal_solo",
                                "name": "Solo",
                                "events": [
                                    {
                                        "uid": "evt_solo",
                                        "summary": "Alone",
                                        "start": "today+1dT09:00",
                                        "end": "today+1dT10:00",
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
        "cronofy": {
            "apps": [{"client_id": "solo_app", "client_secret": "solo_secret"}],
            "authorizations": [
                {
                    "app": "solo_app",
                    "account": "acc_solo",
                    "scope": "read_write",
                    "access_token": "soloToken0000001",
                }
            ],
        },
    }


def test_seed_replaces_the_world_and_reset_returns_to_the_seed(client: httpx.Client) -> None:
    response = client.post("/_mock/seed", json=small_world())
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "seeded", "accounts": 1, "calendars": 1, "events": 1}
    seeded = state(client)
    assert [a["id"] for a in seeded["accounts"]] == ["acc_solo"]
    assert client.get("/v1/account", headers=AUTH).status_code == 401  # the old token is gone
    solo = {"Authorization": "Bearer soloToken0000001"}
    assert client.get("/v1/account", headers=solo).json()["account"]["account_id"] == "acc_solo"
    assert events_seen(client, "soloToken0000001") == ["evt_solo"]
    client.post(
        "/v1/calendars/cal_solo/events",
        json={"event_id": "x", "summary": "s", "start": "2026-03-09", "end": "2026-03-10"},
        headers=solo,
    )
    assert client.post("/_mock/reset", json=KEEP_CLOCK).status_code == 200
    assert state(client) == seeded


BAD_WORLDS = [
    ({"accounts": "nope"}, "$.accounts"),
    ({"accounts": [], "extra": 1}, "$"),
    ([], "$"),
    ("world", "$"),
    (
        {
            **small_world(),
            "cronofy": {
                "apps": [],
                "authorizations": [
                    {
                        "app": "x",
                        "account": "acc_solo",
                        "scope": "read_events",
                        "access_token": "t" * 10,
                    }
                ],
            },
        },
        "$.cronofy.authorizations[0].app",
    ),
]


@pytest.mark.parametrize(("bad", "where"), BAD_WORLDS)
def test_a_bad_seed_is_400_with_problems_and_the_old_world_stays(
    client: httpx.Client, bad: Any, where: str
) -> None:
    make_changes(client)
    before, seen = state(client), events_seen(client)
    response = client.post("/_mock/seed", json=bad)
    assert response.status_code == 400
    body = response.json()
    assert body["error"]
    assert any(p["place"] == where for p in body["problems"]), body
    assert all(set(p) == {"place", "message"} for p in body["problems"])
    assert state(client) == before
    assert events_seen(client) == seen


def test_a_seed_of_broken_json_is_400(client: httpx.Client) -> None:
    before = state(client)
    for raw in (b"{", b"\xff", b'{"accounts": [}'):
        response = client.post("/_mock/seed", content=raw)
        assert response.status_code == 400
        assert response.json()["error"]
    assert state(client) == before


def test_a_bad_seed_does_not_change_what_reset_returns_to(client: httpx.Client) -> None:
    loaded = state(client)
    assert client.post("/_mock/seed", json=BAD_WORLDS[-1][0]).status_code == 400
    make_changes(client)
    client.post("/_mock/reset", json=KEEP_CLOCK)
    assert state(client) == loaded


# -- state round trip --------------------------------------------------------------------------


def test_seeding_the_dumped_state_gives_the_same_state(client: httpx.Client) -> None:
    make_changes(client)
    dumped = state(client)
    response = client.post("/_mock/seed", json=dumped)
    assert response.status_code == 200, response.text
    assert state(client) == dumped
    assert client.get("/v1/account", headers=AUTH).status_code == 200


def test_the_round_trip_keeps_tokens_issued_at_any_moment(client: httpx.Client) -> None:
    """Tokens issued while the clock is between whole seconds still dump to a loadable file."""
    client.post("/_mock/clock", json={"set": "2026-03-07T15:45:30.123456Z"})
    refreshed = client.post(
        "/oauth/token", json={"grant_type": "refresh_token", "refresh_token": REFRESH, **CLIENT}
    )
    assert refreshed.status_code == 200
    new_token = refreshed.json()["access_token"]
    dumped = state(client)
    response = client.post("/_mock/seed", json=dumped)
    assert response.status_code == 200, response.text
    assert state(client) == dumped
    assert client.get("/v1/account", headers={"Authorization": f"Bearer {new_token}"}).is_success


def test_the_round_trip_keeps_what_reads_see(client: httpx.Client) -> None:
    make_changes(client)
    seen = events_seen(client)
    client.post("/_mock/seed", json=state(client))
    assert events_seen(client) == seen


# -- credentials -------------------------------------------------------------------------------


def test_credentials_list_the_cronofy_tokens(client: httpx.Client) -> None:
    response = client.get("/_mock/credentials")
    assert response.status_code == 200
    creds = response.json()["cronofy"]
    assert creds["base_url"] == "http://testserver"
    listed = {t["access_token"]: t for t in creds["tokens"]}
    for auth in WORLD["cronofy"]["authorizations"]:
        entry = listed[auth["access_token"]]
        assert entry["client_id"] == auth["app"]
        assert entry["account_id"] == auth["account"]
        assert entry["scope"] == auth["scope"]
        assert entry["label"] == auth.get("label")
    assert [a["client_id"] for a in creds["apps"]] == [
        a["client_id"] for a in WORLD["cronofy"]["apps"]
    ]
    # a token issued later shows up too
    new = client.post(
        "/oauth/token", json={"grant_type": "refresh_token", "refresh_token": REFRESH, **CLIENT}
    ).json()["access_token"]
    tokens = client.get("/_mock/credentials").json()["cronofy"]["tokens"]
    assert new in {t["access_token"] for t in tokens}


# -- clock -------------------------------------------------------------------------------------


def now(c: httpx.Client) -> str:
    return c.get("/_mock/clock").json()["now"]


def test_clock_freeze_set_advance(client: httpx.Client) -> None:
    described = client.get("/_mock/clock").json()
    assert described["frozen"] is True and described["now"].startswith("2026-03-07T15:45:30")
    assert (
        client.post("/_mock/clock", json={"advance": 90})
        .json()["now"]
        .startswith("2026-03-07T15:47:00")
    )
    assert now(client).startswith("2026-03-07T15:47:00")  # frozen: it does not move by itself
    set_to = client.post("/_mock/clock", json={"set": "2030-01-01T00:00:00+02:00"}).json()
    assert set_to["now"].startswith("2029-12-31T22:00:00")
    moving = client.post("/_mock/clock", json={"unfreeze": True}).json()
    assert moving["frozen"] is False and moving["now"].startswith("2029-12-31T22:00")
    again = client.post("/_mock/clock", json={"freeze": True, "advance": -3600}).json()
    assert again["frozen"] is True and again["now"].startswith("2029-12-31T21:00")
    back = client.post("/_mock/clock", json={"reset": True}).json()
    assert back["frozen"] is False and not back["now"].startswith("2029")


@pytest.mark.parametrize(
    "body",
    [
        {"set": "tomorrow"},
        {"set": 5},
        {"advance": "soon"},
        {"advance": []},
        {"advance": None},
        {"advance": 1e308},
        {"advance": 3e11},  # ~9500 years
        {"advance": -1e11},
        {"set": "0999-12-31T00:00:00Z"},
        {"set": "2026-01-01T00:00:00Z", "advance": 1e308},
    ],
)
def test_a_bad_clock_change_is_400_and_changes_nothing(client: httpx.Client, body: Any) -> None:
    before = client.get("/_mock/clock").json()
    response = client.post("/_mock/clock", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]
    assert client.get("/_mock/clock").json() == before
    assert client.get("/v1/account", headers=AUTH).status_code == 200


@pytest.mark.parametrize("frozen", [True, False])
def test_a_huge_advance_never_breaks_the_clock(client: httpx.Client, frozen: bool) -> None:
    if not frozen:
        client.post("/_mock/clock", json={"unfreeze": True})
    for seconds in (1e11, -1e11, 3e11):
        client.post("/_mock/clock", json={"advance": seconds})
        assert client.get("/_mock/clock").status_code == 200
        assert client.get("/v1/account", headers=AUTH).status_code == 200
        events = client.get("/v1/events", params={"tzid": "Etc/UTC"}, headers=AUTH)
        assert events.status_code == 200


def test_token_expiry_follows_the_clock(client: httpx.Client) -> None:
    issued = client.post(
        "/oauth/token", json={"grant_type": "refresh_token", "refresh_token": REFRESH, **CLIENT}
    ).json()
    fresh = {"Authorization": f"Bearer {issued['access_token']}"}
    assert issued["expires_in"] == 3600
    assert client.get("/v1/account", headers=fresh).status_code == 200
    client.post("/_mock/clock", json={"advance": 3599})
    assert client.get("/v1/account", headers=fresh).status_code == 200
    client.post("/_mock/clock", json={"advance": 1})
    assert client.get("/v1/account", headers=fresh).status_code == 401
    client.post("/_mock/clock", json={"advance": -10})  # time travel back: valid again
    assert client.get("/v1/account", headers=fresh).status_code == 200
    # the fixture's expired token ("now-1h" at load) is expired; setting the clock back revives it
    expired = {"Authorization": "Bearer contractExpiredToken000000000001"}
    assert client.get("/v1/account", headers=expired).status_code == 401
    client.post("/_mock/clock", json={"set": "2026-03-07T14:00:00Z"})
    assert client.get("/v1/account", headers=expired).status_code == 200
    # fixture tokens without expires_at never expire
    client.post("/_mock/clock", json={"advance": 10 * 365 * 86400})
    assert client.get("/v1/account", headers=AUTH).status_code == 200


# -- settings ----------------------------------------------------------------------------------


def test_settings_patch_applies_good_changes(client: httpx.Client) -> None:
    current = client.get("/_mock/settings").json()
    assert current["cronofy"]["page_size"] == 100
    response = client.patch("/_mock/settings", json={"cronofy": {"page_size": 2}})
    assert response.status_code == 200
    assert response.json()["cronofy"]["page_size"] == 2
    for i in range(3):
        upsert(client, f"p{i}")
    page = client.get(
        "/v1/events", params={"tzid": "Etc/UTC", "only_managed": "true"}, headers=AUTH
    ).json()
    assert len(page["events"]) == 2 and "next_page" in page["pages"]
    forced = client.patch("/_mock/settings", json={"cronofy": {"force_429": True}})
    assert forced.status_code == 200
    assert client.get("/v1/account", headers=AUTH).status_code == 429


@pytest.mark.parametrize(
    "body",
    [
        {"cronofy": {"page_size": "5"}},
        {"cronofy": {"page_size": 5.0}},
        {"cronofy": {"page_size": True}},
        {"cronofy": {"force_429": 1}},
        {"cronofy": {"no_such_setting": 1}},
        {"nope": {"page_size": 5}},
        {"cronofy": 5},
        {"cronofy": {"page_size": 0}},
        {"cronofy": {"page_size": -1}},
        {"cronofy": {"token_lifetime": -5}},
        {"cronofy": {"max_batch": -1}},
        {"cronofy": {"readonly_calendar_status": 999}},
        {"cronofy": {"external_refusal_status": 200}},
        {"cronofy": {"page_size": 5, "rate_limit": "yes"}},  # one bad change: none applied
        {"cronofy": {"page_size": 5}, "nope": {}},
    ],
)
def test_settings_patch_refuses_bad_changes_and_applies_none(
    client: httpx.Client, body: Any
) -> None:
    before = client.get("/_mock/settings").json()
    response = client.patch("/_mock/settings", json=body)
    assert response.status_code == 400, response.text
    problems = response.json()["problems"]
    assert problems and all(isinstance(p, str) for p in problems)
    assert client.get("/_mock/settings").json() == before
    assert events_seen(client)  # reads still work


@pytest.mark.parametrize("raw", [b"[1, 2]", b"{", b'"x"'])
def test_settings_patch_needs_a_json_object(client: httpx.Client, raw: bytes) -> None:
    before = client.get("/_mock/settings").json()
    assert client.patch("/_mock/settings", content=raw).status_code == 400
    assert client.get("/_mock/settings").json() == before
