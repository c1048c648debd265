"""The dashboard (`/_mock/ui`) in a real headless browser: Debian's chromium driven by
Playwright's Python API (never `playwright install`: the system browser is used). Every page
loads with no console error, an event created through a provider's API appears in the open
week view by itself (server-sent events), the journal shows the request, and the controls
change the fake. Screenshots are kept in `test-artifacts/dashboard/` (or $MOCKSERVER_ARTIFACTS).

Skipped, with the reason, only when there is no browser (or no Playwright) on the machine; CI
sets MOCKSERVER_REQUIRE_BROWSER=1 (after installing chromium), which turns that skip into a
failure."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.core.fixtures import demo_path, read
from mockserver.testing import LiveServer

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("MOCKSERVER_ARTIFACTS", ROOT / "test-artifacts")) / "dashboard"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ALICE = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
WORK = "cal_a11cedemo0001_work"
TIMEOUT_MS = 10_000


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    return None


def no_browser(reason: str) -> None:
    if os.environ.get("MOCKSERVER_REQUIRE_BROWSER"):
        pytest.fail(f"MOCKSERVER_REQUIRE_BROWSER is set, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        no_browser("no chromium on this machine (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        no_browser("Playwright's Python package is not installed (pip install playwright)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with LiveServer() as srv:
        yield srv


class Page:
    """A browser tab on the fake that fails the test on any console error or page error."""

    def __init__(self, browser: Any, server: LiveServer, name: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.base = server.url
        self.name = name

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response)
        self.page.wait_for_selector("#live.on")  # the live-update stream is connected
        return response

    def shot(self, label: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{label}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


@pytest.fixture
def tab(browser: Any, server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = Page(browser, server, request.node.name)
    try:
        yield page
    finally:
        page.close()


def test_every_page_loads_without_console_errors(tab: Page, server: LiveServer) -> None:
    tab.page.goto(server.url + "/", wait_until="load")
    assert tab.page.locator("h1").inner_text().startswith("calendar-mockserver")
    tab.page.click("text=Dashboard")
    tab.page.wait_for_selector("#live.on")
    people = len(read(demo_path())["accounts"])  # Alice, Bob, Carol (the demo world may grow)
    assert tab.page.locator("section.account h2").count() == people
    tab.shot("world")
    tab.page.click("text=Work")
    tab.page.wait_for_selector(".week")
    assert tab.page.locator(".week .ev").count() > 0
    tab.shot("week")
    tab.page.locator(".week .ev.external").first.click()
    tab.page.wait_for_selector("section.rendering")
    tab.shot("event")
    tab.goto("/_mock/ui/journal")
    tab.shot("journal")
    tab.goto("/_mock/ui/controls")
    tab.shot("controls")
    tab.goto("/_mock/ui/deliveries")
    for path in ("/_mock/ui/calendars/cal_nowhere", "/_mock/ui/events/evt_nowhere"):
        response = tab.page.goto(server.url + path)
        assert response is not None and response.status == 404
        assert tab.page.locator("h1").inner_text() == "Not found"
    tab.errors = [e for e in tab.errors if "404" not in e]  # the two pages asked to be missing


def test_an_event_made_through_the_api_appears_by_itself(tab: Page, server: LiveServer) -> None:
    day = date.today() + timedelta(days=8)
    tab.goto(f"/_mock/ui/calendars/{WORK}?week={day}")
    assert tab.page.locator("text=Browser-made meeting").count() == 0
    body = {
        "event_id": "browser-1",
        "summary": "Browser-made meeting",
        "start": f"{day}T10:00:00Z",
        "end": f"{day}T11:00:00Z",
    }
    response = httpx.post(f"{server.url}/v1/calendars/{WORK}/events", json=body, headers=ALICE)
    assert response.status_code == 202
    block = tab.page.wait_for_selector(".week .ev.managed:has-text('Browser-made meeting')")
    assert block is not None
    tab.shot("week-after-create")
    block.click()
    tab.page.wait_for_selector("section.rendering[data-provider='cronofy'] pre")
    cronofy = tab.page.locator("section.rendering[data-provider='cronofy'] pre").inner_text()
    assert '"event_id": "browser-1"' in cronofy
    tab.goto("/_mock/ui/journal?method=POST")
    row = tab.page.locator("table.journal tbody tr", has_text=f"/v1/calendars/{WORK}/events")
    assert row.count() == 1
    assert "202" in row.inner_text()
    row.locator("a").first.click()
    tab.page.wait_for_selector("h1:has-text('POST')")
    assert "Browser-made meeting" in tab.page.locator("pre.json").nth(2).inner_text()
    tab.shot("journal-entry")


def test_the_journal_page_updates_and_filters(tab: Page, server: LiveServer) -> None:
    tab.goto("/_mock/ui/journal")
    httpx.get(server.url + "/v1/calendars", headers=ALICE)
    httpx.get(server.url + "/v1/calendars")  # no token: 401
    tab.page.wait_for_selector("#journal-shown:text('2')")
    tab.page.fill("input[name=status]", "401")
    tab.page.click("button:text('Filter')")
    tab.page.wait_for_selector("#journal-shown:text('1')")
    assert "401" in tab.page.locator("table.journal tbody").inner_text()


def test_the_controls_change_the_fake(tab: Page, server: LiveServer) -> None:
    tab.goto("/_mock/ui/controls")
    before = httpx.get(server.url + "/_mock/clock").json()["offset_seconds"]
    tab.page.click("button:text('+1 day')")
    tab.page.wait_for_selector("#flash.ok")
    assert httpx.get(server.url + "/_mock/clock").json()["offset_seconds"] >= before + 86400
    tab.page.fill("textarea[name=rule]", '{"provider": "cronofy", "status": 503, "times": 2}')
    tab.page.click("button:text('Add rule')")
    tab.page.wait_for_selector("table.faults tr[data-fault]")
    rules = httpx.get(server.url + "/_mock/faults").json()["faults"]
    assert [(r["provider"], r["status"]) for r in rules] == [(["cronofy"], 503)]
    tab.shot("controls-with-rule")
    tab.page.click("table.faults tr[data-fault] button:text('Remove')")
    tab.page.wait_for_selector("text=No fault rules.")
    assert httpx.get(server.url + "/_mock/faults").json() == {"faults": []}
    tab.page.click("button:text('Reset, keeping settings and clock')")
    tab.page.wait_for_selector("#flash.ok:has-text('/_mock/reset')")
    assert httpx.get(server.url + "/_mock/clock").json()["offset_seconds"] >= before + 86400


def test_a_deliveries_page_when_the_server_has_a_delivery_log(browser: Any) -> None:
    """The dashboard finds GET /_mock/deliveries among the app's routes: the nav links a page
    that shows what the delivery log returns."""
    import httpx

    with LiveServer() as srv:
        sent = httpx.post(
            srv.url + "/_mock/cronofy/smart_invite",
            json={
                "callback_url": "http://127.0.0.1:9/hook",
                "smart_invite": {"smart_invite_id": "i1"},
            },
        )
        assert sent.status_code == 202, sent.text
        tab = Page(browser, srv, "delivery-log")
        tab.goto("/_mock/ui")
        tab.page.click("nav a:text('Deliveries')")
        tab.page.wait_for_selector("#deliveries table")
        text = tab.page.locator("#deliveries table").inner_text()
        assert "dlv_1" in text and "smart_invite" in text
        tab.shot("deliveries")
        tab.close()
