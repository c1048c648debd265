"""Upstream replay: the headers and error statuses the SDKs' request layers are tested with.

Sources: cronofy/pycronofy @ e0e3b3787d77, cronofy/cronofy-ruby @ b75d79f275ca,
cronofy/cronofy-node @ 042affa66fb2 (see docs/EVIDENCE.md, Cronofy).
"""

from __future__ import annotations

import pytest

JSON_UTF8 = "application/json;charset=utf-8"  # compared with spaces removed


def media_type(response) -> str:
    return response.headers.get("content-type", "").replace(" ", "").lower()


@pytest.mark.rule("cronofy", 5)
def test_pycronofy_request_handler_headers(cronofy):
    """Source: cronofy/pycronofy pycronofy/tests/test_request_handler.py::test_headers and
    ::test_get @ e0e3b3787d77 (request_handler.py: every call sends `Authorization: Bearer`,
    `User-Agent: PyCronofy 2.0.7` and a JSON body, `{}` when empty, GET included): 200."""
    response = cronofy.get(
        "/v1/calendars",
        content=b"{}",
        headers={"Content-Type": "application/json", "User-Agent": "PyCronofy 2.0.7"},
    )
    assert response.status_code == 200
    assert media_type(response) == JSON_UTF8
    assert isinstance(response.json()["calendars"], list)


@pytest.mark.rule("cronofy", 2)
def test_pycronofy_request_handler_unauthorized(cronofy, states):
    """Source: cronofy/pycronofy pycronofy/tests/test_request_handler.py::test_unauthorized
    @ e0e3b3787d77: a GET of `events` answered 403 raises PyCronofyRequestError; replayed with a
    token whose scope lacks read_events."""
    response = cronofy.get(
        "/v1/events",
        token=states.get("free_busy_only_token"),
        params={"tzid": "Etc/UTC"},
        content=b"{}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 403


@pytest.mark.rule("cronofy", 1)
def test_node_unauthorized_request(cronofy):
    """Source: cronofy/cronofy-node test/index.spec.js 'Get Account Information' 'returns
    context unauthorized request error' @ 042affa66fb2: GET /v1/account with a token Cronofy
    does not recognise → err.statusCode 401 (the stub's body is the test's own)."""
    response = cronofy.get(
        "/v1/account",
        token="aLUj9bRInSj1n08pHPAo5ru0OOppDaCO",
        headers={"Content-Type": "application/json", "User-Agent": "Cronofy Node - 3.8.4"},
    )
    assert response.status_code == 401


@pytest.mark.rule("cronofy", 8)
def test_node_accept_encoding(cronofy):
    """Source: cronofy/cronofy-node test/index.spec.js 'accept encoding' @ 042affa66fb2 and
    src/index.js _httpCall (every request: `Accept-Encoding: gzip, deflate`,
    `Content-Type: application/json`, no body on GET): the answer is JSON the client can read,
    compressed or not."""
    response = cronofy.get(
        "/v1/account",
        headers={
            "Accept-Encoding": "gzip, deflate",
            "Content-Type": "application/json",
            "User-Agent": "Cronofy Node - 3.8.4",
        },
    )
    assert response.status_code == 200
    assert response.headers.get("content-encoding") in (None, "identity", "gzip", "deflate")
    assert "account" in response.json()


@pytest.mark.rule("cronofy", 4)
def test_ruby_get_without_content_type(cronofy, states):
    """Source: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb @ b75d79f275ca
    (base_request_headers: GETs carry only Authorization and `User-Agent: Cronofy Ruby
    <version>`, no Content-Type, no body; JSON requests `application/json; charset=utf-8`)."""
    response = cronofy.get("/v1/profiles", headers={"User-Agent": "Cronofy Ruby 0.41.2"})
    assert response.status_code == 200
    assert media_type(response) == JSON_UTF8
