"""Bookings against availability, recurring event types and the booking lifecycle
(cal-api-version 2024-08-13; docs/reference/scheduling.md §3.6-3.8, rules S-K40..S-K53;
bookings/2024-08-13 services, errors.service handleBookingError, recurring-bookings and
reserved-slot-bookings e2e specs)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contracts.calcom.conftest import error_of, instant
from contracts.calcom.scheduling import BOOKINGS, MONDAY, SLOTS, at, minutes_until
from contracts.kit import clock_moved


def bookings(calcom, method, path="", **kw):
    kw.setdefault("version", BOOKINGS)
    return calcom.request(method, "/v2/bookings" + path, **kw)


@pytest.mark.rule("scheduling", "S-K40")
def test_rule_S_K40_outside_working_hours_or_over_a_booking_is_refused(calcom, made):
    et = made.event_type()
    saturday = made.booking(et["id"], "2050-09-10T10:00:00Z")
    assert saturday.status_code == 400
    text = "User either already has booking at this time or is not available"
    assert error_of(saturday)["message"] == text
    evening = made.booking(et["id"], at(MONDAY, "16:00:00Z"))  # 18:00 Rome
    assert error_of(evening)["message"] == text
    assert made.booking(et["id"], at(MONDAY, "10:00:00Z")).status_code == 201
    overlap = made.booking(et["id"], at(MONDAY, "10:30:00Z"))
    assert overlap.status_code == 400
    assert error_of(overlap)["message"] == text


@pytest.mark.rule("scheduling", "S-K41")
def test_rule_S_K41_notice_and_booking_window_are_out_of_bounds(calcom, made):
    text = (
        'The event type can\'t be booked at the "start" time provided. This could be because '
        "it's too soon (violating the minimum booking notice) or too far in the future (outside "
        "the event's scheduling window). Try fetching available slots first using the GET "
        '/v2/slots endpoint and then make a booking with "start" time equal to one of the '
        "available slots: https://cal.com/docs/api-reference/v2/slots"
    )
    late = made.event_type(minimumBookingNotice=minutes_until("2050-09-07T00:00:00Z"))
    refused = made.booking(late["id"], at(MONDAY, "10:00:00Z"))
    assert refused.status_code == 400
    assert error_of(refused)["message"] == text
    near = made.event_type(bookingWindow={"type": "calendarDays", "value": 30, "rolling": False})
    far = made.booking(near["id"], at(MONDAY, "10:00:00Z"))
    assert far.status_code == 400
    assert error_of(far)["message"] == text


@pytest.mark.rule("scheduling", "S-K42")
def test_rule_S_K42_a_start_off_the_slot_grid_is_accepted(calcom, made):
    et = made.event_type()
    response = made.booking(et["id"], at(MONDAY, "07:10:00Z"))  # 09:10 Rome, hourly grid
    assert response.status_code == 201, response.text
    assert instant(response.json()["data"]["start"]) == instant("2050-09-05T07:10:00Z")


@pytest.mark.rule("scheduling", "S-K43")
def test_rule_S_K43_someone_elses_reservation_refuses_the_booking(calcom, made):
    et = made.event_type()
    held = calcom.post(
        "/v2/slots/reservations",
        json={"eventTypeId": et["id"], "slotStart": at(MONDAY, "10:00:00Z")},
        version=SLOTS,
        token=False,
    )
    assert held.status_code == 201, held.text
    uid = held.json()["data"]["reservationUid"]
    try:
        refused = made.booking(et["id"], at(MONDAY, "10:00:00Z"))
        assert refused.status_code == 400
        assert error_of(refused)["message"].startswith(
            "Someone else reserved this booking time slot before you. This time slot will be "
            "freed up in "
        )
        assert error_of(refused)["message"].endswith(" seconds.")
    finally:
        calcom.delete(f"/v2/slots/reservations/{uid}", version=SLOTS, token=False)
    assert made.booking(et["id"], at(MONDAY, "10:00:00Z")).status_code == 201


@pytest.mark.rule("scheduling", "S-K43")
def test_rule_S_K43_booking_with_the_reservation_uid_consumes_it(calcom, made):
    et = made.event_type()
    uid = calcom.post(
        "/v2/slots/reservations",
        json={"eventTypeId": et["id"], "slotStart": at(MONDAY, "11:00:00Z")},
        version=SLOTS,
        token=False,
    ).json()["data"]["reservationUid"]
    booked = made.booking(et["id"], at(MONDAY, "11:00:00Z"), reservedSlotUid=uid)
    assert booked.status_code == 201, booked.text
    left = calcom.get(f"/v2/slots/reservations/{uid}", version=SLOTS, token=False)
    assert left.json()["data"] is None


@pytest.mark.rule("scheduling", "S-K44")
def test_rule_S_K44_length_in_minutes_only_for_variable_length_types(calcom, made):
    fixed = made.event_type()
    refused = made.booking(fixed["id"], at(MONDAY, "10:00:00Z"), lengthInMinutes=60)
    assert refused.status_code == 400
    assert error_of(refused)["message"] == (
        "Can't specify 'lengthInMinutes' because event type does not have multiple possible "
        "lengths. Please, remove the 'lengthInMinutes' field from the request."
    )
    flex = made.event_type(lengthInMinutes=15, lengthInMinutesOptions=[15, 30, 60])
    wrong = made.booking(flex["id"], at(MONDAY, "10:00:00Z"), lengthInMinutes=45)
    assert error_of(wrong)["message"] == (
        "Provided 'lengthInMinutes' is not one of the possible lengths for the event type. The "
        "possible lengths are: 15, 30, 60"
    )
    ok = made.booking(flex["id"], at(MONDAY, "10:00:00Z"), lengthInMinutes=30)
    assert ok.status_code == 201, ok.text
    assert ok.json()["data"]["duration"] == 30


WEEKLY = {"frequency": "weekly", "interval": 1, "occurrences": 4}


@pytest.mark.rule("scheduling", "S-K45")
def test_rule_S_K45_a_recurring_type_books_a_series(calcom, made):
    et = made.event_type(recurrence=WEEKLY)
    response = made.booking(et["id"], at(MONDAY, "10:00:00Z"), recurrenceCount=3)
    assert response.status_code == 201, response.text
    series = response.json()["data"]
    assert [b["start"] for b in series] == [
        "2050-09-05T10:00:00.000Z",
        "2050-09-12T10:00:00.000Z",
        "2050-09-19T10:00:00.000Z",
    ]
    assert len({b["uid"] for b in series}) == 3
    assert len({b["recurringBookingUid"] for b in series}) == 1
    assert all(b["status"] == "accepted" and b["duration"] == 60 for b in series)
    too_many = made.booking(et["id"], at(MONDAY, "13:00:00Z"), recurrenceCount=5)
    assert too_many.status_code == 400
    assert error_of(too_many)["message"] == (
        "Provided recurrence count is higher than the event type's recurring event count."
    )


@pytest.mark.rule("scheduling", "S-K45")
def test_rule_S_K45_a_series_keeps_its_wall_time_in_the_attendee_zone(calcom, made):
    """Rome leaves summer time on 2050-10-30: the 12:00 Rome series moves from 10:00Z to 11:00Z."""
    et = made.event_type(recurrence=WEEKLY)
    series = made.booking(et["id"], "2050-10-24T10:00:00Z").json()["data"]
    assert [b["start"] for b in series[:2]] == [
        "2050-10-24T10:00:00.000Z",
        "2050-10-31T11:00:00.000Z",
    ]


@pytest.mark.rule("scheduling", "S-K46")
def test_rule_S_K46_the_series_uid_reads_the_whole_series(calcom, made):
    et = made.event_type(recurrence=WEEKLY)
    series = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]
    whole = bookings(calcom, "GET", f"/{series[0]['recurringBookingUid']}").json()["data"]
    assert [b["uid"] for b in whole] == [b["uid"] for b in series]
    one = bookings(calcom, "GET", f"/{series[1]['uid']}").json()["data"]
    assert one["uid"] == series[1]["uid"]
    assert one["recurringBookingUid"] == series[0]["recurringBookingUid"]


@pytest.mark.rule("scheduling", "S-K47")
def test_rule_S_K47_cancel_the_series_or_an_occurrence_and_the_later_ones(calcom, made):
    et = made.event_type(recurrence=WEEKLY)
    series = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]
    second = series[1]["uid"]
    tail = bookings(calcom, "POST", f"/{second}/cancel", json={"cancelSubsequentBookings": True})
    assert tail.status_code == 200, tail.text
    assert [b["status"] for b in tail.json()["data"]] == [
        "accepted",
        "cancelled",
        "cancelled",
        "cancelled",
    ]
    other = made.booking(et["id"], at(MONDAY, "13:00:00Z")).json()["data"]
    series_uid = other[0]["recurringBookingUid"]
    refused = bookings(
        calcom, "POST", f"/{series_uid}/cancel", json={"cancelSubsequentBookings": True}
    )
    assert refused.status_code == 400
    assert error_of(refused)["message"].startswith("Cannot cancel subsequent bookings")
    everything = bookings(calcom, "POST", f"/{series_uid}/cancel", json={})
    assert everything.status_code == 200, everything.text
    assert {b["status"] for b in everything.json()["data"]} == {"cancelled"}


@pytest.mark.rule("scheduling", "S-K48")
def test_rule_S_K48_cancelling_twice_is_a_400(calcom, made):
    et = made.event_type()
    uid = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]["uid"]
    assert bookings(calcom, "POST", f"/{uid}/cancel", json={}).status_code == 200
    again = bookings(calcom, "POST", f"/{uid}/cancel", json={})
    assert again.status_code == 400
    assert error_of(again)["message"] == (
        f"Can't cancel booking with uid={uid} because it has been cancelled already. Please "
        "provide uid of a booking that is not cancelled."
    )


@pytest.mark.rule("scheduling", "S-K49")
def test_rule_S_K49_confirm_and_decline_a_booking_that_needs_it(calcom, made):
    et = made.event_type(
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False}
    )
    one = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]
    two = made.booking(et["id"], at(MONDAY, "12:00:00Z")).json()["data"]
    assert (one["status"], two["status"]) == ("pending", "pending")
    confirmed = bookings(calcom, "POST", f"/{one['uid']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["data"]["status"] == "accepted"
    declined = bookings(calcom, "POST", f"/{two['uid']}/decline", json={"reason": "no time"})
    assert declined.status_code == 200, declined.text
    assert declined.json()["data"]["status"] == "rejected"
    unknown = bookings(calcom, "POST", "/noSuchBooking0000000001/confirm")
    assert unknown.status_code == 404
    assert error_of(unknown)["message"] == (
        "Booking with uid=noSuchBooking0000000001 was not found in the database"
    )


@pytest.mark.rule("scheduling", "S-K50")
def test_rule_S_K50_absence_only_after_the_start(calcom, made):
    et = made.event_type()
    uid = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]["uid"]
    early = bookings(calcom, "POST", f"/{uid}/mark-absent", json={"host": True})
    assert early.status_code == 400
    message = error_of(early)["message"]
    assert message.startswith(
        "Bookings can only be marked as absent after their scheduled start time. Current time "
        "in UTC+0: "
    )
    assert message.endswith("Booking start time in UTC+0: 2050-09-05T10:00:00.000Z")


@pytest.mark.fake_only
@pytest.mark.rule("scheduling", "S-K50")
def test_rule_S_K50_after_the_start_absence_is_recorded(calcom, made, target):
    et = made.event_type()
    uid = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]["uid"]
    seconds = (instant("2050-09-05T11:00:00Z") - datetime.now(UTC)).total_seconds()
    with clock_moved(target, seconds):
        body = {
            "host": True,
            "attendees": [{"email": "sam.scheduler@contract.example", "absent": True}],
        }
        response = bookings(calcom, "POST", f"/{uid}/mark-absent", json=body)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["absentHost"] is True
    assert data["attendees"][0]["absent"] is True


@pytest.mark.rule("scheduling", "S-K51")
def test_rule_S_K51_guests_join_the_booking(calcom, made):
    et = made.event_type()
    uid = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]["uid"]
    added = bookings(
        calcom,
        "POST",
        f"/{uid}/guests",
        json={"guests": [{"email": "gia.guest@contract.example", "name": "Gia"}]},
    )
    assert added.status_code == 200, added.text
    emails = [a["email"] for a in added.json()["data"]["attendees"]]
    assert emails == ["sam.scheduler@contract.example", "gia.guest@contract.example"]
    unknown = bookings(
        calcom,
        "POST",
        "/noSuchBooking0000000001/guests",
        json={"guests": [{"email": "a@b.example"}]},
    )
    assert unknown.status_code == 404
    assert error_of(unknown)["message"] == "Booking with uid noSuchBooking0000000001 not found"


@pytest.mark.rule("scheduling", "S-K52")
def test_rule_S_K52_calendar_links(calcom, made):
    et = made.event_type()
    uid = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]["uid"]
    response = bookings(calcom, "GET", f"/{uid}/calendar-links")
    assert response.status_code == 200, response.text
    links = response.json()["data"]
    assert [link["label"] for link in links] == [
        "Google Calendar",
        "Microsoft Office",
        "Microsoft Outlook",
        "ICS",
    ]
    assert all(set(link) == {"label", "link"} for link in links)
    assert links[0]["link"].startswith("https://calendar.google.com/calendar/r/eventedit")
    assert "20500905T100000Z" in links[0]["link"]


@pytest.mark.rule("scheduling", "S-K53")
def test_rule_S_K53_patch_location_changes_the_booking_not_the_event(calcom, made):
    et = made.event_type()
    uid = made.booking(et["id"], at(MONDAY, "10:00:00Z")).json()["data"]["uid"]
    body = {"location": {"type": "address", "address": "2 New Street"}}
    unversioned = calcom.patch(f"/v2/bookings/{uid}/location", json=body)
    assert unversioned.status_code == 404
    moved = bookings(calcom, "PATCH", f"/{uid}/location", json=body)
    assert moved.status_code == 200, moved.text
    assert moved.json()["data"]["location"] == "2 New Street"
    refs = bookings(calcom, "GET", f"/{uid}/references", params={"type": "google_calendar"})
    if refs.status_code == 200 and refs.json()["data"]:
        event = calcom.event(refs.json()["data"][0]["eventUid"]).json()["data"]
        assert "2 New Street" not in str(event["locations"])


def test_booking_field_responses_are_checked_against_the_type(calcom, made):
    """§3.6: required custom fields, their types and their options (bookings input.service)."""
    et = made.event_type(
        bookingFields=[
            {"type": "select", "slug": "language", "label": "Language", "required": True,
             "options": ["python", "cobol"]},
            {"type": "number", "slug": "seats", "label": "Seats", "required": False},
        ]
    )  # fmt: skip
    start = at(MONDAY, "10:00:00Z")
    missing = made.booking(et["id"], start)
    assert missing.status_code == 400
    assert error_of(missing)["message"] == (
        "Missing required booking field response: language - it is required by the event type "
        "booking fields, but missing in the bookingFieldsResponses. You can fetch the event type "
        f"with ID {et['id']} to see the required fields."
    )
    wrong = made.booking(et["id"], start, bookingFieldsResponses={"language": "basic"})
    assert error_of(wrong)["message"] == (
        "Invalid option 'basic' for booking field 'language'. Allowed options are: python, cobol."
    )
    typed = made.booking(
        et["id"], start, bookingFieldsResponses={"language": "python", "seats": "two"}
    )
    assert error_of(typed)["message"] == (
        "Invalid type for booking field 'seats'. Expected type number (compatible with field "
        "type 'number'), but received string."
    )
    ok = made.booking(et["id"], start, bookingFieldsResponses={"language": "python", "seats": 2})
    assert ok.status_code == 201, ok.text
    assert ok.json()["data"]["bookingFieldsResponses"]["language"] == "python"
