"""Upstream replay: upsert, delete, bulk delete, participation status, batch.

Each test replays an SDK test of cronofy/pycronofy @ e0e3b3787d77, cronofy/cronofy-ruby
@ b75d79f275ca, cronofy/cronofy-node @ 042affa66fb2 or cronofy/cronofy-csharp @ 8b98dd70fc8c
over HTTP: the body that SDK test expects on the wire, the status its stub answers. Ids the
upstream tests made up (calendar `cal_123`, uid `external_event_id`) are replaced by provider
states of the same kind; see docs/EVIDENCE.md (Cronofy).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from contracts.cronofy.upstream import error_entries

DAY = 12  # the test events sit this many days ahead: inside every read window
JSON_UTF8 = {"Content-Type": "application/json; charset=utf-8"}  # ruby and C# send the charset


def day(offset: int = DAY) -> date:
    return datetime.now(UTC).date() + timedelta(days=offset)


def at(hour: int, minute: int = 0, offset: int = DAY, sep: str = "T") -> str:
    return f"{day(offset).isoformat()}{sep}{hour:02d}:{minute:02d}:00Z"


def send(cronofy, method: str, path: str, body: Any, **kw: Any):
    """A JSON body exactly as given (None stays null), with the charset ruby/C# send."""
    return cronofy.request(method, path, content=json.dumps(body), headers=JSON_UTF8, **kw)


def replay(states) -> dict[str, Any]:
    """Request options for the replay account (its disposable external events, its token)."""
    return {"token": states.get("replay_access_token")}


def still_listed(cronofy, states, calendar: str):
    """Whether an external event is still in `calendar` (for states.disposable)."""

    def check(uid: str) -> bool:
        params = {"tzid": "Etc/UTC", "calendar_ids[]": calendar}
        listed = cronofy.get("/v1/events", params=params, **replay(states))
        return uid in {e["event_uid"] for e in listed.json().get("events", [])}

    return check


def accepted(response) -> None:
    assert response.status_code == 202, (response.status_code, response.text)
    assert response.content == b""


def managed(cronofy, event_id: str) -> list[dict[str, Any]]:
    """Read-back copies of one managed event around the test day."""
    return [
        e
        for e in cronofy.read_events(
            only_managed="true",
            include_deleted="true",
            **{"from": day(DAY - 1).isoformat(), "to": day(DAY + 3).isoformat()},
        )
        if e.get("event_id") == event_id
    ]


def create(cronofy, states, event_id: str, calendar: str | None = None) -> str:
    cal = calendar or states.get("writable_calendar")
    body = {"event_id": event_id, "summary": "Upstream", "start": at(10), "end": at(11)}
    accepted(cronofy.upsert(cal, body))
    return cal


# -- upsert: pycronofy -----------------------------------------------------------------------------


def pycronofy_event(event_id: str, **changes: Any) -> dict[str, Any]:
    """pycronofy tests/test_client.py TEST_EVENT, on the test day."""
    return {
        "event_id": event_id,
        "summary": "Test Event",
        "description": "Talk about how awesome cats are.",
        "start": at(8),
        "end": at(9),
        "tzid": "Etc/UTC",
        "location": {"description": "Location!"},
        **changes,
    }


@pytest.mark.rule("cronofy", 17)
@pytest.mark.parametrize("with_tzid", [False, True], ids=["test_upsert_event", "with_tzid"])
def test_pycronofy_upsert_event(cronofy, states, unique_id, with_tzid):
    """Sources: cronofy/pycronofy pycronofy/tests/test_client.py::test_upsert_event and
    ::test_upsert_event_with_tzid @ e0e3b3787d77 (start/end as {time, tzid: Europe/London}).
    pycronofy's upsert_event returns None: an accepted write with no body to read."""
    body = pycronofy_event(unique_id)
    if with_tzid:
        del body["tzid"]
        body["start"] = {"time": at(8), "tzid": "Europe/London"}
        body["end"] = {"time": at(9), "tzid": "Europe/London"}
    accepted(cronofy.upsert(states.get("writable_calendar"), body))
    [event] = managed(cronofy, unique_id)
    assert event["summary"] == "Test Event"
    assert event["location"] == {"description": "Location!"}


# -- upsert: cronofy-ruby --------------------------------------------------------------------------

RUBY_CONTEXTS = {
    "times": (at(15, 30), at(17)),
    "dates": (day().isoformat(), day(DAY + 1).isoformat()),
    "complex_times": (
        {"time": at(15, 30), "tzid": "Europe/London"},
        {"time": at(17), "tzid": "America/Los_Angeles"},
    ),
    "geo_location": (at(15, 30), at(17)),
    "transparency_present": (at(15, 30), at(17)),
    "already_encoded": (at(15, 30), at(17)),
}


@pytest.mark.rule("cronofy", 27)
@pytest.mark.parametrize("context", list(RUBY_CONTEXTS))
def test_ruby_create_or_update_event(cronofy, states, unique_id, context):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb 'Events
    #create_or_update_event' @ b75d79f275ca, every context ("when start/end are Times",
    "Dates", "complex times", "geo location present", "transparency present", "start and end
    already encoded"): 202 for the body {event_id, summary, description, start, end, url,
    location, transparency, reminders: [60, 0, 10]}. Outside "transparency present" the spec's
    `transparency` is nil, so the SDK sends `"transparency": null`: accepted as not sent, so
    the default of rule 27 applies (transparent for dates, opaque for times)."""
    start, end = RUBY_CONTEXTS[context]
    location: dict[str, str] = {"description": "Board room"}
    if context == "geo_location":
        location = {"description": "Board meeting", "lat": "1.2345", "long": "0.1234"}
    transparency = "transparent" if context == "transparency_present" else None
    body = {
        "event_id": unique_id,
        "summary": "Board meeting",
        "description": "Discuss plans for the next quarter.",
        "start": start,
        "end": end,
        "url": "https://example.com",
        "location": location,
        "transparency": transparency,
        "reminders": [{"minutes": 60}, {"minutes": 0}, {"minutes": 10}],
    }
    accepted(send(cronofy, "POST", f"/v1/calendars/{states.get('writable_calendar')}/events", body))
    [event] = managed(cronofy, unique_id)
    assert event["location"] == location
    default = "transparent" if context == "dates" else "opaque"
    assert event["transparency"] == (transparency or default)


NULLABLE_OPTIONS = (
    "tzid",
    "transparency",
    "extended_transparency",
    "reminders",
    "reminders_create_only",
    "event_private",
    "conferencing",
    "recurrence",
    "attendees",
    "subscriptions",
)


@pytest.mark.rule("cronofy", 27)
@pytest.mark.rule("cronofy", 29)
def test_ruby_style_nulls_for_unset_options_change_nothing(cronofy, states, unique_id):
    """Tolerance, from cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb
    '#create_or_update_event' @ b75d79f275ca: the SDK builds the body from a Hash whose unset
    options are nil, so `null` arrives for an option the caller has none for (the spec's
    `transparency`). Null for an unset option is read as not sent: a create gets the defaults,
    an update keeps what is stored (rule 29's "omitted leaves it unchanged")."""
    cal = states.get("writable_calendar")
    nulls = dict.fromkeys(NULLABLE_OPTIONS)
    first = {"event_id": unique_id, "summary": "Nulls", "start": at(12), "end": at(13)}
    accepted(send(cronofy, "POST", f"/v1/calendars/{cal}/events", {**first, **nulls}))
    [event] = managed(cronofy, unique_id)
    assert event["transparency"] == "opaque" and event["event_private"] is False
    kept = {**first, "transparency": "transparent", "event_private": True}
    accepted(send(cronofy, "POST", f"/v1/calendars/{cal}/events", kept))
    again = {**first, "summary": "Nulls again", **nulls}
    accepted(send(cronofy, "POST", f"/v1/calendars/{cal}/events", again))
    [event] = managed(cronofy, unique_id)
    assert event["summary"] == "Nulls again"
    assert event["transparency"] == "transparent" and event["event_private"] is True


# -- upsert: cronofy-csharp ------------------------------------------------------------------------


def csharp_event(**fields: Any) -> dict[str, Any]:
    """The C# UpsertEventRequest as serialised: {time, tzid} objects, a space before the time."""
    body = {
        "summary": "Board meeting",
        "description": "Discuss plans for the next quarter",
        "start": {"time": at(15, 30, sep=" "), "tzid": "Etc/UTC"},
        "end": {"time": at(17, sep=" "), "tzid": "Etc/UTC"},
    }
    return {**body, **fields}


ALL_DAY = {
    "start": {"time": day().isoformat(), "tzid": "Etc/UTC"},
    "end": {"time": day(DAY + 1).isoformat(), "tzid": "Etc/UTC"},
}
CSHARP_UPSERTS: dict[str, dict[str, Any]] = {
    "CanUpsertEvent": {"location": {"description": "Board room"}, "transparency": "opaque"},
    "CanUpsertEventWithoutLocation": {},
    "CanUpsertWithGeoLocation": {
        "location": {"description": "Board room", "lat": "1.2345", "long": "0.1234"}
    },
    "CanUpsertEventWithTimeZoneId": {
        "start": {"time": at(15, 30, sep=" "), "tzid": "Europe/London"},
        "end": {"time": at(17, sep=" "), "tzid": "Europe/London"},
        "tzid": "Europe/London",
    },
    "CanUpsertEventWithSeparateTimeZoneIds": {
        "start": {"time": at(15, 30, sep=" "), "tzid": "Europe/London"},
        "end": {"time": at(17, sep=" "), "tzid": "America/Chicago"},
    },
    "CanUpsertAllDayEvent": ALL_DAY,
    "CanUpsertAttendees": {
        **ALL_DAY,
        "attendees": {
            "invite": [{"email": "test@attendee.com", "display_name": "Test attendee"}],
            "remove": [{"email": "remove@attendee.com", "display_name": "Test removal"}],
        },
    },
    "CanUpsertReminders": {
        **ALL_DAY,
        "reminders": [{"minutes": 10}, {"minutes": 0}, {"minutes": 30}],
    },
    "CanUpsertExplicitNoReminders": {**ALL_DAY, "reminders": []},
    "CanUpsertRemindersWithCreateOnly": {
        **ALL_DAY,
        "reminders_create_only": True,
        "reminders": [{"minutes": 10}, {"minutes": 0}, {"minutes": 30}],
    },
    "CanUpsertUrl": {**ALL_DAY, "url": "http://example.com"},
    "CanUpsertExplicitNullUrl": {**ALL_DAY, "url": None},
    "CanUpsertEventWithPrivateFlag(true)": {"event_private": True, "transparency": "opaque"},
    "CanUpsertEventWithPrivateFlag(false)": {"event_private": False, "transparency": "opaque"},
    "CanUpsertColor": {**ALL_DAY, "color": "#49BED8"},
    "CanUpsertConferencing": {**ALL_DAY, "conferencing": {"profile_id": "integrated"}},
    "CanUpsertExplicitConferencing": {
        **ALL_DAY,
        "conferencing": {
            "profile_id": "explicit",
            "provider_description": "Meetings Co.",
            "join_url": "https://meetings.co/join/abc",
        },
    },
    "CanUpsertInteractionSubscription": {
        **ALL_DAY,
        "subscriptions": [
            {
                "type": "webhook",
                "uri": "https://consumer.com/webhook?state=foo",
                "interactions": [{"type": "conferencing_assigned"}],
            }
        ],
    },
    "CanUpsertRemovingSubscriptions": {**ALL_DAY, "subscriptions": []},
    "CanUpsertEventWithExtendedTransparency": {
        "extended_transparency": "out_of_office",
        "location": {"description": "Board room"},
    },
}


@pytest.mark.rule("cronofy", 24)
@pytest.mark.parametrize("case", list(CSHARP_UPSERTS))
def test_csharp_upsert_event(cronofy, states, unique_id, case):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/UpsertEvent.cs
    @ 8b98dd70fc8c, each test named in the parameter: 202 for the exact body the C# client
    sends (times as {"time": "2014-08-05 15:30:00Z", "tzid": "Etc/UTC"}, a space instead of
    `T`; all-day dates inside {time, tzid}; `url: null`; `reminders: []`; `subscriptions`,
    `reminders_create_only`, `extended_transparency`). The event is then readable."""
    body = csharp_event(event_id=unique_id, **CSHARP_UPSERTS[case])
    accepted(send(cronofy, "POST", f"/v1/calendars/{states.get('writable_calendar')}/events", body))
    [event] = managed(cronofy, unique_id)
    assert event["summary"] == "Board meeting"
    if case.startswith("CanUpsertEventWithPrivateFlag"):
        assert event["event_private"] is body["event_private"]


@pytest.mark.rule("cronofy", 32)
def test_csharp_upsert_external_event(cronofy, states):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/UpsertEvent.cs
    ::CanUpsertExternalEvent @ 8b98dd70fc8c: the same body with `event_uid` instead of
    `event_id` → 202 (an editable external event stands in for the test's made-up uid)."""
    uid = states.get("editable_external_event")
    body = {
        "event_uid": uid,
        **csharp_event(location={"description": "Board room"}, transparency="opaque"),
    }
    accepted(send(cronofy, "POST", f"/v1/calendars/{states.get('writable_calendar')}/events", body))
    found = cronofy.find(event_uid=uid, **{"from": day(DAY - 1).isoformat()})
    assert found is not None and found["summary"] == "Board meeting"


@pytest.mark.rule("cronofy", 47)
def test_csharp_extended_transparency_round_trip(cronofy, states, unique_id):
    """Sources: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/
    UpsertEvent.cs::CanUpsertEventWithExtendedTransparency (sends out_of_office) and
    GetEvents.cs::CanGetEventWithExtendedTransparency (Read Events answers an
    `extended_transparency` string next to `transparency`) @ 8b98dd70fc8c."""
    body = csharp_event(event_id=unique_id, extended_transparency="out_of_office")
    accepted(send(cronofy, "POST", f"/v1/calendars/{states.get('writable_calendar')}/events", body))
    [event] = managed(cronofy, unique_id)
    assert event["extended_transparency"] == "out_of_office"
    assert event["transparency"] in ("opaque", "transparent")


@pytest.mark.rule("cronofy", 54)
def test_csharp_extended_transparency_outside_its_enum_is_refused(cronofy, states, unique_id):
    """Source: cronofy/cronofy-csharp src/Cronofy/ExtendedTransparency.cs @ 8b98dd70fc8c: the
    values a client sends are opaque, transparent, working_elsewhere, tentative and
    out_of_office (`unknown` is read-only, as for transparency). Anything else is a 422 on
    extended_transparency and creates nothing."""
    cal = states.get("writable_calendar")
    for value in ("unknown", "busy", 3):
        body = csharp_event(event_id=unique_id, extended_transparency=value)
        response = send(cronofy, "POST", f"/v1/calendars/{cal}/events", body)
        assert error_entries(response, "extended_transparency")
    assert managed(cronofy, unique_id) == []


@pytest.mark.rule("cronofy", 27)
def test_csharp_unknown_transparency_is_refused(cronofy, states, unique_id):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/UpsertEvent.cs
    ::CantUpsertWithInvalidTransparency @ 8b98dd70fc8c: the C# client refuses
    transparency "unknown" before sending. Sent anyway, the API answers 422 on transparency."""
    body = csharp_event(event_id=unique_id, transparency="unknown")
    response = send(
        cronofy, "POST", f"/v1/calendars/{states.get('writable_calendar')}/events", body
    )
    assert error_entries(response, "transparency")
    assert managed(cronofy, unique_id) == []


@pytest.mark.rule("cronofy", 19)
def test_ruby_missing_event_id_is_422_required(cronofy, states):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/errors_spec.rb '422 Unprocessable response'
    "expected body" @ b75d79f275ca: {"errors": {"event_id": [{"key": "errors.required",
    "description": ...}]}}, read by InvalidRequestError#errors. The stub's description is
    "required"; pycronofy's and node's batch stubs say "summary must be specified" for the
    same key: the texts conflict (docs/EVIDENCE.md, Cronofy), so only the key is compared."""
    body = {"summary": "Board meeting", "start": at(10), "end": at(11)}
    response = send(
        cronofy, "POST", f"/v1/calendars/{states.get('writable_calendar')}/events", body
    )
    [entry] = error_entries(response, "event_id")
    assert entry["key"] == "errors.required"
    assert isinstance(entry["description"], str)


# -- delete ----------------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 36)
@pytest.mark.parametrize("sdk", ["pycronofy", "ruby", "csharp"])
def test_sdk_delete_event(cronofy, states, unique_id, sdk):
    """Sources: cronofy/pycronofy pycronofy/tests/test_client.py::test_delete_event
    @ e0e3b3787d77; cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb '#delete_event'
    @ b75d79f275ca; cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/
    DeleteEvent.cs::CanDeleteEvent @ 8b98dd70fc8c: DELETE with JSON {"event_id": ...} → 202,
    no body. The event is created first (its never-created form is the next test)."""
    cal = create(cronofy, states, unique_id)
    if sdk == "pycronofy":
        response = cronofy.delete(f"/v1/calendars/{cal}/events", json={"event_id": unique_id})
    else:
        response = send(cronofy, "DELETE", f"/v1/calendars/{cal}/events", {"event_id": unique_id})
    accepted(response)
    assert all(e["deleted"] for e in managed(cronofy, unique_id))


@pytest.mark.rule("cronofy", 37)
def test_csharp_delete_event_never_created(cronofy, states):
    """Sources: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/
    DeleteEvent.cs::CanDeleteEvent @ 8b98dd70fc8c (202 for an event_id the test never created);
    the docs' Delete Event page lists 404 only for an unrecognised calendar_id."""
    cal = states.get("writable_calendar")
    response = send(
        cronofy, "DELETE", f"/v1/calendars/{cal}/events", {"event_id": "qTtZdczOccgaPncGJaCiLg"}
    )
    accepted(response)


@pytest.mark.rule("cronofy", 38)
def test_pycronofy_request_handler_delete_with_params(cronofy, states, unique_id):
    """Source: cronofy/pycronofy pycronofy/tests/test_request_handler.py::test_delete
    @ e0e3b3787d77: RequestHandler.delete(endpoint='calendars/<id>/events',
    params={'event_id': ...}) sends the event_id in the query string and `{}` as the JSON body
    (the same way pycronofy's delete_all_events sends its parameters). The stub answers 200;
    the docs' Delete Event answer is 202."""
    cal = create(cronofy, states, unique_id)
    response = cronofy.delete(
        f"/v1/calendars/{cal}/events", params={"event_id": unique_id}, json={}
    )
    accepted(response)
    assert [e["deleted"] for e in managed(cronofy, unique_id)] == [True]


@pytest.mark.rule("cronofy", 35)
@pytest.mark.parametrize(("sdk", "n"), [("pycronofy", 1), ("ruby", 2), ("csharp", 3)])
def test_sdk_delete_external_event(cronofy, states, sdk, n):
    """Sources: cronofy/pycronofy pycronofy/tests/test_client.py::test_delete_external_event
    @ e0e3b3787d77; cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb
    '#delete_external_event' @ b75d79f275ca; cronofy/cronofy-csharp test/Cronofy.Test/
    CronofyAccountClientTests/DeleteEvent.cs::CanDeleteExternalEvent @ 8b98dd70fc8c:
    JSON {"event_uid": ...} → 202 (a deletable external event stands in for their uids)."""
    cal = states.get("replay_disposable_calendar")
    uid = states.disposable(f"replay_disposable_event_{n}", still_listed(cronofy, states, cal))
    path = f"/v1/calendars/{cal}/events"
    if sdk == "pycronofy":
        response = cronofy.delete(path, json={"event_uid": uid}, **replay(states))
    else:
        response = send(cronofy, "DELETE", path, {"event_uid": uid}, **replay(states))
    accepted(response)
    listed = cronofy.get("/v1/events", params={"tzid": "Etc/UTC"}, **replay(states))
    assert uid not in [e["event_uid"] for e in listed.json()["events"]]


@pytest.mark.rule("cronofy", 35)
def test_csharp_delete_external_event_with_a_non_external_uid(cronofy, states):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/DeleteEvent.cs
    ::DeleteExternalEventThrowsCronofyResponseExceptionOnFailure @ 8b98dd70fc8c: uid
    "external_event_id" → 422 with exactly {"errors":{"event_uid":[{"key":
    "errors.must_be_external_event_uid","description":"event uid must be a valid external
    event uid"}]}}."""
    cal = states.get("writable_calendar")
    response = send(
        cronofy, "DELETE", f"/v1/calendars/{cal}/events", {"event_uid": "external_event_id"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "event_uid": [
                {
                    "key": "errors.must_be_external_event_uid",
                    "description": "event uid must be a valid external event uid",
                }
            ]
        }
    }


@pytest.mark.rule("cronofy", 37)
def test_csharp_delete_event_in_unknown_calendar_is_404(cronofy):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/DeleteEvent.cs
    ::DeleteEventThrowsCronofyResponseExceptionOnFailure @ 8b98dd70fc8c ("Assume the calendar
    could not be found"): 404."""
    response = send(
        cronofy,
        "DELETE",
        "/v1/calendars/cal_123456_abcdef/events",
        {"event_id": "qTtZdczOccgaPncGJaCiLg"},
    )
    assert response.status_code == 404


# -- bulk delete -----------------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 39)
@pytest.mark.parametrize("sdk", ["ruby-csharp", "node"])
def test_sdk_bulk_delete_all(cronofy, states, unique_id, sdk):
    """Sources: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb '#delete_all_events'
    "default" @ b75d79f275ca and cronofy/cronofy-csharp test/Cronofy.Test/
    CronofyAccountClientTests/BulkDelete.cs::CanDeleteAll @ 8b98dd70fc8c (JSON with charset
    {"delete_all":true}, 202); cronofy/cronofy-node test/bulkDelete.spec.js 'bulk delete from
    all' @ 042affa66fb2 (JSON without charset; its stub answers 200 {"foo":"bar"}, the docs 202).
    Managed events go; external ones stay."""
    create(cronofy, states, unique_id)
    if sdk == "node":
        response = cronofy.delete("/v1/events", json={"delete_all": True})
    else:
        response = send(cronofy, "DELETE", "/v1/events", {"delete_all": True})
    accepted(response)
    assert all(e["deleted"] for e in managed(cronofy, unique_id))
    assert cronofy.find(event_uid=states.get("editable_external_event")) is not None


@pytest.mark.rule("cronofy", 39)
@pytest.mark.parametrize("sdk", ["ruby-csharp", "node"])
def test_sdk_bulk_delete_calendars(cronofy, states, unique_id, sdk):
    """Sources: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb '#delete_all_events'
    "specific calendars" @ b75d79f275ca; cronofy/cronofy-csharp test/Cronofy.Test/
    CronofyAccountClientTests/BulkDelete.cs::CanDeleteAllForCalendars @ 8b98dd70fc8c;
    cronofy/cronofy-node test/bulkDelete.spec.js 'bulk delete from calendar' @ 042affa66fb2:
    {"calendar_ids": [two ids]} → 202 (the account's calendars stand in for theirs)."""
    first, second = states.get("writable_calendar"), states.get("second_writable_calendar")
    create(cronofy, states, unique_id, first)
    body = {"calendar_ids": [first, second]}
    response = (
        cronofy.delete("/v1/events", json=body)
        if sdk == "node"
        else send(cronofy, "DELETE", "/v1/events", body)
    )
    accepted(response)
    assert all(e["deleted"] for e in managed(cronofy, unique_id))


INVALID_CALENDAR_IDS = {
    "key": "errors.invalid_calendar_ids",
    "description": "One or more of the calendar IDs provided was invalid",
}


@pytest.mark.rule("cronofy", 39)
def test_csharp_bulk_delete_unknown_calendars_key(cronofy):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/BulkDelete.cs
    ::DeleteAllForCalendarsThrowsCronofyResponseExceptionOnFailure @ 8b98dd70fc8c: calendar ids
    cal_1234_5678 and cal_8765_4321 → 422, errors.invalid_calendar_ids on calendar_ids (the
    stub's JSON is itself malformed, `"errors:"`; its key and description are what it shows)."""
    body = {"calendar_ids": ["cal_1234_5678", "cal_8765_4321"]}
    [entry] = error_entries(send(cronofy, "DELETE", "/v1/events", body), "calendar_ids")
    assert entry["key"] == INVALID_CALENDAR_IDS["key"]


@pytest.mark.rule("cronofy", 39)
def test_csharp_bulk_delete_unknown_calendars_description(cronofy):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/BulkDelete.cs
    ::DeleteAllForCalendarsThrowsCronofyResponseExceptionOnFailure @ 8b98dd70fc8c: the
    description is "One or more of the calendar IDs provided was invalid"."""
    body = {"calendar_ids": ["cal_1234_5678", "cal_8765_4321"]}
    assert error_entries(send(cronofy, "DELETE", "/v1/events", body), "calendar_ids") == [
        INVALID_CALENDAR_IDS
    ]


@pytest.mark.rule("cronofy", 39)
def test_csharp_bulk_delete_must_be_boolean(cronofy):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/BulkDelete.cs
    ::DeleteAllThrowsCronofyResponseExceptionOnFailure @ 8b98dd70fc8c: 422 with
    {"key": "errors.must_be_boolean", "description": "must be a boolean value, either true or
    false"} on delete_all (replayed with a delete_all that is not a boolean)."""
    entries = error_entries(
        send(cronofy, "DELETE", "/v1/events", {"delete_all": "yes"}), "delete_all"
    )
    assert entries == [
        {
            "key": "errors.must_be_boolean",
            "description": "must be a boolean value, either true or false",
        }
    ]


# -- participation status --------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 52)
@pytest.mark.parametrize(
    ("sdk", "status"),
    [
        ("pycronofy", "accepted"),
        ("ruby", "accepted"),
        ("csharp", "accepted"),
        ("csharp", "tentative"),
        ("csharp", "declined"),
    ],
)
def test_sdk_change_participation_status(cronofy, states, sdk, status):
    """Sources: cronofy/pycronofy pycronofy/tests/test_client.py::
    test_change_participation_status @ e0e3b3787d77; cronofy/cronofy-ruby
    spec/lib/cronofy/client_spec.rb '#change_participation_status' @ b75d79f275ca;
    cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/
    ChangeParticipationStatus.cs::CanChangeParticipationStatus (three cases) @ 8b98dd70fc8c:
    POST {"status": ...} → 202, no body (pycronofy returns None)."""
    cal, uid = states.get("writable_calendar"), states.get("editable_external_event")
    path = f"/v1/calendars/{cal}/events/{uid}/participation_status"
    if sdk == "pycronofy":
        response = cronofy.post(path, json={"status": status})
    else:
        response = send(cronofy, "POST", path, {"status": status})
    accepted(response)
    assert cronofy.find(event_uid=uid)["participation_status"] == status


@pytest.mark.rule("cronofy", 52)
def test_csharp_change_participation_status_unknown_calendar_is_404(cronofy):
    """Source: cronofy/cronofy-csharp test/Cronofy.Test/CronofyAccountClientTests/
    ChangeParticipationStatus.cs::ChangeParticipationStatusThrowsCronofyResponseExceptionOnFailure
    @ 8b98dd70fc8c: {"status":"declined"} on calendar cal_123456_abcdef → 404."""
    path = "/v1/calendars/cal_123456_abcdef/events/qTtZdczOccgaPncGJaCiLg/participation_status"
    assert send(cronofy, "POST", path, {"status": "declined"}).status_code == 404


# -- batch -----------------------------------------------------------------------------------------


def batch(cronofy, entries: list[dict[str, Any]], **kw: Any):
    response = send(cronofy, "POST", "/v1/batch", {"batch": entries}, **kw)
    assert response.status_code == 207, response.text
    return response.json()["batch"]


def entry(method: str, calendar: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"method": method, "relative_url": f"/v1/calendars/{calendar}/events", "data": data}


@pytest.mark.rule("cronofy", 53)
def test_pycronofy_batch(cronofy, states, unique_id):
    """Source: cronofy/pycronofy pycronofy/tests/test_batch.py::test_batch @ e0e3b3787d77:
    [DELETE event_id "example_event_id" (never created), DELETE event_uid, POST TEST_EVENT] →
    207 {"batch": [{"status": 202}, {"status": 202}, {"status": 202}]}, in request order."""
    cal = states.get("replay_disposable_calendar")
    answers = batch(
        cronofy,
        [
            entry("DELETE", cal, {"event_id": "example_event_id"}),
            entry(
                "DELETE",
                cal,
                {
                    "event_uid": states.disposable(
                        "replay_disposable_event_4", still_listed(cronofy, states, cal)
                    )
                },
            ),
            entry("POST", cal, pycronofy_event(unique_id)),
        ],
        **replay(states),
    )
    assert answers == [{"status": 202}, {"status": 202}, {"status": 202}]


@pytest.mark.rule("cronofy", 53)
@pytest.mark.parametrize(
    "sdk", ["pycronofy-datetimes", "ruby-upsert", "csharp-upsert", "ruby-csharp-delete", "external"]
)
def test_sdk_batch_single_entry(cronofy, states, unique_id, sdk):
    """Sources: cronofy/pycronofy pycronofy/tests/test_batch.py::
    test_batch_upsert_with_datetimes @ e0e3b3787d77; cronofy/cronofy-ruby
    spec/lib/cronofy/client_spec.rb 'Batch requests' "upserting an event", "deleting an event",
    "deleting an external event" @ b75d79f275ca; cronofy/cronofy-csharp test/Cronofy.Test/
    CronofyAccountClientTests/Batch.cs::CanUpsertEvent, CanDeleteEvent, CanDeleteExternalEvent
    @ 8b98dd70fc8c: one entry → 207 {"batch": [{"status": 202}]}. The event a DELETE names is
    created first (its never-created form is test_pycronofy_batch)."""
    cal = states.get("writable_calendar")
    if sdk == "pycronofy-datetimes":
        item = entry("POST", cal, pycronofy_event(unique_id, start=at(17), end=at(18)))
    elif sdk == "ruby-upsert":
        data = {
            "event_id": unique_id,
            "summary": "Board meeting",
            "description": "Discuss plans for the next quarter.",
            "start": at(15, 30),
            "end": at(17),
            "url": "https://example.com",
            "location": {"description": "Board room"},
            "reminders": [{"minutes": 60}, {"minutes": 0}, {"minutes": 10}],
        }
        item = entry("POST", cal, data)
    elif sdk == "csharp-upsert":
        item = entry(
            "POST", cal, csharp_event(event_id=unique_id, location={"description": "Board room"})
        )
    elif sdk == "ruby-csharp-delete":
        create(cronofy, states, unique_id)
        item = entry("DELETE", cal, {"event_id": unique_id})
    else:
        cal = states.get("replay_disposable_calendar")
        uid = states.disposable("replay_disposable_event_5", still_listed(cronofy, states, cal))
        item = entry("DELETE", cal, {"event_uid": uid})
        assert batch(cronofy, [item], **replay(states)) == [{"status": 202}]
        return
    assert batch(cronofy, [item]) == [{"status": 202}]


@pytest.mark.rule("cronofy", 53)
@pytest.mark.parametrize("unknown_first", [False, True], ids=["ruby", "csharp"])
def test_sdk_batch_partial_success(cronofy, states, unique_id, unknown_first):
    """Sources: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb 'Batch requests' "partial
    success" @ b75d79f275ca ([202, 404]); cronofy/cronofy-csharp test/Cronofy.Test/
    CronofyAccountClientTests/Batch.cs::RaiseExceptionOnPartialSuccess @ 8b98dd70fc8c
    ([404, 202]): a DELETE in a calendar the account lacks is 404, the other 202, still 207."""
    cal = create(cronofy, states, unique_id)
    known = entry("DELETE", cal, {"event_id": unique_id})
    unknown = entry("DELETE", "cal_123_def", {"event_id": "456"})
    entries = [unknown, known] if unknown_first else [known, unknown]
    expected = (
        [{"status": 404}, {"status": 202}]
        if unknown_first
        else [
            {"status": 202},
            {"status": 404},
        ]
    )
    assert batch(cronofy, entries) == expected


@pytest.mark.rule("cronofy", 53)
def test_node_batch(cronofy, states, unique_id):
    """Source: cronofy/cronofy-node test/index.spec.js 'Batch' 'batches requests'
    @ 042affa66fb2 (same as pycronofy tests/test_batch.py::test_batch_with_errors' answer):
    [DELETE event_id "456", POST without summary] → 207 {"batch": [{"status": 202},
    {"status": 422, "data": {"errors": {"summary": [{"key": "errors.required",
    "description": "summary must be specified"}]}}}]}."""
    cal = create(cronofy, states, unique_id)
    answers = batch(
        cronofy,
        [
            entry("DELETE", cal, {"event_id": unique_id}),
            entry(
                "POST",
                cal,
                {
                    "event_id": "qTtZdczOccgaPncGJaCiLg",
                    "description": "Discuss plans for the next quarter.",
                    "start": at(15, 30),
                    "end": at(17),
                    "location": {"description": "Board room"},
                },
            ),
        ],
    )
    assert answers == [
        {"status": 202},
        {
            "status": 422,
            "data": {
                "errors": {
                    "summary": [
                        {"key": "errors.required", "description": "summary must be specified"}
                    ]
                }
            },
        },
    ]
