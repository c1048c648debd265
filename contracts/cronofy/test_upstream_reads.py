"""Upstream replay: Read Events, Free-busy and their paging.

Each test replays an SDK test (or a docs example) of cronofy/pycronofy @ e0e3b3787d77,
cronofy/cronofy-ruby @ b75d79f275ca, cronofy/cronofy-node @ 042affa66fb2 or
cronofy/cronofy-csharp @ 8b98dd70fc8c over HTTP, against the replay account's external events
(see `replay_*` in conftest.py); its response fixtures are compared key by key. See
docs/EVIDENCE.md (Cronofy).
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest

from contracts.cronofy.upstream import DATE, LOCAL_TIME, UTC_TIME, assert_keys_like
from contracts.kit import fake_settings

UA_RUBY = "Cronofy Ruby 0.41.2"
STATUSES = {"free", "busy", "tentative", "unknown"}  # cronofy-csharp FreeBusyStatus


def replay(states) -> dict[str, Any]:
    return {"token": states.get("replay_access_token")}


def read(cronofy, states, path: str, params: dict[str, Any] | None = None, **kw: Any):
    response = cronofy.get(path, params=params or {"tzid": "Etc/UTC"}, **replay(states), **kw)
    assert response.status_code == 200, response.text
    return response.json()


def by_uid(events: list[dict[str, Any]], uid: str) -> dict[str, Any]:
    found = [e for e in events if e["event_uid"] == uid]
    assert len(found) == 1, [e["event_uid"] for e in events]
    return found[0]


def series(events: list[dict[str, Any]], uid: str) -> list[dict[str, Any]]:
    found = [e for e in events if e["event_uid"].startswith(uid)]
    assert found, [e["event_uid"] for e in events]
    return found


def iso(moment: datetime, sep: str = "T") -> str:
    return moment.strftime(f"%Y-%m-%d{sep}%H:%M:%SZ")


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def small_pages(target):
    """Two entries a page on a fake, so the replay account's five spans three pages; on a real
    API its own page size applies and the same invariants are checked."""
    return fake_settings(target, page_size=2) if target.is_fake else nullcontext()


# -- event fixtures -------------------------------------------------------------------------------

OPTIONS = {"delete": True, "update": True, "change_participation_status": True}
ATTENDEE = {
    "email": "example@cronofy.com",
    "display_name": "Example Person",
    "status": "needs_action",
}
ORGANIZER = {"email": "example@cronofy.com", "display_name": "Example Person"}

# The docs' Read Events example; cronofy-node test/index.spec.js 'returns read events
# information' has the same event without event_private.
EVENT_DOCS = {
    "calendar_id": "cal_U9uuErStTG@EAAAB_IsAsykA2DBTWqQTf-f0kJw",
    "event_uid": "evt_external_54008b1a4a41730f8d5c6037",
    "summary": "Company Retreat",
    "description": "",
    "start": "2014-09-06",
    "end": "2014-09-08",
    "deleted": False,
    "created": "2014-09-01T08:00:01Z",
    "updated": "2014-09-01T09:24:16Z",
    "location": {"description": "Beach"},
    "participation_status": "needs_action",
    "attendees": [ATTENDEE],
    "organizer": ORGANIZER,
    "transparency": "opaque",
    "status": "confirmed",
    "categories": [],
    "recurring": False,
    "event_private": False,
    "options": OPTIONS,
}
# pycronofy tests/test_pagination.py TEST_DATA_PAGE_ONE's event (and cronofy-ruby
# spec/lib/cronofy/event_spec.rb "UTC times"): the older `event_status` where the docs say `status`
EVENT_PYCRONOFY = {
    key: EVENT_DOCS[key]
    for key in (
        "calendar_id",
        "event_uid",
        "summary",
        "description",
        "start",
        "end",
        "deleted",
        "location",
        "participation_status",
        "transparency",
        "categories",
        "attendees",
        "created",
        "updated",
    )
} | {"event_status": "confirmed"}
# cronofy-csharp GetEvents.cs::CanGetRecurringEventWithGeoLocation
EVENT_CSHARP_RECURRING = {
    **{k: v for k, v in EVENT_DOCS.items() if k not in ("organizer", "event_private")},
    "recurring": True,
    "series_identifier": "identifier",
    "location": {"description": "The Country", "lat": "1.2345", "long": "0.1234"},
    "options": {"delete": False, "update": False, "change_participation_status": True},
}
# cronofy-csharp GetEvents.cs SingleEventResponseBody (CanGetEvents and every AssertParameter)
EVENT_CSHARP_SINGLE = {
    key: EVENT_DOCS[key]
    for key in (
        "calendar_id",
        "event_uid",
        "summary",
        "description",
        "start",
        "end",
        "deleted",
        "participation_status",
        "transparency",
        "status",
        "categories",
        "attendees",
        "organizer",
        "created",
        "updated",
    )
}
# the C# client always sends localized_times=true, yet its stubs answer plain Date strings; the
# docs (and the fake) answer {time, tzid} then, so start/end are checked by format instead.
CSHARP_LOCALIZED = ("$.start", "$.end")


@pytest.mark.rule("cronofy", 47)
def test_docs_and_node_read_events_fixture(cronofy, states):
    """Sources: the docs' Read Events example response
    (https://docs.cronofy.com/developers/api/events/read-events/); cronofy/cronofy-node
    test/index.spec.js 'query parameters encoding' 'returns read events information'
    @ 042affa66fb2 (GET with `Content-Type: application/json`, no body,
    calendar_ids[]=…&include_deleted=true&tzid=Etc%2FUTC). The all-day replay event has the
    example's shape; pages.current/total are integers."""
    body = read(
        cronofy,
        states,
        "/v1/events",
        {
            "calendar_ids[]": [states.get("replay_calendar")],
            "include_deleted": "true",
            "tzid": "Etc/UTC",
        },
        headers={"Content-Type": "application/json", "User-Agent": "Cronofy Node - 3.8.4"},
    )
    assert isinstance(body["pages"]["current"], int)
    assert isinstance(body["pages"]["total"], int)
    event = by_uid(body["events"], states.get("replay_all_day_event"))
    assert_keys_like(EVENT_DOCS, event)
    assert DATE.match(event["start"]) and DATE.match(event["end"])
    assert UTC_TIME.match(event["created"]) and UTC_TIME.match(event["updated"])
    assert event["options"] == OPTIONS


@pytest.mark.rule("cronofy", 6)
def test_pycronofy_read_events_query_and_fixture(cronofy, states):
    """Sources: cronofy/pycronofy pycronofy/client.py Client.read_events (the query it sends:
    tzid, calendar_ids[], from/to, the seven booleans as Python `True`/`False`) and
    pycronofy/tests/test_pagination.py TEST_DATA_PAGE_ONE @ e0e3b3787d77, its event compared
    key by key but for `event_status`: the docs and the node/C# fixtures call it `status`
    (docs/EVIDENCE.md, Cronofy). Body `{}`, as requests(json={}) sends."""
    today = datetime.now(UTC).date()
    params = {
        "tzid": "Etc/UTC",
        "calendar_ids[]": [states.get("replay_calendar")],
        "from": today.isoformat(),
        "to": (today + timedelta(days=30)).isoformat(),
        "only_managed": "False",
        "include_managed": "True",
        "include_deleted": "False",
        "include_moved": "False",
        "include_geo": "False",
        "localized_times": "False",
    }
    body = read(
        cronofy,
        states,
        "/v1/events",
        params,
        content=b"{}",
        headers={"Content-Type": "application/json", "User-Agent": "PyCronofy 2.0.7"},
    )
    event = by_uid(body["events"], states.get("replay_all_day_event"))
    assert_keys_like(EVENT_PYCRONOFY, event, ignore=("$.event_status",))
    assert event["status"] == "confirmed"


RUBY_QUERIES = {
    # 'when all params are passed': from/to/last_modified as full Times, not Dates
    "all_params": lambda t: {
        "from": iso(t - timedelta(days=1)),
        "to": iso(t + timedelta(days=30)),
        "tzid": "Etc/UTC",
        "include_deleted": "false",
        "include_moved": "true",
        "last_modified": iso(t - timedelta(days=30)),
    },
    "some_params": lambda t: {
        "from": iso(t - timedelta(days=1)),
        "tzid": "Etc/UTC",
        "include_deleted": "false",
    },
    "unknown_flags": lambda t: {
        "tzid": "Etc/UTC",
        "unknown_bool": "true",
        "unknown_number": "5",
        "unknown_string": "foo-bar-baz",
    },
}
# cronofy-ruby client_spec.rb '#read_events' first page: an all-day and a timed event
EVENT_RUBY_ALL_DAY = {k: EVENT_DOCS[k] for k in list(EVENT_DOCS)[:7]}
EVENT_RUBY_TIMED = {
    **EVENT_RUBY_ALL_DAY,
    "summary": "Dinner with Laura",
    "start": "2014-09-13T19:00:00Z",
    "end": "2014-09-13T21:00:00Z",
    "location": {"description": "Pizzeria"},
}


@pytest.mark.rule("cronofy", 42)
@pytest.mark.parametrize("query", list(RUBY_QUERIES))
def test_ruby_read_events(cronofy, states, query):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb 'Events #read_events'
    @ b75d79f275ca: "when all params are passed" (from, to and last_modified as Times such as
    2014-09-01T00:00:01Z), "when some params are passed", "when unknown flags are passed"
    (unknown_bool=true&unknown_number=5&unknown_string=foo-bar-baz): 200 with its fixtures'
    keys; an all-day event has Date start/end, a timed one UTC Times."""
    body = read(cronofy, states, "/v1/events", RUBY_QUERIES[query](now()))
    events = body["events"]
    assert_keys_like(EVENT_RUBY_ALL_DAY, by_uid(events, states.get("replay_all_day_event")))
    timed = by_uid(events, states.get("replay_timed_event"))
    assert_keys_like(EVENT_RUBY_TIMED, timed)
    assert UTC_TIME.match(timed["start"]) and UTC_TIME.match(timed["end"])


@pytest.mark.rule("cronofy", 7)
def test_ruby_read_events_calendar_ids(cronofy, states):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb '#read_events' "when
    calendar_ids are passed" @ b75d79f275ca: calendar_ids[]=a&calendar_ids[]=b (three in the
    spec; the account's two calendars here) restrict the events to those calendars."""
    calendars = [states.get("replay_calendar"), states.get("replay_readonly_calendar")]
    body = read(cronofy, states, "/v1/events", {"tzid": "Etc/UTC", "calendar_ids[]": calendars})
    assert body["events"]
    assert {e["calendar_id"] for e in body["events"]} <= set(calendars)


@pytest.mark.rule("cronofy", 49)
def test_ruby_event_times_utc_and_localized(cronofy, states):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/event_spec.rb "UTC times" and "localized
    times" @ b75d79f275ca: start/end coerce as Date strings or {"time":
    "2014-09-06T13:40:00+01:00", "tzid": "Europe/London"}; created/updated as ISO 8601 Times."""
    uid = states.get("replay_timed_event")
    plain = by_uid(read(cronofy, states, "/v1/events")["events"], uid)
    assert UTC_TIME.match(plain["start"]) and UTC_TIME.match(plain["created"])
    params = {"tzid": "Europe/London", "localized_times": "true"}
    local = by_uid(read(cronofy, states, "/v1/events", params)["events"], uid)
    for edge in ("start", "end"):
        assert set(local[edge]) == {"time", "tzid"}, local[edge]
        assert LOCAL_TIME.match(local[edge]["time"]), local[edge]
        assert isinstance(local[edge]["tzid"], str)
    assert UTC_TIME.match(local["created"]) and UTC_TIME.match(local["updated"])


@pytest.mark.rule("cronofy", 47)
def test_csharp_get_events_single_and_recurring(cronofy, states):
    """Sources: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/GetEvents.cs
    ::CanGetEvents (SingleEventResponseBody), CanGetRecurringEventWithGeoLocation,
    CanGetEventWithoutLocation @ 8b98dd70fc8c, requested as the C# client does
    (tzid=Etc%2FUTC&localized_times=true). Recurring instances carry `series_identifier`,
    location lat/long as strings, options update/delete false. The stubs answer plain Date
    strings despite localized_times=true; start/end are checked as {time, tzid} instead."""
    body = read(cronofy, states, "/v1/events", {"tzid": "Etc/UTC", "localized_times": "true"})
    events = body["events"]
    single = by_uid(events, states.get("replay_all_day_event"))
    assert_keys_like(EVENT_CSHARP_SINGLE, single, ignore=CSHARP_LOCALIZED)
    for instance in series(events, states.get("replay_recurring_event")):
        assert_keys_like(EVENT_CSHARP_RECURRING, instance, ignore=CSHARP_LOCALIZED)
        assert instance["recurring"] is True
        assert instance["options"]["update"] is False and instance["options"]["delete"] is False
    free = by_uid(events, states.get("replay_free_event"))
    assert "location" not in free  # CanGetEventWithoutLocation: Location = null
    assert free["transparency"] == "transparent"  # CanGetTransparentEvent
    for event in (single, free):
        for edge in ("start", "end"):
            assert set(event[edge]) == {"time", "tzid"}


@pytest.mark.rule("cronofy", 47)
def test_csharp_get_google_event_ids(cronofy, states):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/GetEvents.cs
    ::CanGetGoogleEventIds @ 8b98dd70fc8c: google_event_ids=true adds a `google_event_id` string
    to events of Google calendars."""
    params = {"tzid": "Etc/UTC", "localized_times": "true", "google_event_ids": "true"}
    events = read(cronofy, states, "/v1/events", params)["events"]
    event = by_uid(events, states.get("replay_all_day_event"))
    assert isinstance(event["google_event_id"], str) and event["google_event_id"]


@pytest.mark.rule("cronofy", 47)
def test_csharp_get_event_with_conferencing_and_meeting_url(cronofy, states, unique_id):
    """Sources: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/GetEvents.cs
    ::CanGetEventWithConferencing ({"provider_name", "join_url"}) and CanGetEventWithMeetingUrl
    (`meeting_url` string) @ 8b98dd70fc8c, for an event given conferencing the way
    UpsertEvent.cs::CanUpsertExplicitConferencing sends it."""
    cal = states.get("replay_calendar")
    start = now() + timedelta(days=9)
    body = {
        "event_id": unique_id,
        "summary": "Board meeting",
        "start": iso(start),
        "end": iso(start + timedelta(hours=1)),
        "conferencing": {
            "profile_id": "explicit",
            "provider_description": "Meetings Co.",
            "join_url": "https://meetings.co/join/abc",
        },
    }
    assert cronofy.upsert(cal, body, **replay(states)).status_code == 202
    params = {"tzid": "Etc/UTC", "localized_times": "true", "only_managed": "true"}
    [event] = [
        e
        for e in read(cronofy, states, "/v1/events", params)["events"]
        if e.get("event_id") == unique_id
    ]
    assert_keys_like(
        {
            "conferencing": {"provider_name": "zoom", "join_url": "https://example.com/joinurl"},
            "meeting_url": "https://meet.example.com/ABCD1234",
        },
        event,
    )
    assert event["conferencing"]["join_url"] == "https://meetings.co/join/abc"


CSHARP_PARAMETERS = {
    "CanGetEventsWithinDates": lambda s, t: {
        "from": t.date().isoformat(),
        "to": (t + timedelta(days=40)).date().isoformat(),
    },
    "CanGetEventsThatHaveBeenDeleted": lambda s, t: {"include_deleted": "true"},
    "CanGetEventsThatHaveBeenMoved": lambda s, t: {"include_moved": "true"},
    "CanGetEventsThatAreManaged": lambda s, t: {"include_managed": "true"},
    "CanGetEventsWithIncludeGeo": lambda s, t: {"include_geo": "true"},
    "CanGetEventsWithinOneCalendar": lambda s, t: {"calendar_ids[]": [s.get("replay_calendar")]},
    "CanGetEventsWithinMultipleCalendars": lambda s, t: {
        "calendar_ids[]": [s.get("replay_calendar"), s.get("replay_readonly_calendar")]
    },
}


@pytest.mark.rule("cronofy", 46)
@pytest.mark.parametrize("case", list(CSHARP_PARAMETERS))
def test_csharp_get_events_parameters(cronofy, states, case):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/GetEvents.cs
    (AssertParameter cases named in the parameter) @ 8b98dd70fc8c: each parameter after
    tzid=Etc%2FUTC&localized_times=true answers 200 with the SingleEventResponseBody shape."""
    params = {
        "tzid": "Etc/UTC",
        "localized_times": "true",
        **CSHARP_PARAMETERS[case](states, now()),
    }
    events = read(cronofy, states, "/v1/events", params)["events"]
    assert_keys_like(
        EVENT_CSHARP_SINGLE,
        by_uid(events, states.get("replay_all_day_event")),
        ignore=CSHARP_LOCALIZED,
    )


@pytest.mark.rule("cronofy", 45)
def test_csharp_get_events_since_last_modified(cronofy, states, unique_id):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/GetEvents.cs
    ::CanGetEventsSinceLastModified @ 8b98dd70fc8c: last_modified is sent as C#'s
    DateTime.ToString("u") of 15 minutes ago, `2015-10-20 14:30:00Z` (a space, not `T`); an
    event changed since then is returned."""
    start = now() + timedelta(days=9)
    body = {
        "event_id": unique_id,
        "summary": "Changed just now",
        "start": iso(start),
        "end": iso(start + timedelta(hours=1)),
    }
    assert cronofy.upsert(states.get("replay_calendar"), body, **replay(states)).status_code == 202
    params = {
        "tzid": "Etc/UTC",
        "localized_times": "true",
        "include_managed": "true",
        "last_modified": iso(now() - timedelta(minutes=15), " "),
    }
    events = read(cronofy, states, "/v1/events", params)["events"]
    assert unique_id in [e.get("event_id") for e in events]


# -- free-busy -------------------------------------------------------------------------------------

# cronofy-ruby client_spec.rb 'Free busy #free_busy'; cronofy-csharp GetFreeBusy.cs
# BasicResponseBody; the docs' Free-busy example: the same four keys
FREE_BUSY = {
    "calendar_id": "cal_U9uuErStTG@EAAAB_IsAsykA2DBTWqQTf-f0kJw",
    "start": "2014-09-06",
    "end": "2014-09-08",
    "free_busy_status": "busy",
}


@pytest.mark.rule("cronofy", 51)
@pytest.mark.parametrize("query", list(RUBY_QUERIES))
def test_ruby_free_busy(cronofy, states, query):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb 'Free busy #free_busy'
    @ b75d79f275ca: "when all params are passed" (from/to as Times, include_managed=true),
    "when some params are passed", "when unknown flags are passed": 200, entries
    {calendar_id, start, end, free_busy_status} with the status one of the SDK enums'."""
    params = RUBY_QUERIES[query](now())
    for key in ("include_deleted", "include_moved", "last_modified"):  # not free-busy params
        params.pop(key, None)
    if query == "all_params":
        params["include_managed"] = "true"
    body = read(cronofy, states, "/v1/free_busy", params)
    assert isinstance(body["pages"]["current"], int) and isinstance(body["pages"]["total"], int)
    entries = body["free_busy"]
    assert_keys_like({"free_busy": [FREE_BUSY]}, body)
    assert {e["free_busy_status"] for e in entries} <= STATUSES
    for e in entries:
        assert all(DATE.match(e[k]) or UTC_TIME.match(e[k]) for k in ("start", "end")), e


@pytest.mark.rule("cronofy", 51)
def test_docs_free_busy_example(cronofy, states):
    """Source: the docs' Free-busy example response
    (https://docs.cronofy.com/developers/api/events/free-busy/): a timed `busy` period and an
    all-day `free` one in the default query. The replay account's opaque events are busy, its
    transparent one free."""
    entries = read(cronofy, states, "/v1/free_busy")["free_busy"]
    statuses = {e["free_busy_status"] for e in entries}
    assert {"busy", "free"} <= statuses
    assert any(DATE.match(e["start"]) for e in entries)
    assert any(UTC_TIME.match(e["start"]) for e in entries)


CSHARP_FREE_BUSY_PARAMETERS: dict[str, dict[str, Any]] = {
    "CanGetFreeBusy": {},
    "CanGetFreeBusyWithinDates": {"from": "{today}", "to": "{later}"},
    "CanGetEventsThatAreManaged": {"include_managed": "true"},
    "CanGetFreeBusyIncludingIds": {"include_ids": "true"},
    "CanGetEventsThatHaveBeenDeleted": {"include_deleted": "true"},
    "CanGetFreeBusyIncludingFree": {"include_free": "true"},
    "CanGetEventsSinceLastModified": {"last_modified": "{recently}"},  # "u": a space, not T
    "CanGetFreeBusyWithinMultipleCalendars": {"calendar_ids[]": ["{calendar}", "{other}"]},
}


@pytest.mark.rule("cronofy", 51)
@pytest.mark.parametrize("case", list(CSHARP_FREE_BUSY_PARAMETERS))
def test_csharp_get_free_busy_parameters(cronofy, states, case):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/GetFreeBusy.cs
    @ 8b98dd70fc8c (CanGetFreeBusy and the AssertParameter cases named in the parameter:
    include_managed, include_ids, include_deleted, include_free, calendar_ids[]), always with
    tzid=Etc%2FUTC&localized_times=true: 200 with BasicResponseBody's keys. What include_ids /
    include_free / include_deleted add is not asserted by the C# tests (docs/EVIDENCE.md)."""
    today = now().date()
    values = {
        "{today}": today.isoformat(),
        "{later}": (today + timedelta(days=40)).isoformat(),
        "{recently}": iso(now() - timedelta(minutes=15), " "),
        "{calendar}": states.get("replay_calendar"),
        "{other}": states.get("replay_readonly_calendar"),
    }
    extra = {
        k: [values[i] for i in v] if isinstance(v, list) else values.get(v, v)
        for k, v in CSHARP_FREE_BUSY_PARAMETERS[case].items()
    }
    body = read(
        cronofy, states, "/v1/free_busy", {"tzid": "Etc/UTC", "localized_times": "true", **extra}
    )
    # a real API may have nothing changed in the last 15 minutes; the stub has one entry
    fixture = [FREE_BUSY] if body["free_busy"] or case != "CanGetEventsSinceLastModified" else []
    assert_keys_like(
        {"free_busy": fixture}, body, ignore=("$.free_busy[].start", "$.free_busy[].end")
    )
    for e in body["free_busy"]:
        assert set(e["start"]) == {"time", "tzid"}
        assert e["free_busy_status"] in STATUSES


# -- paging ----------------------------------------------------------------------------------------


def follow(cronofy, states, first: dict[str, Any], kind: str, **kw: Any) -> list[dict[str, Any]]:
    """Every page, the way pycronofy's Pages / ruby's PagedResultIterator / C# walk them: GET
    the absolute next_page with the same bearer token while current < total."""
    pages = [first]
    while pages[-1]["pages"]["current"] < pages[-1]["pages"]["total"]:
        link = pages[-1]["pages"]["next_page"]
        assert urlparse(link).scheme in ("http", "https"), link  # absolute
        assert urlparse(link).path.startswith(f"/v1/{kind}/pages/"), link
        response = cronofy.get(link, **replay(states), **kw)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        assert len(pages) < 50
    return pages


@pytest.mark.rule("cronofy", 50)
@pytest.mark.parametrize("kind", ["events", "free_busy"])
def test_sdk_paging(cronofy, states, kind):
    """Sources: cronofy/pycronofy pycronofy/tests/test_pagination.py::test_all, ::test_next,
    ::test_fetch_next_page @ e0e3b3787d77; cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb
    '#read_events' / '#free_busy' (two pages, the second fetched with the same headers)
    @ b75d79f275ca; cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/
    GetEvents.cs::CanGetPagedEvents, GetFreeBusy.cs::CanGetPagedFreeBusy @ 8b98dd70fc8c:
    pages.current/total integers, next_page an absolute .../v1/<kind>/pages/<token> URL while
    current < total, each page in the first page's format, the last page without next_page
    (pycronofy's stub has `"next_page": ""` there; ruby's and C#'s have none)."""
    headers = {"User-Agent": UA_RUBY}
    params = {"tzid": "Etc/UTC", "calendar_ids[]": [states.get("replay_calendar")]}
    with small_pages(cronofy.target):
        first = read(cronofy, states, f"/v1/{kind}", params, headers=headers)
        pages = follow(cronofy, states, first, kind, headers=headers)
    assert [p["pages"]["current"] for p in pages] == list(range(1, len(pages) + 1))
    assert {p["pages"]["total"] for p in pages} == {len(pages)}
    assert "next_page" not in pages[-1]["pages"]
    items = [item for page in pages for item in page[kind]]
    if cronofy.target.is_fake:
        assert len(pages) == 3 and len(items) == 5
    fixture = FREE_BUSY if kind == "free_busy" else EVENT_RUBY_ALL_DAY
    assert_keys_like({kind: [fixture]}, {kind: items})


@pytest.mark.rule("cronofy", 50)
def test_node_next_page_with_its_options_appended(cronofy, states):
    """Source: cronofy/cronofy-node src/index.js readEvents / freeBusy @ 042affa66fb2: with
    {next_page} among the options it GETs that URL and still appends the other options as a
    query string (`?tzid=Etc%2FUTC&...`); the page answers as if they were not there."""
    with small_pages(cronofy.target):
        first = read(cronofy, states, "/v1/events")
        if "next_page" not in first["pages"]:
            pytest.skip("a single page: nothing to follow")
        plain = cronofy.get(first["pages"]["next_page"], **replay(states))
        node = cronofy.get(
            first["pages"]["next_page"],
            params={"tzid": "Etc/UTC", "include_deleted": "true"},
            headers={"Content-Type": "application/json"},
            **replay(states),
        )
    assert plain.status_code == node.status_code == 200
    plain_body, node_body = json.loads(plain.content), json.loads(node.content)
    assert node_body["events"] == plain_body["events"]
    assert node_body["pages"]["current"] == plain_body["pages"]["current"]
    assert node_body["pages"]["total"] == plain_body["pages"]["total"]


@pytest.mark.rule("cronofy", 50)
@pytest.mark.parametrize("kind", ["events", "free_busy"])
def test_ruby_next_page_not_found(cronofy, states, kind):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb '#read_events' / '#free_busy'
    "next page not found" @ b75d79f275ca: a next page that does not exist is a 404
    (NotFoundError), here a page token never issued."""
    response = cronofy.get(f"/v1/{kind}/pages/08a07b034306679e", **replay(states))
    assert response.status_code == 404
