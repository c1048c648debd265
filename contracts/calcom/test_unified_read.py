"""Reading a calendar event: GET /v2/calendars/{calendar}/event/{eventUid} (reference/calcom.md
§1.3, §1.6; rules 1, 3-6, 12, 16-18, 24-26, 33, 34, 39)."""

from __future__ import annotations

import uuid

import pytest

from contracts.calcom.conftest import error_of
from contracts.kit import fake_settings


@pytest.mark.rule("calcom", 1)
def test_rule_1_known_event_uid_reads_200_in_success_envelope(calcom, states):
    response = calcom.event(states.get("event_uid"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    assert isinstance(body["data"], dict)
    assert body["data"]["title"] == states.get("event_title")


@pytest.mark.rule("calcom", 3)
def test_rule_3_plural_get_path_is_not_routed(calcom, states):
    uid = states.get("event_uid")
    response = calcom.get(f"/v2/calendars/google/events/{uid}")
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "NotFoundException"
    assert error["message"] == f"Cannot GET /v2/calendars/google/events/{uid}"
    assert calcom.event(uid).status_code == 200  # the singular path serves the same event


@pytest.mark.rule("calcom", 3)
@pytest.mark.fake_only
def test_rule_3_plural_get_is_a_switch_for_the_cal_diy_profile(calcom, states, target):
    uid = states.get("event_uid")
    with fake_settings(target, "calcom", event_path_aliases=True):
        plural = calcom.get(f"/v2/calendars/google/events/{uid}")
        singular_patch = calcom.patch(f"/v2/calendars/google/event/{uid}", json={})
    assert plural.status_code == 200, plural.text
    assert plural.json()["data"] == calcom.event(uid).json()["data"]
    assert singular_patch.status_code == 200
    assert calcom.get(f"/v2/calendars/google/events/{uid}").status_code == 404  # switched back


@pytest.mark.rule("calcom", 4)
@pytest.mark.parametrize(
    "path",
    [
        "/v2/calendars/google/events/{uid}",
        "/v2/calendars/google/event/{uid}",
        "/v2/bookings/{booking}",
        "/v2/me",
    ],
)
def test_rule_4_delete_is_not_routed_and_nothing_answers_405(calcom, states, path):
    url = path.format(uid=states.get("event_uid"), booking=states.get("booking_uid"))
    response = calcom.delete(url)
    assert response.status_code == 404, response.text
    assert error_of(response)["message"] == f"Cannot DELETE {url}"
    for method in ("PUT", "POST"):
        other = calcom.request(method, url, json={})
        assert other.status_code != 405
    assert calcom.event(states.get("event_uid")).status_code == 200  # the event is still there


@pytest.mark.rule("calcom", 4)
def test_rule_4_unknown_paths_get_the_envelope_too(calcom):
    response = calcom.get("/v2/no-such-thing/at-all?x=1")
    assert response.status_code == 404
    body = response.json()
    assert body["path"] == "/v2/no-such-thing/at-all?x=1"
    assert body["error"]["message"] == "Cannot GET /v2/no-such-thing/at-all?x=1"


@pytest.mark.rule("calcom", 5)
@pytest.mark.parametrize("calendar", ["office365", "apple", "outlook", "GOOGLE"])
def test_rule_5_calendar_other_than_google_gets_400(calcom, states, calendar):
    uid = states.get("event_uid")
    got = calcom.event(uid, calendar=calendar)
    assert got.status_code == 400
    error = error_of(got)
    assert error["code"] == "BadRequestException"
    assert error["message"] == "Meeting details are currently only available for Google Calendar"
    patched = calcom.update(uid, {"title": "never applied"}, calendar=calendar)
    assert patched.status_code == 400
    assert error_of(patched)["message"] == (
        "Event updates are currently only available for Google Calendar"
    )
    assert calcom.event(uid).json()["data"]["title"] != "never applied"


@pytest.mark.rule("calcom", 6)
def test_rule_6_unknown_event_uid_gets_404_booking_reference_not_found(calcom):
    uid = f"nosuch{uuid.uuid4().hex}"
    for response in (calcom.event(uid), calcom.update(uid, {"title": "x"})):
        assert response.status_code == 404
        error = error_of(response)
        assert error["code"] == "NotFoundException"
        assert error["message"] == "Booking reference not found"


@pytest.mark.rule("calcom", 12)
@pytest.mark.parametrize("version", [None, "2024-08-13", "garbage"])
def test_rule_12_cal_api_version_has_no_effect_on_calendars(calcom, states, version):
    uid = states.get("event_uid")
    baseline = calcom.event(uid)
    response = calcom.event(uid, version=version)
    assert response.status_code == baseline.status_code == 200
    assert response.json()["data"] == baseline.json()["data"]
    missing = calcom.event(f"nosuch{uuid.uuid4().hex}", version=version)
    assert missing.status_code == 404
    assert error_of(missing)["message"] == "Booking reference not found"


@pytest.mark.rule("calcom", 16)
def test_rule_16_every_response_has_a_uuid_request_id(calcom, states):
    uid = states.get("event_uid")
    responses = [
        calcom.event(uid),
        calcom.event(uid, calendar="outlook"),
        calcom.event(uid, token=False),
        calcom.get("/v2/no-such-route"),
        calcom.update(uid, {"title": 5}),
        calcom.get("/v2/me"),
    ]
    seen = set()
    for response in responses:
        value = response.headers.get("x-request-id")
        assert value, (response.status_code, dict(response.headers))
        assert uuid.UUID(value).version == 4
        seen.add(value)
    assert len(seen) == len(responses)  # generated per request


@pytest.mark.rule("calcom", 17)
def test_rule_17_api_prefix_behaves_like_v2(calcom, states):
    uid = states.get("event_uid")
    plain, prefixed = calcom.event(uid), calcom.get(f"/api/v2/calendars/google/event/{uid}")
    assert prefixed.status_code == plain.status_code == 200
    assert prefixed.json()["data"] == plain.json()["data"]
    bad = calcom.get(f"/api/v2/calendars/outlook/event/{uid}")
    assert bad.status_code == 400
    assert bad.json()["path"] == f"/v2/calendars/outlook/event/{uid}"  # after the rewrite
    assert calcom.get(f"/api/v2/calendars/google/events/{uid}").status_code == 404


@pytest.mark.rule("calcom", 18)
def test_rule_18_id_is_the_path_uid_and_source_google(calcom, states):
    uid = states.get("event_uid")
    data = calcom.event(uid).json()["data"]
    assert data["id"] == uid
    assert data["source"] == "google"
    assert {"start", "end", "id", "title", "source"} <= set(data)
    assert set(data["start"]) >= {"time"} and set(data["end"]) >= {"time"}


@pytest.mark.rule("calcom", 24)
def test_rule_24_hosts_are_the_organizer_attendees(calcom, states):
    data = calcom.event(states.get("event_uid")).json()["data"]
    flagged = [a for a in data.get("attendees", []) if a.get("host")]
    assert data["hosts"], data
    if flagged:
        assert [h["email"] for h in data["hosts"]] == [a["email"] for a in flagged]
        assert [h["responseStatus"] for h in data["hosts"]] == [
            a["responseStatus"] for a in flagged
        ]
    else:
        assert len(data["hosts"]) == 1 and data["hosts"][0]["responseStatus"] is None


@pytest.mark.rule("calcom", 24)
def test_rule_24_without_a_host_attendee_the_organizer_is_the_host(calcom, states):
    uid = states.get("disposable_event_uid")
    owner = calcom.event(uid).json()["data"]["calendarEventOwner"]
    response = calcom.update(uid, {"attendees": [{"email": "only.guest@contract.example"}]})
    assert response.status_code == 200, response.text
    hosts = response.json()["data"]["hosts"]
    assert hosts == [
        {
            "email": owner["email"],
            **({"name": owner["displayName"]} if owner.get("displayName") else {}),
            "responseStatus": None,
        }
    ]


@pytest.mark.rule("calcom", 25)
def test_rule_25_locations_is_an_array_of_typed_entries(calcom, states):
    for uid in (states.get("event_uid"), states.get("disposable_event_uid")):
        data = calcom.event(uid).json()["data"]
        assert isinstance(data["locations"], list)
        for loc in data["locations"]:
            assert loc["type"] in ("video", "phone", "sip", "more")
            assert isinstance(loc["url"], str) and loc["url"]


@pytest.mark.rule("calcom", 26)
def test_rule_26_calendar_event_owner_uses_display_name(calcom, states):
    data = calcom.event(states.get("event_uid")).json()["data"]
    owner = data["calendarEventOwner"]
    assert isinstance(owner["email"], str) and "@" in owner["email"]
    assert "name" not in owner  # the schema says name; the code copies Google's organizer
    if "displayName" in owner:
        assert isinstance(owner["displayName"], str)


@pytest.mark.rule("calcom", 33)
@pytest.mark.fake_only
def test_rule_33_fake_scopes_event_uids_to_the_caller(calcom, states, target):
    """The real API reads any user's event by uid (an IDOR); the fake does not, unless told."""
    other = states.get("other_user_event_uid")
    refused = calcom.event(other)
    assert refused.status_code == 404
    assert error_of(refused)["message"] == "Booking reference not found"
    assert calcom.update(other, {"title": "hijacked"}).status_code == 404
    assert calcom.event(other, token=states.get("other_api_key")).status_code == 200
    with fake_settings(target, "calcom", scope_events_to_caller=False):
        assert calcom.event(other).status_code == 200  # the real API's behaviour


@pytest.mark.rule("calcom", 34)
def test_rule_34_event_made_outside_a_booking_is_not_readable(calcom, states):
    uid = states.get("non_booking_event_uid")
    response = calcom.event(uid)
    assert response.status_code == 404
    assert error_of(response)["message"] == "Booking reference not found"


@pytest.mark.rule("calcom", 39)
def test_rule_39_booking_reference_event_uid_reads_through_rule_1(calcom, states):
    response = calcom.bookings(
        "GET", f"/{states.get('booking_uid')}/references", params={"type": "google_calendar"}
    )
    assert response.status_code == 200, response.text
    refs = response.json()["data"]
    assert refs and all(r["type"] == "google_calendar" for r in refs)
    for ref in refs:
        assert set(ref) >= {"id", "type", "eventUid", "destinationCalendarId"}
    event = calcom.event(refs[0]["eventUid"])
    assert event.status_code == 200
    assert event.json()["data"]["id"] == refs[0]["eventUid"]
