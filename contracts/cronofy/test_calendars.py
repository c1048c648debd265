"""Calendars and identity rules (reference/cronofy.md §8, rules 14-16)."""

from __future__ import annotations

from typing import Any

import pytest

from contracts.kit import fake_settings

CALENDAR_FIELDS = {
    "provider_name",
    "profile_id",
    "profile_name",
    "calendar_id",
    "calendar_name",
    "calendar_readonly",
    "calendar_deleted",
    "calendar_primary",
    "permission_level",
    "calendar_integrated_conferencing_available",
    "calendar_attachments_available",
}
PROFILE_FIELDS = {
    "provider_name",
    "provider_service",
    "profile_id",
    "profile_name",
    "profile_connected",
    "profile_initial_sync_required",
}
BOOLEAN_FIELDS = {
    "calendar_readonly",
    "calendar_deleted",
    "calendar_primary",
    "calendar_integrated_conferencing_available",
    "calendar_attachments_available",
}


def list_calendars(cronofy) -> dict[str, Any]:
    response = cronofy.get("/v1/calendars")
    assert response.status_code == 200, response.text
    return response.json()


def calendars_by_id(cronofy) -> dict[str, dict[str, Any]]:
    return {c["calendar_id"]: c for c in list_calendars(cronofy)["calendars"]}


def assert_errors_on(response, field: str, key: str | None = None) -> None:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert field in errors, errors
    if key is not None:
        assert key in [e["key"] for e in errors[field]], errors


# -- rule 14: List Calendars ------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 14)
def test_rule_14_list_calendars_returns_every_calendar_with_its_fields(cronofy, states):
    body = list_calendars(cronofy)
    assert "pages" not in body  # not paged
    if "sub" in body:
        assert body["sub"] == states.get("account_id")
    calendars = {c["calendar_id"]: c for c in body["calendars"]}
    for name in (
        "writable_calendar",
        "second_writable_calendar",
        "sandbox_calendar",
        "readonly_calendar",
    ):
        assert states.get(name) in calendars, name
    assert states.get("other_account_calendar") not in calendars
    for cal in calendars.values():
        assert set(cal) >= CALENDAR_FIELDS, cal
        for field in BOOLEAN_FIELDS:
            assert isinstance(cal[field], bool), (field, cal)
        assert cal["permission_level"] in ("sandbox", "unrestricted"), cal
    assert calendars[states.get("readonly_calendar")]["calendar_readonly"] is True
    assert calendars[states.get("writable_calendar")]["calendar_readonly"] is False
    assert calendars[states.get("sandbox_calendar")]["permission_level"] == "sandbox"
    assert calendars[states.get("writable_calendar")]["permission_level"] == "unrestricted"
    assert states.get("profile_id") in {c["profile_id"] for c in calendars.values()}


@pytest.mark.rule("cronofy", 14)
def test_rule_14_list_calendars_ignores_the_page_size(cronofy):
    everything = calendars_by_id(cronofy)
    assert len(everything) > 2
    with fake_settings(cronofy.target, page_size=2):
        body = list_calendars(cronofy)
    assert "pages" not in body
    assert {c["calendar_id"] for c in body["calendars"]} == set(everything)


# -- rule 15: Create Calendar -------------------------------------------------------------------------


@pytest.mark.rule("cronofy", 15)
def test_rule_15_create_calendar_then_it_is_listed(cronofy, states, unique_id):
    profile = states.get("profile_id")
    name = f"Contract {unique_id}"
    response = cronofy.post("/v1/calendars", json={"profile_id": profile, "name": name})
    assert response.status_code == 200, response.text
    created = response.json()["calendar"]
    assert set(created) >= {
        "provider_name",
        "profile_id",
        "profile_name",
        "calendar_id",
        "calendar_name",
        "calendar_readonly",
        "calendar_deleted",
    }
    assert created["profile_id"] == profile
    assert created["calendar_name"] == name
    assert created["calendar_readonly"] is False
    assert created["calendar_deleted"] is False
    listed = calendars_by_id(cronofy)
    assert created["calendar_id"] in listed
    assert listed[created["calendar_id"]]["calendar_name"] == name
    assert listed[created["calendar_id"]]["profile_id"] == profile


@pytest.mark.rule("cronofy", 15)
@pytest.mark.parametrize("missing", ["profile_id", "name"])
def test_rule_15_create_calendar_requires_profile_and_name(cronofy, states, unique_id, missing):
    body = {"profile_id": states.get("profile_id"), "name": f"Contract {unique_id}"}
    before = set(calendars_by_id(cronofy))
    del body[missing]
    assert_errors_on(cronofy.post("/v1/calendars", json=body), missing, "errors.required")
    assert set(calendars_by_id(cronofy)) == before


@pytest.mark.rule("cronofy", 15)
def test_rule_15_duplicate_calendar_name_is_refused(cronofy, states, unique_id):
    body = {"profile_id": states.get("no_duplicate_names_profile"), "name": f"Dup {unique_id}"}
    assert cronofy.post("/v1/calendars", json=body).status_code == 200
    again = cronofy.post("/v1/calendars", json=body)
    assert_errors_on(again, "name", "errors.duplicate_calendar_name")
    names = [c["calendar_name"] for c in calendars_by_id(cronofy).values()]
    assert names.count(body["name"]) == 1


@pytest.mark.rule("cronofy", 15)
def test_rule_15_unknown_profile_is_refused(cronofy, states, unique_id):
    name = f"Contract {unique_id}"
    response = cronofy.post("/v1/calendars", json={"profile_id": "pro_n0suchpr0file", "name": name})
    assert response.status_code in (404, 422)  # UNVERIFIED upstream
    if response.status_code == 422:
        assert "profile_id" in response.json()["errors"]
    assert name not in [c["calendar_name"] for c in calendars_by_id(cronofy).values()]


# -- rule 16: account, userinfo, profiles -------------------------------------------------------------


@pytest.mark.rule("cronofy", 16)
def test_rule_16_account_shape(cronofy, states):
    response = cronofy.get("/v1/account")
    assert response.status_code == 200
    body = response.json()
    account = body["account"]
    assert set(account) >= {"account_id", "email", "name", "scope", "default_tzid"}
    assert account["account_id"] == body["sub"] == states.get("account_id")
    assert account["account_id"].startswith("acc_")
    assert len(account["account_id"]) == 28
    assert isinstance(account["scope"], str)
    assert account["scope"].split()


@pytest.mark.rule("cronofy", 16)
def test_rule_16_profiles_match_list_calendars(cronofy, states):
    response = cronofy.get("/v1/profiles")
    assert response.status_code == 200
    profiles = response.json()["profiles"]
    for profile in profiles:
        assert set(profile) >= PROFILE_FIELDS, profile
        assert isinstance(profile["profile_connected"], bool)
        if profile["profile_connected"]:
            assert "profile_relink_url" not in profile
    by_id = {p["profile_id"]: p for p in profiles}
    assert states.get("profile_id") in by_id
    for cal in calendars_by_id(cronofy).values():
        profile = by_id[cal["profile_id"]]
        assert cal["profile_name"] == profile["profile_name"]
        assert cal["provider_name"] == profile["provider_name"]


@pytest.mark.rule("cronofy", 16)
def test_rule_16_userinfo_matches_account_and_calendars(cronofy, states):
    response = cronofy.get("/v1/userinfo")
    assert response.status_code == 200
    info = response.json()
    account = cronofy.get("/v1/account").json()["account"]
    assert info["sub"] == account["account_id"] == states.get("account_id")
    assert info["email"] == account["email"]
    assert info["cronofy.type"] == "account"
    data = info["cronofy.data"]
    assert set(data["authorization"]) >= {"scope", "status"}
    listed = calendars_by_id(cronofy)
    seen: dict[str, dict[str, Any]] = {}
    for profile in data["profiles"]:
        assert set(profile) >= PROFILE_FIELDS | {"profile_calendars"}, profile
        for cal in profile["profile_calendars"]:
            assert "calendar_id" in cal
            assert "profile_id" not in cal  # calendars here carry no profile fields
            seen[cal["calendar_id"]] = {**cal, "profile_id": profile["profile_id"]}
    assert set(seen) == set(listed)
    for cal_id, cal in seen.items():
        assert cal["profile_id"] == listed[cal_id]["profile_id"]
        assert cal["calendar_name"] == listed[cal_id]["calendar_name"]
        assert cal["calendar_readonly"] == listed[cal_id]["calendar_readonly"]
    profile_ids = {p["profile_id"] for p in cronofy.get("/v1/profiles").json()["profiles"]}
    assert {p["profile_id"] for p in data["profiles"]} == profile_ids


@pytest.mark.rule("cronofy", 16)
def test_rule_16_created_calendar_shows_up_everywhere(cronofy, states, unique_id):
    profile = states.get("profile_id")
    name = f"Contract {unique_id}"
    created = cronofy.post("/v1/calendars", json={"profile_id": profile, "name": name})
    assert created.status_code == 200
    cal_id = created.json()["calendar"]["calendar_id"]
    info = cronofy.get("/v1/userinfo").json()
    in_userinfo = {
        c["calendar_id"]: p["profile_id"]
        for p in info["cronofy.data"]["profiles"]
        for c in p["profile_calendars"]
    }
    assert in_userinfo.get(cal_id) == profile
