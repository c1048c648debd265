"""`mockserver record` -> `mockserver compare`, end to end: a second fake poses as the real
Cronofy API (the demo world with every id and token renamed), the recording proxy runs as the
real command in a subprocess, a client talks to the API through it, and `compare` replays the
cassette against a fake with the plain demo world. The ids differ between the two sides and
are mapped; the credentials are masked and swapped for the fake's; the only difference reported
is the drift planted on the "real" API halfway through (a page size of 1)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from contracts.kit import at
from mockserver import cli
from mockserver.core.fixtures import demo_path, read
from mockserver.recording.cassette import Cassette
from mockserver.recording.normalize import Namer, Opaque, Rules, comparable, diff
from mockserver.recording.proxy import Recorder, recording_app
from mockserver.testing import LiveServer, asgi_client

ROOT = Path(__file__).resolve().parents[1]
# The "real" account: the demo world's ids and tokens, renamed.
RENAMES = {
    "a11cedemo": "a11ce5eed",
    "evt_external_0a11ce": "evt_external_5eed0a",
    "cronofyDemoAlice": "cronofyRealAlice",
    "acc_5ba2": "acc_9e9e",
}
REAL_TOKEN = "cronofyRealAliceAllScopes0000001"
REAL_WORK = "cal_a11ce5eed0001_work"


def upstream_world() -> dict:
    text = json.dumps(read(demo_path()))
    for old, new in RENAMES.items():
        text = text.replace(old, new)
    return json.loads(text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Until the recorder accepts connections (a bare TCP connect: nothing gets recorded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the recorder did not listen on {port} within {seconds} s")


@pytest.fixture(scope="module")
def cassette(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cassette") / "cronofy.json"
    port = free_port()
    with LiveServer(fixture=upstream_world()) as upstream:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mockserver", "record", "--provider", "cronofy"]
            + ["--upstream", upstream.url, "--port", str(port), "--cassette", str(path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_listening(port, proc)
            proxy = f"http://127.0.0.1:{port}"
            headers = {"Authorization": f"Bearer {REAL_TOKEN}"}
            with httpx.Client(base_url=proxy, headers=headers, timeout=30) as api:
                events = f"/v1/calendars/{REAL_WORK}/events"
                event = {"event_id": "rec-1", "summary": "Recorded", "start": at(5, 10)}
                event["end"] = at(5, 11)
                assert api.get("/v1/calendars").status_code == 200
                assert api.post(events, json=event).status_code == 202
                managed = api.get("/v1/events", params={"tzid": "Etc/UTC", "only_managed": "true"})
                assert "rec-1" in {e.get("event_id") for e in managed.json()["events"]}
                no_summary = {k: v for k, v in event.items() if k != "summary"}
                assert api.post(events, json=no_summary).status_code == 422
                assert api.get("/v1/account").status_code == 200
                assert api.request("DELETE", events, json={"event_id": "rec-1"}).status_code == 202
                # the planted drift: from here on the "real" API pages by one
                httpx.patch(
                    f"{upstream.url}/_mock/settings", json={"cronofy": {"page_size": 1}}
                ).raise_for_status()
                paged = api.get("/v1/events", params={"tzid": "Etc/UTC"}).json()
                assert paged["pages"]["next_page"].startswith(proxy)  # paging stays recorded
        finally:
            proc.terminate()
            out, err = proc.communicate(timeout=60)
    assert f"recording {proxy} -> {upstream.url}" in out, out + err
    return path


def test_the_cassette_masks_secrets_and_notes_ids(cassette):
    text = cassette.read_text()
    assert REAL_TOKEN not in text
    data = json.loads(text)
    assert data["provider"] == "cronofy" and data["version"] == 1
    exchanges = data["exchanges"]
    assert [(e["request"]["method"], e["response"]["status"]) for e in exchanges] == [
        ("GET", 200),
        ("POST", 202),
        ("GET", 200),
        ("POST", 422),
        ("GET", 200),
        ("DELETE", 202),
        ("GET", 200),
    ]
    assert exchanges[0]["request"]["headers"]["authorization"] == "Bearer ***0001"
    assert {"at": "$.calendars[0].calendar_id", "value": "cal_a11ce5eed0001_work"} in exchanges[0][
        "ids"
    ]
    assert exchanges[1]["request"]["body"]["event_id"] == "rec-1"
    assert exchanges[6]["request"]["query"] == [["tzid", "Etc/UTC"]]
    # the cassette keeps what the API sent, not the proxy's rewrite
    assert data["upstream"] in exchanges[6]["response"]["body"]["pages"]["next_page"]


def differences(report: dict) -> dict[int, set[tuple[str, str]]]:
    return {e["n"]: {(d["kind"], d["at"]) for d in e["differences"]} for e in report["exchanges"]}


def test_compare_finds_the_planted_drift_and_nothing_else(cassette, capsys):
    assert cli.main(["compare", str(cassette), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = differences(report)
    assert {n: d for n, d in found.items() if n != 7} == {n: set() for n in range(1, 7)}
    assert {("value", "$.pages.total"), ("missing key", "$.pages.next_page")} <= found[7]
    assert ("length", "$.events") in found[7]
    assert (report["matched"], report["differed"]) == (6, 1)


def test_the_text_report_names_each_exchange_and_difference(cassette, capsys):
    assert cli.main(["compare", str(cassette)]) == 1
    out = capsys.readouterr().out
    assert "#2 POST /v1/calendars/<calendar_id:1>/events  202  ok" in out
    assert "#7 GET /v1/events  200  " in out
    assert "missing key $.pages.next_page (the recorded answer has it" in out
    assert out.rstrip().endswith("6 of 7 exchange(s) match; 1 differ")


def test_compare_against_a_running_fake_and_by_types_only(cassette, capsys):
    with LiveServer(fixture=read(demo_path())) as fake:
        assert cli.main(["compare", str(cassette), "--target", fake.url, "--json"]) == 1
        found = differences(json.loads(capsys.readouterr().out))
        assert ("missing key", "$.pages.next_page") in found[7]
        assert cli.main(["compare", str(cassette), "--target", fake.url, "--types-only", "--json"])
        loose = differences(json.loads(capsys.readouterr().out))
    assert loose[7] == {("missing key", "$.pages.next_page")}  # no values, no lengths


def test_compare_refuses_what_is_not_a_cassette(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 99}')
    assert cli.main(["compare", str(bad)]) == 2
    assert "not a cassette of version 1" in capsys.readouterr().err


# -- the comparison itself -------------------------------------------------------------------

RULES = Rules(frozenset({"id", "calendar_id"}), frozenset({"updated"}))


def test_ids_become_placeholders_in_order_on_each_side():
    real, fake = Namer(), Namer()
    rec = {"calendars": [{"calendar_id": "cal_real_1"}, {"calendar_id": "cal_real_2"}]}
    got = {"calendars": [{"calendar_id": "cal_fake_1"}, {"calendar_id": "cal_fake_2"}]}
    assert diff(comparable(rec, real, RULES, ""), comparable(got, fake, RULES, "")) == []
    assert real.mapping(fake) == {"cal_real_1": "cal_fake_1", "cal_real_2": "cal_fake_2"}
    # later, the same ids inside other strings; a swapped order is a difference
    link = {"link": "https://api.example.com/x/cal_real_2", "id": "cal_real_1"}
    mine = {"link": "http://testserver/x/cal_fake_1", "id": "cal_fake_2"}
    found = diff(
        comparable(link, real, RULES, "https://api.example.com"),
        comparable(mine, fake, RULES, "http://testserver"),
    )
    assert [(d.kind, d.at) for d in found] == [("value", "$.link"), ("value", "$.id")]


def test_volatile_values_keep_their_type_and_keys_and_types_are_compared():
    a = comparable({"updated": "2026-01-01T00:00:00Z", "n": 1, "gone": 1}, Namer(), RULES, "")
    b = comparable({"updated": "2027-02-02T00:00:00Z", "n": "1", "new": 1}, Namer(), RULES, "")
    assert a["updated"] == Opaque("volatile", "string")
    found = {(d.kind, d.at) for d in diff(a, b)}
    assert found == {("type", "$.n"), ("missing key", "$.gone"), ("extra key", "$.new")}
    c = comparable({"updated": 5}, Namer(), RULES, "")
    assert diff({"x": a["updated"]}, {"x": c["updated"]})[0].kind == "type"


# -- the proxy in-process, against a scripted upstream ----------------------------------------


def token_endpoint(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        json={"access_token": "realAccessToken00000000000009999", "account_id": "acc_1"},
        headers={"Location": "https://api.example.com/next"},
    )


def test_the_proxy_masks_form_and_answer_secrets_and_appends(tmp_path):
    path = tmp_path / "c.json"
    upstream = httpx.MockTransport(token_endpoint)
    form = {"client_secret": "realClientSecret000000000000042", "grant_type": "refresh_token"}
    for _ in range(2):  # a second recorder appends, numbering on
        rec = Recorder(
            "cronofy",
            "https://api.example.com",
            path,
            id_keys=frozenset({"account_id"}),
            append=True,
            transport=upstream,
        )
        with asgi_client(recording_app(rec), base_url="http://proxy.test") as client:
            answer = client.post("/oauth/token", data=form)
        assert answer.json()["access_token"] == "realAccessToken00000000000009999"  # unmasked
        assert answer.headers["location"] == "http://proxy.test/next"
    text = path.read_text()
    assert "realClientSecret" not in text and "realAccessToken" not in text
    exchanges = Cassette.load(path).exchanges
    assert [e["n"] for e in exchanges] == [1, 2]
    assert exchanges[0]["request"]["body_kind"] == "form"
    assert exchanges[0]["request"]["body"]["client_secret"] == "***0042"
    assert exchanges[0]["response"]["body"]["access_token"] == "***9999"
    assert exchanges[0]["ids"] == [{"at": "$.account_id", "value": "acc_1"}]


def test_an_unreachable_upstream_is_a_502_and_nothing_is_recorded(tmp_path):
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    path = tmp_path / "c.json"
    rec = Recorder(
        "cronofy", "https://api.example.com", path, transport=httpx.MockTransport(refuse)
    )
    with asgi_client(recording_app(rec)) as client:
        answer = client.get("/v1/calendars")
    assert answer.status_code == 502
    assert "could not reach https://api.example.com" in answer.json()["error"]
    assert Cassette.load(path).exchanges == []
