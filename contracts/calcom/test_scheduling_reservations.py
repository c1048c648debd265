"""Slot reservations, cal-api-version 2024-09-04 (docs/reference/scheduling.md §3.3, rules
S-K15..S-K22; slots.service reserveSlot / updateReservedSlot and the reservation cases of the
slots e2e spec)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contracts.calcom.conftest import error_of, instant
from contracts.calcom.scheduling import BOOKINGS, MONDAY, SLOTS, after_change, at, slot_times, slots


def reserve(calcom, body, token=False):
    return calcom.post("/v2/slots/reservations", json=body, version=SLOTS, token=token)


def cleanup(calcom, uid):
    calcom.delete(f"/v2/slots/reservations/{uid}", version=SLOTS, token=False)


@pytest.mark.rule("scheduling", "S-K15")
def test_rule_S_K15_a_reservation_holds_five_minutes_by_default(calcom, made):
    et = made.event_type()
    before = datetime.now(UTC)
    response = reserve(calcom, {"eventTypeId": et["id"], "slotStart": at(MONDAY, "10:00:00Z")})
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    try:
        assert set(data) == {
            "eventTypeId", "slotStart", "slotEnd", "slotDuration", "reservationUid",
            "reservationDuration", "reservationUntil",
        }  # fmt: skip
        assert data["slotStart"] == "2050-09-05T10:00:00.000Z"
        assert data["slotEnd"] == "2050-09-05T11:00:00.000Z"
        assert (data["slotDuration"], data["reservationDuration"]) == (60, 5)
        until = instant(data["reservationUntil"])
        assert before + timedelta(minutes=4) < until < datetime.now(UTC) + timedelta(minutes=6)
    finally:
        cleanup(calcom, data["reservationUid"])


@pytest.mark.rule("scheduling", "S-K16")
def test_rule_S_K16_reservation_duration_needs_the_owner(calcom, states, made):
    et = made.event_type()
    body = {
        "eventTypeId": et["id"],
        "slotStart": at(MONDAY, "10:00:00Z"),
        "reservationDuration": 30,
    }
    anonymous = reserve(calcom, body)
    assert anonymous.status_code == 401
    assert error_of(anonymous)["message"] == (
        "reservationDuration can only be used for authenticated requests - use access token, "
        "api key or OAuth credentials"
    )
    stranger = reserve(calcom, body, token=states.get("other_api_key"))
    assert stranger.status_code == 403
    assert error_of(stranger)["message"].startswith("authenticated user is not owner of event type")
    owner = reserve(calcom, body, token=True)
    assert owner.status_code == 201, owner.text
    data = owner.json()["data"]
    cleanup(calcom, data["reservationUid"])
    assert data["reservationDuration"] == 30
    assert instant(data["reservationUntil"]) > datetime.now(UTC) + timedelta(minutes=25)


@pytest.mark.rule("scheduling", "S-K17")
def test_rule_S_K17_a_live_booking_of_the_type_refuses_the_reservation(calcom, made):
    et = made.event_type()
    booked = made.booking(et["id"], at(MONDAY, "10:00:00Z"))
    assert booked.status_code == 201, booked.text
    clash = reserve(calcom, {"eventTypeId": et["id"], "slotStart": at(MONDAY, "10:30:00Z")})
    assert clash.status_code == 422
    assert error_of(clash)["message"] == "Can't reserve a slot if the event is already booked."
    touching = reserve(calcom, {"eventTypeId": et["id"], "slotStart": at(MONDAY, "11:00:00Z")})
    assert touching.status_code == 201, touching.text  # [10:00, 11:00) and [11:00, 12:00)
    cleanup(calcom, touching.json()["data"]["reservationUid"])
    uid = booked.json()["data"]["uid"]
    calcom.post(f"/v2/bookings/{uid}/cancel", json={}, version=BOOKINGS)
    over_cancelled = reserve(
        calcom, {"eventTypeId": et["id"], "slotStart": at(MONDAY, "10:00:00Z")}
    )
    assert over_cancelled.status_code == 201, over_cancelled.text
    cleanup(calcom, over_cancelled.json()["data"]["reservationUid"])


@pytest.mark.rule("scheduling", "S-K18")
def test_rule_S_K18_an_unexpired_reservation_refuses_an_overlapping_one(calcom, made):
    et = made.event_type()
    first = reserve(calcom, {"eventTypeId": et["id"], "slotStart": at(MONDAY, "10:00:00Z")})
    assert first.status_code == 201, first.text
    try:
        second = reserve(calcom, {"eventTypeId": et["id"], "slotStart": at(MONDAY, "10:30:00Z")})
        assert second.status_code == 422
        assert error_of(second)["message"] == (
            "This time slot is already reserved by another user. Please choose a different time."
        )
    finally:
        cleanup(calcom, first.json()["data"]["reservationUid"])


@pytest.mark.rule("scheduling", "S-K19")
def test_rule_S_K19_slot_duration_only_for_variable_length_types(calcom, made):
    fixed = made.event_type()
    body = {"eventTypeId": fixed["id"], "slotStart": at(MONDAY, "10:00:00Z"), "slotDuration": 30}
    refused = reserve(calcom, body)
    assert refused.status_code == 400
    assert error_of(refused)["message"] == (
        "You passed 'slotDuration' but this event type is not a variable length event type."
    )
    flex = made.event_type(lengthInMinutes=15, lengthInMinutesOptions=[15, 30, 45, 60, 180])
    body = {"eventTypeId": flex["id"], "slotStart": at(MONDAY, "10:00:00Z"), "slotDuration": 20}
    wrong = reserve(calcom, body)
    assert wrong.status_code == 400
    assert error_of(wrong)["message"] == (
        "Provided 'slotDuration' is not one of the possible lengths for the event type. The "
        "possible lengths for this variable length event type are: 15, 30, 45, 60, 180"
    )
    ok = reserve(calcom, {**body, "slotDuration": 45})
    assert ok.status_code == 201, ok.text
    cleanup(calcom, ok.json()["data"]["reservationUid"])
    assert ok.json()["data"]["slotEnd"] == "2050-09-05T10:45:00.000Z"


@pytest.mark.rule("scheduling", "S-K20")
def test_rule_S_K20_a_reservation_hides_the_slot_until_deleted(calcom, made):
    et = made.event_type()
    made_res = reserve(calcom, {"eventTypeId": et["id"], "slotStart": at(MONDAY, "10:00:00Z")})
    uid = made_res.json()["data"]["reservationUid"]
    try:
        day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
        assert "10:00:00.000Z" not in day and "09:00:00.000Z" in day
    finally:
        cleanup(calcom, uid)
    after_change(calcom.target)
    day = slot_times(slots(calcom, eventTypeId=et["id"], start=MONDAY, end=MONDAY))[MONDAY]
    assert "10:00:00.000Z" in day


@pytest.mark.rule("scheduling", "S-K21")
def test_rule_S_K21_read_move_and_delete_a_reservation(calcom, made):
    et = made.event_type()
    uid = reserve(calcom, {"eventTypeId": et["id"], "slotStart": at(MONDAY, "10:00:00Z")}).json()[
        "data"
    ]["reservationUid"]
    try:
        got = calcom.get(f"/v2/slots/reservations/{uid}", version=SLOTS, token=False)
        assert got.status_code == 200, got.text
        assert "reservationDuration" not in got.json()["data"]
        assert got.json()["data"]["slotStart"] == "2050-09-05T10:00:00.000Z"
        moved = calcom.patch(
            f"/v2/slots/reservations/{uid}",
            json={"eventTypeId": et["id"], "slotStart": at(MONDAY, "13:00:00Z")},
            version=SLOTS,
            token=False,
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["data"]["slotStart"] == "2050-09-05T13:00:00.000Z"
        assert moved.json()["data"]["reservationUid"] == uid
    finally:
        cleanup(calcom, uid)
    unknown = "00000000-0000-4000-8000-000000000000"
    missing = calcom.get(f"/v2/slots/reservations/{unknown}", version=SLOTS, token=False)
    assert (missing.status_code, missing.json()) == (200, {"status": "success", "data": None})
    patch = calcom.patch(
        f"/v2/slots/reservations/{unknown}",
        json={"eventTypeId": et["id"], "slotStart": at(MONDAY, "13:00:00Z")},
        version=SLOTS,
        token=False,
    )
    assert patch.status_code == 404
    assert error_of(patch)["message"] == f"Slot with uid={unknown} not found"
    gone = calcom.delete(f"/v2/slots/reservations/{unknown}", version=SLOTS, token=False)
    assert (gone.status_code, gone.json()) == (200, {"status": "success"})


@pytest.mark.rule("scheduling", "S-K22")
def test_rule_S_K22_reservations_ignore_working_hours(calcom, made):
    et = made.event_type()
    saturday = reserve(calcom, {"eventTypeId": et["id"], "slotStart": "2050-09-10T03:00:00Z"})
    assert saturday.status_code == 201, saturday.text
    cleanup(calcom, saturday.json()["data"]["reservationUid"])
