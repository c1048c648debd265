"""The neighbours a scheduling flow needs: /v2/me, bookings (cal-api-version 2024-08-13),
booking references, connected calendars and busy times (reference/calcom.md §1.8, §3; rules 38,
39, and the create -> reference -> calendar event loop)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from contracts.calcom.conftest import error_of, instant


def future(start: str) -> bool:
    return instant(start) > datetime.now(UTC)


def new_booking(calcom, states, start_state: str = "bookable_start", **extra):
    body = {
        "start": states.disposable(start_state, future),
        "eventTypeId": int(states.get("event_type_id")),
        "attendee": {
            "name": "Eve Booker",
            "email": "eve@contract.example",
            "timeZone": "Europe/Paris",
        },
        **extra,
    }
    return calcom.bookings("POST", json=body, token=False)


def test_me_answers_the_key_owner(calcom, states):
    response = calcom.get("/v2/me")
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["email"] == states.get("user_email")
    assert {"id", "username", "timeZone", "weekStart"} <= set(data)


@pytest.mark.rule("calcom", 38)
@pytest.mark.parametrize("version", [None, "2024-04-15", "2024-09-04", "garbage"])
def test_rule_38_bookings_without_2024_08_13_do_not_give_that_shape(calcom, states, version):
    uid = states.get("booking_uid")
    one = calcom.bookings("GET", f"/{uid}", version=version)
    refs = calcom.bookings("GET", f"/{uid}/references", version=version)
    for response in (one, refs):
        if response.status_code == 200:  # a legacy controller answered: not the 2024-08-13 shape
            data = response.json().get("data")
            assert not (isinstance(data, dict) and {"uid", "hosts", "eventType"} <= set(data))
        else:
            assert response.status_code == 404, response.text
    # refs only exists in 2024-08-13: always 404 elsewhere
    assert refs.status_code == 404
    assert calcom.bookings("GET", f"/{uid}").status_code == 200  # with the header


@pytest.mark.rule("calcom", 39)
def test_rule_39_references_filter_by_type(calcom, states):
    uid = states.get("video_booking_uid")
    every = calcom.bookings("GET", f"/{uid}/references")
    assert every.status_code == 200, every.text
    kinds = {r["type"] for r in every.json()["data"]}
    assert "google_calendar" in kinds
    google = calcom.bookings("GET", f"/{uid}/references", params={"type": "google_calendar"})
    assert [r["type"] for r in google.json()["data"]] == ["google_calendar"]
    ref = google.json()["data"][0]
    assert isinstance(ref["id"], int)
    assert ref["destinationCalendarId"] is None or isinstance(ref["destinationCalendarId"], str)
    assert calcom.event(ref["eventUid"]).status_code == 200


@pytest.mark.rule("calcom", 39)
def test_rule_39_unknown_reference_type_is_a_validation_400(calcom, states):
    response = calcom.bookings(
        "GET", f"/{states.get('booking_uid')}/references", params={"type": "carrier_pigeon"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "BadRequestException"


@pytest.fixture
def cleanup(calcom) -> Iterator[list[str]]:
    """Booking uids to cancel afterwards, so a live run leaves the bookable slots free."""
    uids: list[str] = []
    yield uids
    for uid in uids:
        calcom.bookings("POST", f"/{uid}/cancel", json={"cancellationReason": "contract cleanup"})


def test_booking_flow_create_reference_read_patch(calcom, states, cleanup):
    created = new_booking(calcom, states)
    assert created.status_code == 201, created.text
    booking = created.json()["data"]
    cleanup.append(booking["uid"])
    assert booking["status"] == "accepted"
    assert instant(booking["start"]) == instant(states.get("bookable_start"))
    again = calcom.bookings("GET", f"/{booking['uid']}")
    assert again.status_code == 200
    assert again.json()["data"]["uid"] == booking["uid"]
    event_uid = calcom.google_reference(booking["uid"])
    event = calcom.event(event_uid)
    assert event.status_code == 200, event.text
    data = event.json()["data"]
    assert instant(data["start"]["time"]) == instant(booking["start"])
    assert "eve@contract.example" in [a["email"] for a in data["attendees"]]
    patched = calcom.update(event_uid, {"title": "Renamed through the calendar"})
    assert patched.status_code == 200
    assert calcom.event(event_uid).json()["data"]["title"] == "Renamed through the calendar"
    # the booking keeps its own title: the calendar event is Google's, the booking Cal.com's
    assert calcom.bookings("GET", f"/{booking['uid']}").json()["data"]["title"] == booking["title"]


def test_booking_validation_400(calcom, states):
    response = calcom.bookings("POST", json={"start": "soon"}, token=False)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "BadRequestException"


def test_unknown_booking_uid_gets_404(calcom):
    response = calcom.bookings("GET", "/noSuchBooking000000000000")
    assert response.status_code == 404
    assert error_of(response)["code"] == "NotFoundException"


def test_cancel_deletes_the_calendar_event(calcom, states):
    booking = new_booking(calcom, states).json()["data"]
    event_uid = calcom.google_reference(booking["uid"])
    cancelled = calcom.bookings(
        "POST", f"/{booking['uid']}/cancel", json={"cancellationReason": "contract test"}
    )
    assert cancelled.status_code == 200, cancelled.text
    data = cancelled.json()["data"]
    assert data["status"] == "cancelled"
    assert data["cancellationReason"] == "contract test"
    assert calcom.event(event_uid).status_code == 404
    again = calcom.bookings("POST", f"/{booking['uid']}/cancel", json={})
    assert again.status_code == 400


def test_reschedule_moves_the_event_and_links_the_bookings(calcom, states, cleanup):
    booking = new_booking(calcom, states).json()["data"]
    event_uid = calcom.google_reference(booking["uid"])
    moved = calcom.bookings(
        "POST",
        f"/{booking['uid']}/reschedule",
        json={
            "start": states.disposable("second_bookable_start", future),
            "reschedulingReason": "clash",
        },
    )
    assert moved.status_code == 201, moved.text
    new = moved.json()["data"]
    cleanup.append(new["uid"])
    assert new["uid"] != booking["uid"]
    assert new["rescheduledFromUid"] == booking["uid"]
    assert instant(new["start"]) == instant(states.get("second_bookable_start"))
    old = calcom.bookings("GET", f"/{booking['uid']}").json()["data"]
    assert old["status"] == "cancelled"
    assert old["rescheduledToUid"] == new["uid"]
    new_event = calcom.google_reference(new["uid"])
    event = calcom.event(new_event).json()["data"]
    assert instant(event["start"]["time"]) == instant(new["start"])
    if new_event == event_uid:  # the fake moves the same Google event
        assert instant(event["end"]["time"]) - instant(event["start"]["time"]) == timedelta(
            minutes=new["duration"]
        )
    refused = calcom.bookings(
        "POST", f"/{booking['uid']}/reschedule", json={"start": states.get("bookable_start")}
    )
    assert refused.status_code == 400


def test_list_bookings_filters_and_paginates(calcom, states):
    response = calcom.bookings("GET", params={"take": 1, "skip": 0})
    assert response.status_code == 200, response.text
    body = response.json()
    page = body["pagination"]
    assert page["returnedItems"] == len(body["data"]) == 1
    assert page["itemsPerPage"] == 1 and page["currentPage"] == 1
    assert page["totalItems"] >= 2 and page["hasNextPage"] and not page["hasPreviousPage"]
    second = calcom.bookings("GET", params={"take": 1, "skip": 1}).json()
    assert second["pagination"]["hasPreviousPage"]
    assert second["data"][0]["uid"] != body["data"][0]["uid"]
    uid = states.get("booking_uid")
    only = calcom.bookings("GET", params={"bookingUid": uid}).json()
    assert [b["uid"] for b in only["data"]] == [uid]
    cancelled = calcom.bookings("GET", params={"status": "cancelled"}).json()
    assert all(b["status"] in ("cancelled", "rejected") for b in cancelled["data"])
    bad = calcom.bookings("GET", params={"status": "someday"})
    assert bad.status_code == 400


def test_list_bookings_needs_auth(calcom):
    response = calcom.bookings("GET", token=False)
    assert response.status_code == 401


def test_calendars_and_busy_times(calcom, states):
    response = calcom.get("/v2/calendars")
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    externals = [c["externalId"] for cc in data["connectedCalendars"] for c in cc["calendars"]]
    assert states.get("calendar_external_id") in externals
    event = calcom.event(states.get("event_uid")).json()["data"]
    day = instant(event["start"]["time"]).date()
    busy = calcom.get(
        "/v2/calendars/busy-times",
        params={
            "loggedInUsersTz": "UTC",
            "dateFrom": day.isoformat(),
            "dateTo": day.isoformat(),
            "calendarsToLoad[0][credentialId]": states.get("credential_id"),
            "calendarsToLoad[0][externalId]": states.get("calendar_external_id"),
        },
    )
    assert busy.status_code == 200, busy.text
    spans = [(instant(b["start"]), instant(b["end"])) for b in busy.json()["data"]]
    assert (instant(event["start"]["time"]), instant(event["end"]["time"])) in spans
