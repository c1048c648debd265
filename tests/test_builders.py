"""World builders for every provider's data: a `random_world` (or a hand-built world) gives
Cronofy, Cal.com and Truto working credentials, and the pytest plugin's credential fixtures
find them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest

from mockserver.app import create_app
from mockserver.builders import WorldBuilder, random_world
from mockserver.calcom.testing import calcom_credentials_of
from mockserver.cronofy.testing import cronofy_credentials_of
from mockserver.state import ServerState, check
from mockserver.testing import asgi_client
from mockserver.truto.testing import truto_credentials_of


@pytest.fixture
def world_client() -> Iterator[tuple[ServerState, httpx.Client]]:
    state = ServerState(fixture=random_world(seed=42, accounts=2, calendars=2, events=5))
    with asgi_client(create_app(state=state)) as client:
        yield state, client


def test_random_world_is_valid_and_has_every_providers_section():
    world = random_world(seed=3, accounts=2)
    assert check(world) == []
    assert {"cronofy", "calcom", "truto"} <= set(world)
    assert len(world["calcom"]["users"]) == 2
    assert len(world["truto"]["integrated_accounts"]) == 2


def test_the_same_seed_gives_the_same_world():
    assert random_world(seed=9, accounts=2) == random_world(seed=9, accounts=2)


def test_cronofy_credentials_work(world_client):
    state, client = world_client
    creds = cronofy_credentials_of(state, "http://testserver")
    auth = {"Authorization": f"Bearer {creds.access_token}"}
    assert len(client.get("/v1/calendars", headers=auth).json()["calendars"]) == 2


def test_calcom_credentials_work(world_client):
    state, client = world_client
    creds = calcom_credentials_of(state, "http://testserver")
    assert creds.access_token is not None
    for token in (creds.api_key, creds.access_token):
        headers = {"Authorization": f"Bearer {token}", "cal-api-version": creds.api_version}
        me = client.get("/v2/me", headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["data"]["email"] == creds.email
    key = {"Authorization": f"Bearer {creds.api_key}", "cal-api-version": creds.api_version}
    start = f"{date.today() + timedelta(days=45)}T10:00:00Z"  # past the random events
    booking = client.post(
        "/v2/bookings",
        headers={"cal-api-version": creds.api_version},
        json={
            "start": start,
            "eventTypeId": 1,
            "attendee": {"name": "Jo", "email": "jo@example.net", "timeZone": "UTC"},
        },
    )
    assert booking.status_code == 201, booking.text
    uid = booking.json()["data"]["uid"]
    refs = client.get(f"/v2/bookings/{uid}/references", headers=key)
    assert refs.status_code == 200 and refs.json()["data"], refs.text


def test_truto_credentials_work(world_client):
    state, client = world_client
    creds = truto_credentials_of(state, "http://testserver")
    auth = {"Authorization": f"Bearer {creds.api_token}"}
    for account in creds.accounts["googlecalendar"]:
        params = {"integrated_account_id": account, "calendar[id]": "primary"}
        response = client.get("/unified/calendar/events", params=params, headers=auth)
        assert response.status_code == 200, response.text
        assert len(response.json()["result"]) == 5


def test_hand_built_parts_for_every_provider():
    b = WorldBuilder(seed=1)
    ada = b.account(name="Ada Lovelace", tzid="Europe/London")
    ada.calendar("Engines")
    bob = b.account(name="Bob Outlook")
    bob.profile("live_connect", provider_service="office365").calendar("Mail")
    b.cronofy_token(ada)
    key = b.calcom_api_key(ada, "cal_live_adaKey000000000000001")
    b.calcom.event_type(ada, "Intro call", length=15)
    token = b.truto.api_token("trutoAdaToken0000000000000000001", environment="prod")
    google = b.truto_integrated_account(ada, environment="prod")
    outlook = b.truto.integrated_account(bob, "outlookcalendar", environment="prod")
    world = b.build()
    assert check(world) == []
    state = ServerState(fixture=world)
    calcom = calcom_credentials_of(state, "http://x")
    assert calcom.username == "ada.lovelace"
    assert key in {k["key"] for u in calcom.users for k in u["api_keys"]}
    assert [et["title"] for et in world["calcom"]["eventTypes"]] == ["Intro call"]
    truto = truto_credentials_of(state, "http://x")
    assert truto.api_token == token and truto.environment == "prod"
    assert truto.accounts == {"googlecalendar": (google,), "outlookcalendar": (outlook,)}
