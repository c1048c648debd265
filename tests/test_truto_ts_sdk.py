"""The real truto-ts-sdk (2.0.12) against a live fake, with nothing changed but its `baseUrl`.

The npm registry has no `@truto/truto-ts-sdk`, so its source is vendored unchanged in
tests/vendor/truto-ts-sdk/ (commit 6b5fe7e, see its README). tests/node_truto.py installs its
pinned runtime dependencies and esbuild from the npm registry once into the repository's
`.node-truto/` and bundles the source there; tests/truto_ts_sdk_driver.mjs runs the bundle
against a LiveServer seeded with the contract world and prints what the SDK returned as JSON,
and the tests below assert on it (and on the fake's journal of what the SDK sent). Without node
and npm the module is skipped with the reason."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from node_truto import sdk

from contracts.kit import WORLD
from contracts.truto.conftest import FAKE_STATES as S
from mockserver.testing import LiveServer
from tests.truto_sdks import ACCOUNT, CALENDAR, EVENTS, expected_ids

DRIVER = Path(__file__).with_name("truto_ts_sdk_driver.mjs")


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(fixture=WORLD()) as srv:
        yield srv


@pytest.fixture(scope="module")
def run(server: LiveServer) -> dict[str, Any]:
    bundle = sdk()
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    window = (
        start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        (start + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    httpx.delete(f"{server.url}/_mock/journal").raise_for_status()
    result = subprocess.run(
        [
            "node",
            str(DRIVER),
            server.url,
            S["api_token"],
            ACCOUNT,
            CALENDAR,
            *window,
            "http://127.0.0.1:9/truto-ts",  # webhooks are created, never tested (see below)
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TRUTO_TS_SDK": str(bundle)},
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    out["window"] = window
    journal = httpx.get(f"{server.url}/_mock/journal", params={"provider": "truto"})
    out["journal"] = journal.raise_for_status().json()["entries"]
    return out


def sent(run: dict[str, Any], method: str, path: str) -> list[dict[str, Any]]:
    return [e for e in run["journal"] if e["method"] == method and e["path"] == path]


def query(entry: dict[str, Any]) -> list[tuple[str, str]]:
    q = entry["query"]
    return parse_qsl(q, keep_blank_values=True) if isinstance(q, str) else list(q.items())


def test_node_and_npm_are_found_here():
    """The SDK tests must not silently skip on this project's machines (CI has node)."""
    if os.environ.get("CI"):
        assert shutil.which("node") and shutil.which("npm"), "install node and npm"


def test_for_await_walks_every_page(server, run):
    ids = [e["id"] for e in run["iterated"]]
    assert len(ids) >= 5  # limit=2: at least three pages
    assert ids == expected_ids(server, run)
    assert len(ids) == len(set(ids))
    for item in run["iterated"]:
        assert "attendees" not in item and "description" not in item
        assert "remote_data" not in item


def test_the_query_strings_the_sdk_sent(run):
    """qs's defaults: indexed arrays, bracketed objects, an empty `next_cursor` on the first
    page, every option re-sent with each cursor; one request a page, none past the last."""
    pages = [e for e in sent(run, "GET", EVENTS) if "truto_exclude_fields" in str(e["query"])]
    assert len(pages) == -(-len(run["iterated"]) // 2)
    first = dict(query(pages[0]))
    assert first["next_cursor"] == ""
    assert first["truto_exclude_fields[0]"] == "attendees"
    assert first["truto_exclude_fields[1]"] == "description"
    assert first["calendar[id]"] == CALENDAR and first["limit"] == "2"
    assert first["truto_ignore_remote_data"] == "true"
    for page in pages[1:]:
        q = dict(query(page))
        assert q["next_cursor"] and q["limit"] == "2" and q["calendar[id]"] == CALENDAR
    headers = {k.lower(): v for k, v in pages[0]["headers"].items()}
    assert headers["user-agent"] == "truto-ts-sdk/2.0.12"
    assert headers["accept"] == "application/json"


def test_to_array_first_and_next(server, run):
    ids = expected_ids(server, run)
    assert run["to_array"] == ids
    assert run["first"]["id"] == ids[0]
    first, second = run["pages"]
    assert first["ids"] == ids[:2] and first["next"]
    assert second["ids"] == ids[2:4] and second["next"] != first["next"]


def test_a_date_in_the_query_and_the_request_queue(server, run):
    ids = expected_ids(server, run)
    assert run["updated_since"] == ids
    assert run["updated_future"] == []
    dated = [e for e in sent(run, "GET", EVENTS) if "updated_at" in str(e["query"])]
    gt = dict(query(dated[0]))["updated_at[gt]"]
    assert gt.endswith(".000Z") and gt[:4].isdigit()  # Date.toISOString()
    assert run["queued"] == ids


def test_a_base_url_with_a_trailing_slash_still_works(server, run):
    assert run["trailing_slash"] == expected_ids(server, run)


def test_calendars(run):
    calendars = run["calendars"]
    assert calendars[0]["is_default"] is True
    assert {c["id"] for c in calendars} >= {S["google_second_calendar"]}


def test_create_get_update_delete(server, run):
    created, got, updated = run["created"], run["got"], run["updated"]
    assert created["title"] == "Made by truto-ts-sdk"
    assert got["id"] == created["id"]
    assert (got["title"], got["description"]) == (created["title"], "via the TypeScript SDK")
    assert updated["id"] == created["id"]
    assert updated["title"] == "Renamed by truto-ts-sdk"
    assert updated["description"] == "via the TypeScript SDK"
    assert run["deleted"]["id"] == created["id"]  # typed `{ id: string }` by the SDK
    assert created["id"] not in expected_ids(server, run)
    (post,) = sent(run, "POST", EVENTS)
    assert {k.lower(): v for k, v in post["headers"].items()}["content-type"] == "application/json"
    (delete,) = sent(run, "DELETE", f"{EVENTS}/{created['id']}")
    assert "content-type" not in {k.lower() for k in delete["headers"]}


def test_errors_are_truto_errors_with_the_parsed_body(run):
    gone = run["get_after_delete"]
    assert gone["truto_error"] is True and gone["name"] == "TrutoError"
    assert (gone["statusCode"], gone["statusText"]) == (404, "Not Found")
    assert gone["data"]["truto_is_remote_error"] is True
    missing = run["without_account"]
    assert missing["truto_error"] and missing["statusCode"] == 400
    assert missing["data"]["message"] == "integrated_account_id is required"
    assert run["unknown_resource"]["statusCode"] == 404
    assert run["bad_token"]["statusCode"] == 401


def test_method_metadata(run):
    assert run["meta_list"]["method"] == "list"
    assert run["meta_create"]["method"] == "create"
    assert "properties" in run["meta_list"]["schema"]
    search = run["meta_search"]
    assert search["truto_error"] and search["statusCode"] == 404


def test_retries_on_the_providers_errors(run):
    """A 503 is retried at once; a 429 after its Retry-After; `noRetry` throws the first."""
    calendars = [c["id"] for c in run["calendars"]]
    assert run["retried_503"] == calendars
    assert run["retries_503"] == [{"count": 1, "status": 503}]
    assert run["retried_429"] == calendars
    assert run["rate_limited_429"] == [{"after": 1, "count": 0}]
    assert run["retries_429"] == [{"count": 1, "status": 429}]
    no_retry = run["no_retry"]
    assert no_retry["truto_error"] and no_retry["statusCode"] == 503
    assert no_retry["data"]["truto_is_remote_error"] is True


def test_webhooks_through_the_sdk(run):
    """create (with the secret), list, get, update, delete; `test()` never reaches the fake:
    the SDK requests `${baseUrl}webhook/test`, without the slash, which fetch cannot parse."""
    hooks = run["webhooks"]
    made = hooks["created"]
    assert made["target_url"] == "http://127.0.0.1:9/truto-ts" and made["secret"]
    assert made["id"] in hooks["listed"]
    assert "secret" not in hooks["got"] and hooks["got"]["id"] == made["id"]
    assert hooks["updated"]["event_types"] == ["test"]
    assert hooks["tested"]["name"] == "TypeError" and "webhook/test" in hooks["tested"]["message"]
    assert not sent(run, "POST", "/webhook/test")
    assert hooks["deleted"]["id"] == made["id"]
    after = hooks["after_delete"]
    assert after["truto_error"] and after["statusCode"] == 404
