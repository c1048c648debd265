"""GET /v2/slots, cal-api-version 2024-09-04 (docs/reference/scheduling.md §3.2, rules S-K1..S-K14
and S-K39). Each test makes its own schedule and event type over HTTP in a week of 2050 and
deletes them afterwards; expectations follow Cal.com's own e2e tests
(apps/api/v2/src/modules/slots/slots-2024-09-04/controllers/e2e/user-event-type-slots.controller.e2e-spec.ts
and expected-slots.ts)."""

from __future__ import annotations

import pytest

from contracts.calcom.conftest import error_of
from contracts.calcom.scheduling import (
    BOOKINGS,
    MONDAY,
    ROME_HOURLY,
    ROME_HOURS,
    SCHEDULES,
    after_change,
    at,
    minutes_until,
    slot_times,
    slots,
)

WEEK = {"start": MONDAY, "end": "2050-09-09"}
WEEKDAYS = ["2050-09-05", "2050-09-06", "2050-09-07", "2050-09-08", "2050-09-09"]


@pytest.mark.rule("scheduling", "S-K1")
def test_rule_S_K1_slots_need_no_credentials_but_the_version(calcom, made):
    et = made.event_type()
    response = slots(calcom, eventTypeId=et["id"], **WEEK)
    assert response.status_code == 200, response.text
    unversioned = calcom.get("/v2/slots", params={"eventTypeId": et["id"], **WEEK}, token=False)
    assert unversioned.status_code == 404
    assert error_of(unversioned)["message"].startswith("Cannot GET /v2/slots")


@pytest.mark.rule("scheduling", "S-K2")
def test_rule_S_K2_a_key_the_chosen_form_does_not_declare_is_a_400(calcom, made):
    et = made.event_type()
    both = slots(calcom, eventTypeId=et["id"], usernames="a,b", **WEEK)
    assert both.status_code == 400
    assert error_of(both)["message"] == (
        "usernames property is wrong,property usernames should not exist "
    )
    stray = slots(calcom, eventTypeId=et["id"], slotFormat="range", **WEEK)
    assert error_of(stray)["message"] == (
        "slotFormat property is wrong,property slotFormat should not exist "
    )


@pytest.mark.rule("scheduling", "S-K3")
def test_rule_S_K3_pipe_errors_are_property_strings_joined_by_commas(calcom):
    one = slots(calcom, eventTypeId="abc", **WEEK)
    assert one.status_code == 400
    error = error_of(one)
    assert error["code"] == "BadRequestException"
    assert error["message"] == (
        "eventTypeId property is wrong,eventTypeId must be a number conforming to the "
        "specified constraints "
    )
    two = slots(calcom, eventTypeId="1", end="2050-09-09", timeZone="Mars/Base")
    first = "start property is wrong,start must be a valid ISO 8601 date string "
    second = "timeZone property is wrong,timeZone must be a valid IANA time-zone "
    assert error_of(two)["message"] in (f"{first}, {second}", f"{second}, {first}")


@pytest.mark.rule("scheduling", "S-K4")
def test_rule_S_K4_start_is_inclusive_and_a_slot_must_end_by_end(calcom, made):
    et = made.event_type()
    whole = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))
    assert whole == {MONDAY: ROME_HOURLY}  # a bare end date covers that whole UTC day
    narrow = slot_times(
        slots(
            calcom,
            eventTypeId=et["id"],
            start="2050-09-05T09:00:00.000Z",
            end="2050-09-09T12:00:00.000Z",
        )
    )
    assert narrow[MONDAY][0] == "09:00:00.000Z"
    assert narrow["2050-09-09"][-1] == "11:00:00.000Z"  # 11:00-12:00 ends exactly at `end`


@pytest.mark.rule("scheduling", "S-K5")
def test_rule_S_K5_data_maps_dates_with_slots_and_is_empty_without(calcom, made):
    et = made.event_type()
    week = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end="2050-09-11"))
    assert list(week) == WEEKDAYS  # the weekend is absent
    weekend = slots(calcom, eventTypeId=et["id"], start="2050-09-10", end="2050-09-11")
    assert weekend.json()["data"] == {}


@pytest.mark.rule("scheduling", "S-K6")
def test_rule_S_K6_times_have_milliseconds_and_the_zone_offset(calcom, made):
    et = made.event_type()
    plain = slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY).json()["data"]
    assert plain[MONDAY][0] == {"start": "2050-09-05T07:00:00.000Z"}
    rome = slots(
        calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY, timeZone="Europe/Rome"
    ).json()["data"]
    assert rome[MONDAY][0] == {"start": "2050-09-05T09:00:00.000+02:00"}
    assert rome[MONDAY][-1] == {"start": "2050-09-05T16:00:00.000+02:00"}


@pytest.mark.rule("scheduling", "S-K7")
def test_rule_S_K7_range_format_adds_end_and_other_formats_are_refused(calcom, made):
    et = made.event_type()
    ranged = slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY, format="RANGE")
    first = ranged.json()["data"][MONDAY][0]
    assert first == {"start": "2050-09-05T07:00:00.000Z", "end": "2050-09-05T08:00:00.000Z"}
    bad = slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY, format="list")
    assert bad.status_code == 400
    assert error_of(bad)["message"] == (
        "format property is wrong,slotFormat must be either 'range' or 'time' "
    )


@pytest.mark.rule("scheduling", "S-K8")
def test_rule_S_K8_the_grid_follows_interval_duration_and_length(calcom, made):
    hourly = made.event_type()
    week = slot_times(slots(calcom, eventTypeId=hourly["id"], **WEEK))
    assert week == {day: ROME_HOURLY for day in WEEKDAYS}  # slots-e2e expected-slots
    deep = made.event_type(lengthInMinutes=45)
    starts = slot_times(slots(calcom, eventTypeId=deep["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert starts[:3] == ["07:00:00.000Z", "07:45:00.000Z", "08:30:00.000Z"]  # interval 15
    quarter = made.event_type(slotInterval=15)
    starts = slot_times(slots(calcom, eventTypeId=quarter["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert starts[:3] == ["07:00:00.000Z", "07:15:00.000Z", "07:30:00.000Z"]
    assert starts[-1] == "14:00:00.000Z"  # the last 60-minute slot that ends by 17:00 Rome
    flex = made.event_type(lengthInMinutes=15, lengthInMinutesOptions=[15, 60])
    long = slot_times(
        slots(calcom, eventTypeId=flex["id"], start=MONDAY, end=MONDAY, duration="60")
    )
    assert long[MONDAY] == ROME_HOURLY


@pytest.mark.rule("scheduling", "S-K9")
def test_rule_S_K9_the_type_schedule_wins_and_overrides_replace_a_day(calcom, made):
    sch = made.schedule(
        overrides=[
            {"date": "2050-09-06", "startTime": "10:00", "endTime": "12:00"},
            {"date": "2050-09-07", "startTime": "00:00", "endTime": "00:00"},
        ]
    )
    et = made.event_type(scheduleId=sch["id"])
    week = slot_times(slots(calcom, eventTypeId=et["id"], **WEEK))
    assert week["2050-09-06"] == ["08:00:00.000Z", "09:00:00.000Z"]  # 10:00-12:00 Rome only
    assert "2050-09-07" not in week  # a zero-length override closes the day
    assert week[MONDAY] == ROME_HOURLY
    saturday = made.schedule(
        availability=[{"days": ["Saturday"], "startTime": "10:00", "endTime": "12:00"}]
    )
    weekend = made.event_type(scheduleId=saturday["id"])
    only = slot_times(slots(calcom, eventTypeId=weekend["id"], start=MONDAY, end="2050-09-11"))
    assert only == {"2050-09-10": ["08:00:00.000Z", "09:00:00.000Z"]}


@pytest.mark.rule("scheduling", "S-K10")
def test_rule_S_K10_accepted_and_blocking_pending_bookings_are_busy(calcom, made):
    et = made.event_type()
    booked = made.booking(et["id"], at(MONDAY, "11:00:00Z"))
    assert booked.status_code == 201, booked.text
    day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert "11:00:00.000Z" not in day and "10:00:00.000Z" in day and "12:00:00.000Z" in day
    cancelled = made.booking(et["id"], at(MONDAY, "13:00:00Z")).json()["data"]["uid"]
    calcom.post(f"/v2/bookings/{cancelled}/cancel", json={}, version=BOOKINGS)
    after_change(calcom.target)
    day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert "13:00:00.000Z" in day  # a cancelled booking never blocks
    blocking = made.event_type(
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": True}
    )
    open_ = made.event_type(
        confirmationPolicy={"type": "always", "blockUnconfirmedBookingsInBooker": False}
    )
    for kind, clock, hidden in ((blocking, "08:00", True), (open_, "12:00", False)):
        pending = made.booking(kind["id"], at("2050-09-06", f"{clock}:00Z"))
        assert pending.status_code == 201, pending.text
        assert pending.json()["data"]["status"] == "pending"
        day = slot_times(
            slots(calcom, eventTypeId=kind["id"], start="2050-09-06", end="2050-09-06")
        )
        assert (f"{clock}:00.000Z" not in day["2050-09-06"]) is hidden


@pytest.mark.rule("scheduling", "S-K11")
def test_rule_S_K11_buffers_widen_busy_time_and_notice_and_window_trim(calcom, made):
    et = made.event_type(beforeEventBuffer=15, afterEventBuffer=15)
    assert made.booking(et["id"], at(MONDAY, "11:00:00Z")).status_code == 201
    day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
    # 11:00-12:00 blocks 10:30-12:30 for this type: the 10:00 and 12:00 slots go
    assert day == [
        "07:00:00.000Z",
        "08:00:00.000Z",
        "09:00:00.000Z",
        "13:00:00.000Z",
        "14:00:00.000Z",
    ]
    late = made.event_type(minimumBookingNotice=minutes_until("2050-09-07T00:00:00Z"))
    week = slot_times(slots(calcom, eventTypeId=late["id"], **WEEK))
    assert list(week) == ["2050-09-07", "2050-09-08", "2050-09-09"]
    near = made.event_type(bookingWindow={"type": "calendarDays", "value": 30, "rolling": False})
    assert slots(calcom, eventTypeId=near["id"], **WEEK).json()["data"] == {}


@pytest.mark.rule("scheduling", "S-K12")
def test_rule_S_K12_seated_slots_count_seats_and_full_ones_vanish(calcom, made):
    et = made.event_type(
        seats={"seatsPerTimeSlot": 2, "showAttendeeInfo": False, "showAvailabilityCount": True}
    )
    first = made.booking(et["id"], at(MONDAY, "11:00:00Z"))
    assert first.status_code == 201, first.text
    uid = first.json()["data"]["uid"]
    day = slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY).json()["data"][MONDAY]
    by_start = {s["start"]: s for s in day}
    assert by_start["2050-09-05T11:00:00.000Z"] == {
        "start": "2050-09-05T11:00:00.000Z",
        "seatsBooked": 1,
        "seatsRemaining": 1,
        "seatsTotal": 2,
        "bookingUid": uid,
    }
    assert by_start["2050-09-05T10:00:00.000Z"] == {
        "start": "2050-09-05T10:00:00.000Z",
        "seatsBooked": 0,
        "seatsRemaining": 2,
        "seatsTotal": 2,
    }
    second = made.booking(et["id"], at(MONDAY, "11:00:00Z"))
    assert second.status_code == 201, second.text
    assert second.json()["data"]["uid"] == uid  # the second seat joins the booking
    after_change(calcom.target)
    day = slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY).json()["data"][MONDAY]
    assert "2050-09-05T11:00:00.000Z" not in {s["start"] for s in day}  # full
    third = made.booking(et["id"], at(MONDAY, "11:00:00Z"))
    assert third.status_code == 409
    assert error_of(third)["message"] == "No more seats left at this seated booking."


@pytest.mark.rule("scheduling", "S-K13")
def test_rule_S_K13_the_booking_being_rescheduled_frees_its_time(calcom, made):
    et = made.event_type()
    uid = made.booking(et["id"], at(MONDAY, "11:00:00Z")).json()["data"]["uid"]
    day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert "11:00:00.000Z" not in day
    again = slot_times(
        slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY, bookingUidToReschedule=uid)
    )
    assert again[MONDAY] == ROME_HOURLY


@pytest.mark.rule("scheduling", "S-K14")
def test_rule_S_K14_unknown_type_user_or_team_is_404(calcom):
    unknown = slots(calcom, eventTypeId="987654321", **WEEK)
    assert unknown.status_code == 404
    assert error_of(unknown)["message"] == "Event Type not found"
    user = slots(calcom, username="no-such-user-3c1", eventTypeSlug="x", **WEEK)
    assert user.status_code == 404
    assert error_of(user)["message"] == "User with username no-such-user-3c1 not found"
    team = slots(calcom, teamSlug="no-such-team-3c1", eventTypeSlug="x", **WEEK)
    assert team.status_code == 404
    assert error_of(team)["message"] == "Team with slug no-such-team-3c1 not found"


@pytest.mark.rule("scheduling", "S-K39")
def test_rule_S_K39_schedule_and_booking_changes_show_on_the_next_query(calcom, made):
    sch = made.schedule()
    et = made.event_type(scheduleId=sch["id"])
    assert (
        slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
        == ROME_HOURLY
    )
    narrowed = {**ROME_HOURS, "startTime": "09:00", "endTime": "11:00"}
    response = calcom.patch(
        f"/v2/schedules/{sch['id']}", json={"availability": [narrowed]}, version=SCHEDULES
    )
    assert response.status_code == 200, response.text
    after_change(calcom.target)
    day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert day == ["07:00:00.000Z", "08:00:00.000Z"]
    assert made.booking(et["id"], at(MONDAY, "07:00:00Z")).status_code == 201
    after_change(calcom.target)
    day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert day == ["08:00:00.000Z"]
