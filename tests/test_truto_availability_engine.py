"""Truto's availability on the core busy timeline, for what a contract cannot set up over HTTP:
declined invitations, series, all-day events, Outlook's raw statuses and paging over merged
intervals (rules S-T4, S-T5; S-E1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from mockserver.app import create_app
from mockserver.testing import asgi_client

TRUTO = {"Authorization": "Bearer trutoDemoApiToken000000000000001"}
GOOGLE = "a7a11ab1-0000-4000-8000-000000000001"
OUTLOOK = "a7a11ab1-0000-4000-8000-000000000002"
DAY = 5


def day() -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        days=DAY
    )


def ev(uid: str, start: str, end: str, **extra) -> dict:
    return {"uid": uid, "summary": uid, "start": start, "end": end, "tzid": "Etc/UTC", **extra}


def person(ident: str, provider: str, service: str, events: list[dict]) -> dict:
    return {
        "id": f"acc_{ident}",
        "email": f"{ident}@example.com",
        "name": ident.title(),
        "profiles": [
            {
                "id": f"pro_{ident}",
                "provider_name": provider,
                "provider_service": service,
                "name": f"{ident}@example.com",
                "calendars": [
                    {"id": f"cal_{ident}", "name": "Main", "primary": True, "events": events}
                ],
            }
        ],
    }


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    d = f"today+{DAY}d"
    ada = person(
        "ada",
        "google",
        "gsuite",
        [
            ev("evt_external_av01", f"{d}T08:00", f"{d}T09:00", participation_status="declined"),
            ev("evt_external_av02", f"{d}T09:00", f"{d}T10:00"),
            ev("evt_external_av03", f"{d}T09:30", f"{d}T10:30", status="tentative"),
            ev(
                "evt_external_av04",
                f"{d}T12:00",
                f"{d}T12:30",
                recurrence=["RRULE:FREQ=DAILY;COUNT=2"],
            ),
            ev(
                "evt_external_av05", f"today+{DAY + 2}d", f"today+{DAY + 3}d", transparency="opaque"
            ),
            ev("evt_external_av06", f"{d}T15:00", f"{d}T16:00", transparency="transparent"),
        ],
    )
    ben = person(
        "ben",
        "exchange",
        "office365",
        [
            ev("evt_external_av11", f"{d}T09:00", f"{d}T10:00", status="tentative"),
            ev("evt_external_av12", f"{d}T09:30", f"{d}T10:00", status="tentative"),
            ev("evt_external_av13", f"{d}T11:00", f"{d}T12:00", status="tentative"),
            ev("evt_external_av14", f"{d}T11:30", f"{d}T13:00"),
        ],
    )

    def account(ident: str, integration: str, who: dict) -> dict:
        return {
            "id": ident,
            "integration": integration,
            "account": who["id"],
            "environment": "env",
            "profile": who["profiles"][0]["id"],
        }

    world = {
        "version": 1,
        "accounts": [ada, ben],
        "truto": {
            "api_tokens": [{"token": TRUTO["Authorization"][7:], "environment": "env"}],
            "integrated_accounts": [
                account(GOOGLE, "googlecalendar", ada),
                account(OUTLOOK, "outlookcalendar", ben),
            ],
        },
    }
    with asgi_client(create_app(fixture=world)) as c:
        yield c


def ask(client: httpx.Client, account: str, days: int = 1, **params) -> dict:
    query = {
        "integrated_account_id": account,
        "calendar[id]": "primary",
        "start_time": day().isoformat(),
        "end_time": (day() + timedelta(days=days)).isoformat(),
        "timezone": "UTC",
        **params,
    }
    response = client.get("/unified/calendar/availability", params=query, headers=TRUTO)
    assert response.status_code == 200, response.text
    return response.json()


def spans(items: list[dict]) -> list[tuple[str, str]]:
    return [(i["start_time"][5:16], i["end_time"][5:16]) for i in items]


def test_declined_events_make_no_busy_time_and_overlaps_merge(client: httpx.Client) -> None:
    items = ask(client, GOOGLE)["result"]
    first = day().strftime("%m-%d")
    assert spans(items) == [
        (
            f"{first}T09:00",
            f"{first}T10:30",
        ),  # busy + overlapping tentative; not the declined 08:00
        (f"{first}T12:00", f"{first}T12:30"),
    ]


def test_series_and_all_day_events_count(client: httpx.Client) -> None:
    items = ask(client, GOOGLE, days=4)["result"]
    dates = [(day() + timedelta(days=n)).strftime("%m-%d") for n in range(4)]
    assert spans(items)[1:] == [
        (f"{dates[0]}T12:00", f"{dates[0]}T12:30"),
        (f"{dates[1]}T12:00", f"{dates[1]}T12:30"),  # the series' second instance
        (f"{dates[2]}T00:00", f"{dates[3]}T00:00"),  # the all-day event, in the asked zone
    ]


def test_outlook_raw_status_is_tentative_only_when_every_event_is(client: httpx.Client) -> None:
    items = ask(client, OUTLOOK)["result"]
    raw = [
        (i["start_time"][11:16], i["end_time"][11:16], i["remote_data"]["status"]) for i in items
    ]
    assert raw == [("09:00", "10:00", "tentative"), ("11:00", "13:00", "busy")]


def test_paging_over_merged_intervals(client: httpx.Client) -> None:
    everything = ask(client, GOOGLE, days=4)["result"]
    seen, cursor = [], None
    while True:
        extra = {"limit": 1, **({"next_cursor": cursor} if cursor else {})}
        page = ask(client, GOOGLE, days=4, **extra)
        seen += page["result"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == everything and len(seen) == 4
