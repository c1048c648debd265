"""Envelopes and pagination: rules 9-16 of reference/truto.md §12."""

from __future__ import annotations

import pytest

EVENTS = "/unified/calendar/events"


def google_list_params(truto, **extra):
    return {"calendar[id]": truto.states.get("google_calendar"), **truto.window(), **extra}


@pytest.mark.rule("truto", 9)
def test_rule_9_list_envelope_is_result_and_next_cursor(truto):
    acc = truto.account()
    for path, params in (
        (EVENTS, google_list_params(truto)),
        ("/unified/calendar/calendars", {}),
        ("/unified/calendar/availability", google_list_params(truto)),
    ):
        response = truto.get(path, account=acc, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert isinstance(body["result"], list)
        assert body["next_cursor"] is None or isinstance(body["next_cursor"], str)
        if "prev_cursor" in body:
            assert body["prev_cursor"] is None or isinstance(body["prev_cursor"], str)
        if "result_count" in body:
            assert body["result_count"] == len(body["result"])


@pytest.mark.rule("truto", 10)
def test_rule_10_get_create_update_return_the_bare_object_and_delete_an_id(truto):
    acc = truto.account()
    cal = {"calendar[id]": truto.states.get("google_calendar")}
    created = truto.create_google()
    assert "result" not in created and isinstance(created["id"], str)
    got = truto.get(f"{EVENTS}/{created['id']}", account=acc, params=cal).json()
    assert "result" not in got and got["id"] == created["id"]
    body = truto.google_body(title="rule 10 renamed")
    updated = truto.patch(f"{EVENTS}/{created['id']}", account=acc, json=body).json()
    assert "result" not in updated and updated["id"] == created["id"]
    assert updated["title"] == "rule 10 renamed"
    deleted = truto.delete(f"{EVENTS}/{created['id']}", account=acc, params=cal)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["id"] == created["id"]
    calendar = truto.get("/unified/calendar/calendars/primary", account=acc).json()
    assert "result" not in calendar and isinstance(calendar["id"], str)


@pytest.mark.rule("truto", 11)
def test_rule_11_limit_caps_a_page_and_the_last_page_has_a_null_cursor(truto):
    acc = truto.account()
    everything = truto.get(EVENTS, account=acc, params=google_list_params(truto)).json()
    total = len(everything["result"])
    assert total >= 4, "the contract account needs at least 4 events in the next two weeks"
    assert everything["next_cursor"] is None
    pages = list(truto.pages("events", acc, google_list_params(truto, limit=2)))
    for page in pages[:-1]:
        assert len(page["result"]) == 2
        assert isinstance(page["next_cursor"], str) and page["next_cursor"]
    assert 1 <= len(pages[-1]["result"]) <= 2
    assert pages[-1]["next_cursor"] is None
    assert sum(len(p["result"]) for p in pages) == total


@pytest.mark.rule("truto", 12)
def test_rule_12_following_cursors_returns_every_item_once_in_a_stable_order(truto):
    acc = truto.account()
    whole = [e["id"] for e in truto.list_all("events", acc, google_list_params(truto))]
    for limit in (1, 2, 3):
        paged = [
            e["id"] for e in truto.list_all("events", acc, google_list_params(truto, limit=limit))
        ]
        assert paged == whole, limit
    # The world changing between pages does not repeat or skip what was there.
    seen: list[str] = []
    for i, page in enumerate(truto.pages("events", acc, google_list_params(truto, limit=2))):
        seen += [e["id"] for e in page["result"]]
        if i == 0:
            truto.create_google(days=1)  # lands among what was already sent
    assert len(seen) == len(set(seen))
    assert set(whole) <= set(seen)


@pytest.mark.rule("truto", 13)
def test_rule_13_an_empty_next_cursor_means_the_first_page(truto):
    acc = truto.account()
    first = truto.get(EVENTS, account=acc, params=google_list_params(truto, limit=2)).json()
    empty = truto.get(
        EVENTS, account=acc, params=google_list_params(truto, limit=2, next_cursor="")
    ).json()
    assert [e["id"] for e in empty["result"]] == [e["id"] for e in first["result"]]
    assert empty["next_cursor"] == first["next_cursor"]


@pytest.mark.rule("truto", 14)
def test_rule_14_never_an_empty_page_with_a_cursor(truto):
    acc = truto.account()
    for limit in (1, 2, 3, 4, 5, 50):
        for page in truto.pages("events", acc, google_list_params(truto, limit=limit)):
            assert page["result"] or page["next_cursor"] is None, limit
        for page in truto.pages("calendars", acc, {"limit": limit}):
            assert page["result"] or page["next_cursor"] is None, limit
    nothing = truto.get(
        EVENTS, account=acc, params=google_list_params(truto, title="no-event-has-this-title")
    ).json()
    assert nothing == {**nothing, "result": [], "next_cursor": None}


@pytest.mark.rule("truto", 15)
def test_rule_15_bracket_indexed_and_comma_arrays_and_boolean_strings(truto):
    acc = truto.account()
    cal = truto.states.get("google_calendar")
    base = [("calendar[id]", cal), *truto.window().items()]
    forms = [
        [("truto_exclude_fields[]", "description"), ("truto_exclude_fields[]", "attendees")],
        [("truto_exclude_fields[0]", "description"), ("truto_exclude_fields[1]", "attendees")],
        [("truto_exclude_fields", "description,attendees")],
    ]
    for form in forms:
        response = truto.get(EVENTS, account=acc, params=base + form)
        assert response.status_code == 200, (form, response.text)
        result = response.json()["result"]
        assert result, form
        for item in result:
            assert "description" not in item and "attendees" not in item, form
            assert "title" in item
    with_remote = truto.get(
        EVENTS, account=acc, params=base + [("truto_ignore_remote_data", "false")]
    ).json()["result"]
    without = truto.get(
        EVENTS, account=acc, params=base + [("truto_ignore_remote_data", "true")]
    ).json()["result"]
    assert all("remote_data" in e for e in with_remote)
    assert not any("remote_data" in e for e in without)


@pytest.mark.rule("truto", 16)
def test_rule_16_a_double_slash_before_unified_is_accepted(truto):
    acc = truto.account()
    params = {"calendar[id]": truto.states.get("google_calendar"), **truto.window()}
    single = truto.get(EVENTS, account=acc, params=params)
    double = truto.get("/" + EVENTS, account=acc, params=params)
    assert double.status_code == 200, double.text
    assert double.json()["result"] == single.json()["result"]
