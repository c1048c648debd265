"""Stateful property test: random sequences of operations across the three dialects and the
control plane, on one calendar every provider sees (the demo world's Alice: her Cronofy token,
her Cal.com user, whose bookings land in her Google Work calendar, and her Truto Google
Calendar account on that same calendar), checked against a model after every step.

Operations: Cronofy upsert and delete; Truto create (with and without an Idempotency-Key),
replay, update and delete; Cal.com book, cancel,
reschedule and rename (the unified PATCH); the control plane's reset, seed, save + load (the
saved file seeded back) and clock moves. After every step:
  * no answer was a 5xx (each request checks);
  * a refused request (any 4xx) left the world exactly as it was;
  * GET /_mock/state dumps, and loading the dump builds the same world again;
  * Cronofy's Read Events (paged), Truto's list (paged by cursor) and Cal.com's list of the
    calendar's events each show exactly the model's events (title, start, end).

Bounded by default (a few hundred steps); MOCKSERVER_HEAVY=1 runs many more (README,
"Reliability"). The figures printed at the end are the steps run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
)

from mockserver.app import create_app
from mockserver.calcom.settings import CalcomSettings
from mockserver.core.fixtures import demo_path, read
from mockserver.cronofy.settings import CronofySettings
from mockserver.settings import Settings
from mockserver.state import ServerState
from mockserver.testing import asgi_client
from mockserver.truto.settings import TrutoSettings

HEAVY = os.environ.get("MOCKSERVER_HEAVY") == "1"
EXAMPLES, STEPS = (200, 60) if HEAVY else (12, 25)
MARK = "sm-"  # every event the machine makes has this in its title

CRONOFY = {"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"}
WORK = "cal_a11cedemo0001_work"
CALCOM = {
    "Authorization": "Bearer cal_live_demoAlice000000000000000001",
    "cal-api-version": "2024-08-13",
}
TRUTO = {"Authorization": "Bearer trutoDemoApiToken000000000000001"}
ALICE = "0a11ce00-7e57-4d00-8000-000000000001"
EVENTS = "/unified/calendar/events"

DEMO = read(demo_path())
SERVER = ServerState(
    Settings(
        cronofy=CronofySettings(page_size=3),
        calcom=CalcomSettings(rate_limit=False, profile="oss-2026"),
        truto=TrutoSettings(rate_limit=False),
    ),
    fixture=DEMO,
)
T0 = SERVER.clock.now().replace(minute=0, second=0, microsecond=0)
SERVER.clock.set(T0)
SERVER.clock.freeze()
SERVER.load(DEMO)  # anchored at T0, so the world resolves the same on every example
FIRST_DAY, LAST_DAY = 30, 60  # the machine's events live this many days after T0
COUNT = {"examples": 0, "checks": 0, "requests": 0, "writes": 0, "refused": 0}


@dataclass(frozen=True)
class Ev:
    title: str
    start: datetime
    end: datetime


def utc(value: Any) -> datetime:
    """A start/end as a dialect renders it (string, or Cal.com's {time, timeZone})."""
    if isinstance(value, dict):
        value = value.get("time")
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


slots = st.builds(
    lambda day, half_hour: T0 + timedelta(days=day, minutes=30 * half_hour),
    st.integers(FIRST_DAY, LAST_DAY - 1),
    st.integers(16, 40),  # 08:00 to 20:00 UTC
)
lengths = st.sampled_from([30, 60, 90])


class WorldMachine(RuleBasedStateMachine):
    cronofy_ids = Bundle("cronofy_ids")
    truto_ids = Bundle("truto_ids")
    bookings = Bundle("bookings")

    def __init__(self) -> None:
        super().__init__()
        COUNT["examples"] += 1
        SERVER.clock.set(T0)
        SERVER.reset(to=SERVER.loaded)
        SERVER.load(DEMO)
        self.client = CLIENT
        self.model: dict[tuple[str, str], Ev] = {}  # (dialect, its id) -> the event
        self.loaded: dict[tuple[str, str], Ev] = {}  # what a reset goes back to
        self.n = 0
        self.advanced = timedelta(0)
        self.keyed: dict[str, tuple[dict[str, Any], str]] = {}  # Idempotency-Key -> (body, id)

    # -- requests ----------------------------------------------------------------------------

    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        answer = self.client.request(method, path, **kwargs)
        COUNT["requests"] += 1
        assert answer.status_code < 500, (method, path, answer.status_code, answer.text[:500])
        return answer

    def write(self, method: str, path: str, ok: int, **kwargs: Any) -> httpx.Response | None:
        """A write: its success answer, or None for a refusal, which must change nothing."""
        before = SERVER.dump()
        answer = self.send(method, path, **kwargs)
        COUNT["writes"] += 1
        if answer.status_code == ok:
            return answer
        COUNT["refused"] += 1
        assert 400 <= answer.status_code < 500, (method, path, answer.status_code, answer.text)
        assert SERVER.dump() == before, (method, path, answer.status_code, answer.text)
        return None

    def name(self, kind: str) -> str:
        self.n += 1
        return f"{MARK}{kind}{self.n}"

    # -- Cronofy -----------------------------------------------------------------------------

    @rule(target=cronofy_ids, start=slots, minutes=lengths)
    def cronofy_create(self, start: datetime, minutes: int) -> str:
        event_id = self.name("c")
        self._upsert(event_id, start, minutes)
        return event_id

    @rule(event_id=cronofy_ids, start=slots, minutes=lengths)
    def cronofy_update(self, event_id: str, start: datetime, minutes: int) -> None:
        self._upsert(event_id, start, minutes)

    def _upsert(self, event_id: str, start: datetime, minutes: int) -> None:
        title = f"{event_id} at {start:%d %H:%M}"
        body = {"event_id": event_id, "summary": title, "start": z(start)}
        body["end"] = z(start + timedelta(minutes=minutes))
        made = self.write("POST", f"/v1/calendars/{WORK}/events", 202, json=body, headers=CRONOFY)
        assert made is not None  # Alice's Work calendar takes every write of her app
        self.model["cronofy", event_id] = Ev(title, start, start + timedelta(minutes=minutes))

    @rule(event_id=cronofy_ids)
    def cronofy_delete(self, event_id: str) -> None:
        path = f"/v1/calendars/{WORK}/events"
        gone = self.write("DELETE", path, 202, json={"event_id": event_id}, headers=CRONOFY)
        # a reset may have taken the event away; an id the app never used in this world is 404
        assert gone is not None or ("cronofy", event_id) not in self.model
        self.model.pop(("cronofy", event_id), None)

    # -- Truto -------------------------------------------------------------------------------

    def _truto_body(self, title: str, start: datetime, minutes: int) -> dict[str, Any]:
        return {
            "calendar": {"id": "primary"},
            "title": title,
            "start_time": z(start),
            "end_time": z(start + timedelta(minutes=minutes)),
            "timezone": "Europe/London",
        }

    @rule(target=truto_ids, start=slots, minutes=lengths, key=st.sampled_from([None, "k1", "k2"]))
    def truto_create(self, start: datetime, minutes: int, key: str | None) -> str:
        title = self.name("t")
        headers = {**TRUTO, **({"Idempotency-Key": f"{key}-{title}"} if key else {})}
        made = self.write(
            "POST",
            EVENTS,
            201,
            params={"integrated_account_id": ALICE},
            json=self._truto_body(title, start, minutes),
            headers=headers,
        )
        assert made is not None, "a Google Calendar account creates on its primary calendar"
        eid = made.json()["id"]
        self.model["truto", eid] = Ev(title, start, start + timedelta(minutes=minutes))
        if key:
            self.keyed[headers["Idempotency-Key"]] = (self._truto_body(title, start, minutes), eid)
        return eid

    @precondition(lambda self: self.keyed)
    @rule(data=st.data())
    def truto_replay(self, data: st.DataObject) -> None:
        """The same create with the same key replays the first answer and changes nothing."""
        key = data.draw(st.sampled_from(sorted(self.keyed)))
        body, eid = self.keyed[key]
        before = SERVER.dump()
        again = self.send(
            "POST",
            EVENTS,
            params={"integrated_account_id": ALICE},
            json=body,
            headers={**TRUTO, "Idempotency-Key": key},
        )
        assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
        assert again.json()["id"] == eid
        assert SERVER.dump() == before

    @rule(eid=truto_ids, start=slots, minutes=lengths)
    def truto_update(self, eid: str, start: datetime, minutes: int) -> None:
        old = self.model.get(("truto", eid))
        title = f"{old.title.split(' ')[0] if old else MARK + 'gone'} moved"
        done = self.write(
            "PATCH",
            f"{EVENTS}/{eid}",
            200,
            params={"integrated_account_id": ALICE},
            json=self._truto_body(title, start, minutes),
            headers=TRUTO,
        )
        assert (done is not None) == (old is not None)  # only a deleted or reset event is 404
        if done is not None:
            self.model["truto", eid] = Ev(title, start, start + timedelta(minutes=minutes))

    @rule(eid=consumes(truto_ids))
    def truto_delete(self, eid: str) -> None:
        done = self.write(
            "DELETE",
            f"{EVENTS}/{eid}",
            200,
            params={"integrated_account_id": ALICE, "calendar[id]": "primary"},
            headers=TRUTO,
        )
        assert (done is not None) == (("truto", eid) in self.model)
        self.model.pop(("truto", eid), None)

    # -- Cal.com -----------------------------------------------------------------------------

    @rule(target=bookings, start=slots)
    def calcom_book(self, start: datetime) -> str:
        attendee = self.name("b")
        body = {
            "start": z(start),
            "eventTypeId": 1,  # 30 minutes, in Alice's Work calendar
            "attendee": {"name": attendee, "email": "sm@example.com", "timeZone": "Europe/Paris"},
        }
        made = self.write("POST", "/v2/bookings", 201, json=body, headers=CALCOM)
        if made is None:  # the slot was busy: refused, and nothing changed
            return "never-booked"
        data = made.json()["data"]
        self.model["calcom", data["uid"]] = Ev(data["title"], start, start + timedelta(minutes=30))
        return data["uid"]

    @rule(uid=consumes(bookings))
    def calcom_cancel(self, uid: str) -> None:
        done = self.write("POST", f"/v2/bookings/{uid}/cancel", 200, json={}, headers=CALCOM)
        # only a live booking of this world cancels (not one a reset took away, nor a refused one)
        assert (done is not None) == (("calcom", uid) in self.model)
        self.model.pop(("calcom", uid), None)

    @rule(target=bookings, uid=consumes(bookings), start=slots)
    def calcom_reschedule(self, uid: str, start: datetime) -> str:
        path = f"/v2/bookings/{uid}/reschedule"
        done = self.write("POST", path, 201, json={"start": z(start)}, headers=CALCOM)
        if done is None:
            return uid  # busy, cancelled, unknown: nothing changed
        old = self.model.pop(("calcom", uid))
        data = done.json()["data"]
        self.model["calcom", data["uid"]] = replace(
            old, start=start, end=start + (old.end - old.start)
        )
        return data["uid"]

    @rule(uid=bookings)
    def calcom_rename(self, uid: str) -> None:
        if ("calcom", uid) not in self.model:
            return
        refs = self.send(
            "GET", f"/v2/bookings/{uid}/references", params={"type": "google_calendar"},
            headers=CALCOM,
        )  # fmt: skip
        assert refs.status_code == 200, refs.text
        event_uid = refs.json()["data"][0]["eventUid"]
        title = f"{self.model['calcom', uid].title} (renamed)"
        path = f"/v2/calendars/google/events/{event_uid}"
        done = self.write("PATCH", path, 200, json={"title": title}, headers=CALCOM)
        assert done is not None
        self.model["calcom", uid] = replace(self.model["calcom", uid], title=title)

    # -- the control plane -------------------------------------------------------------------

    @rule()
    def reset(self) -> None:
        assert self.send("POST", "/_mock/reset").status_code == 200
        self.model = dict(self.loaded)
        self.keyed = {}  # a reset forgets idempotency keys

    @rule()
    def seed_demo(self) -> None:
        assert self.send("POST", "/_mock/seed", json=DEMO).status_code == 200
        self.model, self.loaded, self.keyed = {}, {}, {}

    @rule()
    def save_and_load(self) -> None:
        """Save to the state file, then seed what was saved: the same world, now the reset
        point."""
        before = SERVER.dump()
        assert self.send("POST", "/_mock/save").status_code == 200
        saved = Path(SERVER.state_file).read_bytes()
        seeded = self.send(
            "POST", "/_mock/seed", content=saved, headers={"Content-Type": "application/json"}
        )
        assert seeded.status_code == 200, seeded.text
        assert SERVER.dump() == before
        self.loaded, self.keyed = dict(self.model), {}

    @precondition(lambda self: self.advanced < timedelta(days=2))
    @rule(seconds=st.integers(1, 6 * 3600))
    def clock_moves(self, seconds: int) -> None:
        moved = self.send("POST", "/_mock/clock", json={"advance": seconds})
        assert moved.status_code == 200
        self.advanced += timedelta(seconds=seconds)

    # -- after every step --------------------------------------------------------------------

    @invariant()
    def dumps_and_round_trips(self) -> None:
        COUNT["checks"] += 1  # once before the first step, then after every step
        dumped = self.send("GET", "/_mock/state")
        assert dumped.status_code == 200
        again = ServerState(SERVER.settings, fixture=dumped.json())
        assert again.dump() == SERVER.dump()

    @invariant()
    def every_dialect_reads_the_model(self) -> None:
        expected = sorted((e.title, e.start, e.end) for e in self.model.values())
        assert self._cronofy() == expected
        assert self._truto() == expected
        assert self._calcom() == expected

    def _window(self) -> tuple[datetime, datetime]:
        return T0 + timedelta(days=FIRST_DAY - 1), T0 + timedelta(days=LAST_DAY + 1)

    def _cronofy(self) -> list[tuple[str, datetime, datetime]]:
        lo, hi = self._window()
        params = {
            "tzid": "Etc/UTC",
            "from": lo.date().isoformat(),
            "to": hi.date().isoformat(),
            "include_managed": "true",
            "calendar_ids[]": WORK,
        }
        answer = self.send("GET", "/v1/events", params=params, headers=CRONOFY)
        seen = []
        for _ in range(200):
            assert answer.status_code == 200, answer.text
            page = answer.json()
            seen += page["events"]
            nxt = page["pages"].get("next_page")
            if not nxt:
                break
            answer = self.send("GET", httpx.URL(nxt).raw_path.decode(), headers=CRONOFY)
        return sorted(
            (e["summary"], utc(e["start"]), utc(e["end"])) for e in seen if MARK in e["summary"]
        )

    def _truto(self) -> list[tuple[str, datetime, datetime]]:
        lo, hi = self._window()
        params = {
            "integrated_account_id": ALICE,
            "calendar[id]": "primary",
            "start_time": z(lo),
            "end_time": z(hi),
            "limit": "4",
        }
        seen: list[dict[str, Any]] = []
        for _ in range(200):
            answer = self.send("GET", EVENTS, params=params, headers=TRUTO)
            assert answer.status_code == 200, answer.text
            page = answer.json()
            seen += page["result"]
            if not page.get("next_cursor"):
                break
            params["next_cursor"] = page["next_cursor"]
        ids = [e["id"] for e in seen]
        assert len(ids) == len(set(ids)), "a cursor page repeated an event"
        return sorted(
            (e["title"], utc(e["start_time"]), utc(e["end_time"]))
            for e in seen
            if MARK in e["title"]
        )

    def _calcom(self) -> list[tuple[str, datetime, datetime]]:
        lo, hi = self._window()
        params = {"from": z(lo), "to": z(hi)}
        answer = self.send("GET", "/v2/calendars/google/events", params=params, headers=CALCOM)
        assert answer.status_code == 200, answer.text
        return sorted(
            (e["title"], utc(e["start"]), utc(e["end"]))
            for e in answer.json()["data"]
            if MARK in e["title"]
        )


CLIENT: httpx.Client


@pytest.fixture(scope="module", autouse=True)
def _client(tmp_path_factory: pytest.TempPathFactory):
    global CLIENT
    SERVER.state_file = tmp_path_factory.mktemp("machine") / "state.json"
    with asgi_client(create_app(state=SERVER)) as CLIENT:
        yield
    print(
        f"\nstate machine: {COUNT['examples']} runs, {COUNT['checks'] - COUNT['examples']} "
        f"steps, {COUNT['requests']} requests, "
        f"{COUNT['writes']} writes ({COUNT['refused']} refused, each checked to change nothing)"
    )


WorldMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_world_machine = WorldMachine.TestCase
