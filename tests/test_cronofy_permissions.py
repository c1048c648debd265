"""POST /v1/permissions and the consent URL it hands out (reference/cronofy.md §2.5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client

WORLD = json.loads((Path(__file__).parents[1] / "contracts" / "world.json").read_text())
TOKEN = {"Authorization": "Bearer contractAllScopesToken0000000001"}
SANDBOX = "cal_c0ntract0001_sandbox"
SANDBOX_EVENT = "evt_external_c0ntract000000000000101"


@pytest.fixture
def client():
    with asgi_client(create_app(fixture=WORLD)) as c:
        yield c


def level(client, calendar_id: str) -> str:
    cals = client.get("/v1/calendars", headers=TOKEN).json()["calendars"]
    return next(c["permission_level"] for c in cals if c["calendar_id"] == calendar_id)


def edit(client) -> int:
    body = {
        "event_uid": SANDBOX_EVENT,
        "summary": "Edited",
        "start": "2030-01-01",
        "end": "2030-01-02",
    }
    return client.post(f"/v1/calendars/{SANDBOX}/events", json=body, headers=TOKEN).status_code


def test_consent_url_grants_unrestricted_access_and_redirects(client):
    assert level(client, SANDBOX) == "sandbox"
    assert edit(client) == 403
    body = {
        "permissions": [{"calendar_id": SANDBOX, "permission_level": "unrestricted"}],
        "redirect_uri": "http://127.0.0.1/done",
    }
    response = client.post("/v1/permissions", json=body, headers=TOKEN)
    assert response.status_code == 200
    url = response.json()["permissions_request"]["url"]
    assert level(client, SANDBOX) == "sandbox"  # nothing changes until the user consents
    consent = client.get(url)
    assert consent.status_code == 302
    assert consent.headers["location"] == "http://127.0.0.1/done"
    assert level(client, SANDBOX) == "unrestricted"
    assert edit(client) == 202
    assert client.get(url).status_code == 404  # a consent URL works once


@pytest.mark.parametrize(
    "body, field",
    [
        ({"redirect_uri": "http://127.0.0.1/x"}, "permissions"),
        (
            {"permissions": [{"calendar_id": SANDBOX, "permission_level": "unrestricted"}]},
            "redirect_uri",
        ),
        (
            {
                "permissions": [{"calendar_id": SANDBOX, "permission_level": "root"}],
                "redirect_uri": "http://127.0.0.1/x",
            },
            "permissions",
        ),
    ],
)
def test_bad_permission_requests_are_422(client, body, field):
    response = client.post("/v1/permissions", json=body, headers=TOKEN)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert level(client, SANDBOX) == "sandbox"


def test_another_accounts_calendar_is_404(client):
    body = {
        "permissions": [
            {"calendar_id": "cal_c0ntract0002_other", "permission_level": "unrestricted"}
        ],
        "redirect_uri": "http://127.0.0.1/x",
    }
    assert client.post("/v1/permissions", json=body, headers=TOKEN).status_code == 404
