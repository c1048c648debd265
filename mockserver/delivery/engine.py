"""The delivery engine: turns published changes into providers' outbound requests and sends them
with real HTTP (httpx), on a background event loop, so the request that caused a change never
waits for its notifications.

Flow: the world's change feed hands every committed batch to `DeliveryEngine.feed` (on the
committing thread: the batch is only queued). On the engine's loop, each registered provider's
notifier (`registry.Provider.notifications`) renders the batch into `Outbound` requests (or
`Cancel`s of pending ones); each becomes a `Delivery` record, due at once or at the time the
provider asked for (on the fake clock). Deliveries to one target go one at a time, in order;
targets are served concurrently, so a slow subscriber delays only itself. A failed attempt is
retried by the provider's `RetryPolicy`, the retry due on the fake clock: advancing the clock
(`POST /_mock/clock`) fires what has become due, and a frozen clock fires nothing by itself.
Delivery rules (mockserver/delivery/rules.py) and pauses act on deliveries before they are sent.

The engine runs on one event loop thread shared by every engine in the process, so it works the
same under uvicorn (`mockserver serve`, `LiveServer`), in-process (`asgi_client`), and from plain
Python with no server at all. In-process receivers (`mount`) take deliveries without a socket.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import itertools
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from datetime import datetime, timedelta
from typing import Any

import httpx

from mockserver import registry
from mockserver.core.changes import Change
from mockserver.core.clock import Clock
from mockserver.delivery.models import Attempt, Cancel, Delivery, Outbound, iso_ms
from mockserver.delivery.rules import Rules

RESPONSE_KEPT = 2048  # characters of a receiver's answer kept per attempt
USER_AGENT = "calendar-mockserver"
WAKE_DELAY = 0.002  # seconds between a change being queued and the engine starting on it

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def shared_loop() -> asyncio.AbstractEventLoop:
    """The process's delivery loop, started on first use in a daemon thread."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            threading.Thread(target=run, name="mockserver-deliveries", daemon=True).start()
            ready.wait()
            # Import now what sending imports lazily, while the caller waits: CPython 3.11's
            # compiler is not safe against two threads compiling at once (a module imported on
            # this thread while pytest rewrites one on the main thread can crash the latter).
            asyncio.run_coroutine_threadsafe(_warm_up(), loop).result(timeout=30)
            _loop = loop
            atexit.register(_shutdown, loop)
        return _loop


async def _warm_up() -> None:
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on: refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with httpx.AsyncClient(trust_env=False) as client:
        with contextlib.suppress(httpx.HTTPError):
            await client.post(f"http://127.0.0.1:{port}/", content=b"{}", timeout=2)
    mock = httpx.MockTransport(lambda request: httpx.Response(200))
    async with httpx.AsyncClient(transport=mock) as client:
        await client.post("http://warm.up/", content=b"{}")


def _shutdown(loop: asyncio.AbstractEventLoop) -> None:
    """At exit: cancel the engines' tasks and stop the loop (quietly, within a second)."""

    async def cancel_all() -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    if loop.is_closed() or not loop.is_running():
        return
    with contextlib.suppress(Exception):  # exiting anyway
        asyncio.run_coroutine_threadsafe(cancel_all(), loop).result(1)
    loop.call_soon_threadsafe(loop.stop)


class DeliveryEngine:
    """`backends()` returns the current provider backends by name (they are rebuilt on seed and
    reset); `settings` is the fake's own section (`delivery_log_size`)."""

    def __init__(
        self, clock: Clock, backends: Callable[[], Mapping[str, Any]], settings: Any
    ) -> None:
        self.clock = clock
        self._backends = backends
        self.settings = settings
        self.rules = Rules()
        self.log: deque[Delivery] = deque(maxlen=max(1, settings.delivery_log_size))
        self.errors: deque[str] = deque(maxlen=50)  # notifier failures, shown by the listing
        self.total = 0
        self._queues: dict[str, list[Delivery]] = {}  # target -> deliveries not yet final
        self._by_id: dict[str, Delivery] = {}  # every delivery still in the log or pending
        self._busy: set[str] = set()  # targets with an attempt under way
        self._inbox: deque[list[Change]] = deque()
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._generation = 0  # bumped by reset: attempts begun before it record nothing
        self._mounts: dict[str, httpx.AsyncBaseTransport] = {}
        self._clients: dict[str | None, httpx.AsyncClient] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._progress: asyncio.Event | None = None
        self._waiting = False  # a wake-up is already on its way to the loop

    # -- the feed and the loop -------------------------------------------------------------

    def feed(self, batch: list[Change]) -> None:
        """Change-feed subscriber (runs on the committing thread: queue and wake, no more)."""
        if not self._interested():
            return
        self._inbox.append(batch)
        self.kick()

    def _interested(self) -> bool:
        backends = self._backends()
        for p in registry.providers():
            be = backends.get(p.name)
            if p.notifications is not None and be is not None and p.notifications.wants(be):
                return True
        return False

    def _start(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            loop = shared_loop()
            started: Future[None] = asyncio.run_coroutine_threadsafe(self._begin(), loop)
            started.result(timeout=10)
            self._loop = loop
        return self._loop

    async def _begin(self) -> None:
        self._wake = asyncio.Event()
        self._progress = asyncio.Event()
        task = asyncio.get_running_loop().create_task(self._run())
        # An engine whose server state is dropped is collected with its idle task: quietly.
        task._log_destroy_pending = False  # type: ignore[attr-defined]

    def nudge(self) -> None:
        """Wake the loop if it runs (the clock moved, a rule changed); never starts it."""
        if self._loop is not None:
            self.kick()

    def kick(self) -> None:
        """Wake the loop (starting it on first use): something was queued."""
        loop = self._start()
        if not self._waiting:
            self._waiting = True
            loop.call_soon_threadsafe(self._wake_soon)

    def _wake_soon(self) -> None:
        # A moment's grace: the request that caused the change finishes its answer before
        # this thread takes the interpreter lock to render and send (threads share one CPU).
        asyncio.get_running_loop().call_later(WAKE_DELAY, self._wake_up)

    def _wake_up(self) -> None:
        self._waiting = False
        assert self._wake is not None
        self._wake.set()

    def _call(self, coro: Any, timeout: float | None) -> Any:
        """Run a coroutine on the engine's loop from another thread and wait for it."""
        future = asyncio.run_coroutine_threadsafe(coro, self._start())
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            future.cancel()
            raise

    async def _on_loop(self, coro: Any) -> Any:
        """Await a coroutine on the engine's loop from any other loop (the server's)."""
        loop = self._start()
        if asyncio.get_running_loop() is loop:
            return await coro
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            self._wake.clear()
            try:
                self._render()
                self._dispatch()
            except Exception:  # noqa: BLE001 - the loop must outlive a bug
                self.errors.append(traceback.format_exc(limit=5))
            wait = self._next_wait()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    def _next_wait(self) -> float | None:
        """Real seconds until the next pending delivery falls due (capped, since the clock may
        be moved meanwhile); None when the clock is frozen or nothing waits for time."""
        if self.clock.frozen:
            return None
        if self._busy:
            return 0.05  # an attempt under way wakes the loop anyway: no need to scan
        now = self.clock.now()
        with self._lock:
            dues = [
                d.due_at
                for q in self._queues.values()
                for d in q
                if d.status in ("pending", "retrying") and d.due_at > now
            ]
        if not dues:
            return None
        return min(1.0, max(0.005, (min(dues) - now).total_seconds()))

    # -- rendering -----------------------------------------------------------------------

    def _render(self) -> None:
        while self._inbox:
            batch = self._inbox.popleft()
            backends = self._backends()
            for p in registry.providers():
                notifier, be = p.notifications, backends.get(p.name)
                if notifier is None or be is None:
                    continue
                try:
                    actions = notifier.render(be, batch)
                except Exception:  # noqa: BLE001 - one provider's bug spares the others
                    self.errors.append(f"{p.name}: " + traceback.format_exc(limit=5))
                    continue
                self._apply(actions)

    def _apply(self, actions: Iterable[Outbound | Cancel]) -> list[Delivery]:
        made = []
        with self._lock:
            for action in actions:
                if isinstance(action, Cancel):
                    self._cancel(action)
                else:
                    made.append(self._enqueue(action))
        return made

    def _enqueue(self, out: Outbound, duplicate_of: str | None = None) -> Delivery:
        if out.coalesce is not None and duplicate_of is None:
            for d in self._queues.get(out.target, ()):
                if d.out.coalesce == out.coalesce and not d.attempts and d.status == "pending":
                    return d  # the pending one covers this change too (it is older)
        n = next(self._ids)
        now = self.clock.now()
        d = Delivery(f"dlv_{n}", n, out, now, out.due or now, duplicate_of=duplicate_of)
        if self.log.maxlen != max(1, self.settings.delivery_log_size):
            self.log = deque(self.log, maxlen=max(1, self.settings.delivery_log_size))
        if len(self.log) == self.log.maxlen:
            old = self.log[0]
            old.in_log = False
            if old.final:
                self._by_id.pop(old.id, None)
        d.in_log = True
        self.log.append(d)
        self._by_id[d.id] = d
        self._queues.setdefault(out.target, []).append(d)
        self.total += 1
        return d

    def _cancel(self, cancel: Cancel) -> None:
        for queue in list(self._queues.values()):
            for d in list(queue):
                if d.out.tag == cancel.tag and d.provider == cancel.provider and not d.attempts:
                    d.status = "cancelled"
                    self._finished(d)

    def _finished(self, d: Delivery) -> None:
        """A delivery reached its final state: out of its queue (and of the index, once the
        log has let go of it too)."""
        queue = self._queues.get(d.target)
        if queue is not None:
            with contextlib.suppress(ValueError):
                queue.remove(d)
            if not queue:
                del self._queues[d.target]
        if not d.in_log:
            self._by_id.pop(d.id, None)

    # -- sending -------------------------------------------------------------------------

    def _eligible(self, d: Delivery, now: datetime) -> bool:
        if d.status not in ("pending", "retrying", "held"):
            return False
        if d.held_by == "now":  # deliver_now: past any pause, hold or rule
            return True
        if d.due_at > now:
            return False
        if self.rules.paused(d.provider, d.target):
            d.held_by, d.status = "pause", "held"
            return False
        if d.held_by == "pause":
            d.held_by, d.status = None, "pending" if not d.attempts else "retrying"
        return d.held_by is None

    def _dispatch(self) -> None:
        now = self.clock.now()
        with self._lock:
            for target, queue in list(self._queues.items()):
                if target in self._busy:
                    continue
                for d in list(queue):
                    if not self._eligible(d, now):
                        continue
                    if not d.ruled:
                        d.ruled = True
                        if not self._first_rules(d, now):
                            continue
                    self._busy.add(target)
                    d.status, d.held_by = "delivering", None
                    asyncio.get_running_loop().create_task(self._attempt(d, self._generation))
                    break

    def _first_rules(self, d: Delivery, now: datetime) -> bool:
        """Delivery rules applied once, before a delivery's first attempt; False when the
        delivery is not to be sent now."""
        fired = self.rules.pick(
            d.provider, d.target, d.out.kind, ("drop", "delay", "duplicate", "reorder")
        )
        for rule in fired:
            if rule.action == "drop":
                d.status = "dropped"
                d.attempts.append(Attempt(0, now, error="dropped by rule", rule=rule.id))
                self._settled(d)
                self._finished(d)
                return False
            if rule.action == "duplicate":
                self._enqueue(d.out, duplicate_of=d.id).ruled = True
        delays = [r for r in fired if r.action == "delay"]
        if delays:
            d.due_at = now + timedelta(seconds=sum(r.seconds for r in delays))
            return False
        if any(r.action == "reorder" for r in fired):
            rule = next(r for r in fired if r.action == "reorder")
            d.held_by, d.status = rule.id, "held"
            return False
        return True

    def _client(self, target: str) -> httpx.AsyncClient:
        prefix = next((p for p in self._mounts if target.startswith(p)), None)
        client = self._clients.get(prefix)
        if client is None:
            transport = self._mounts[prefix] if prefix is not None else None
            client = httpx.AsyncClient(
                transport=transport,
                follow_redirects=False,  # a redirect is the receiver's final answer
                trust_env=False,
                headers={"User-Agent": USER_AGENT},
            )
            self._clients[prefix] = client
        return client

    async def _attempt(self, d: Delivery, generation: int) -> None:
        policy = d.out.policy
        now = self.clock.now()
        attempt = Attempt(len(d.attempts) + 1, now)
        if d.first_attempt_at is None:
            d.first_attempt_at = now
        failing = self.rules.pick(d.provider, d.target, d.out.kind, ("fail",))
        if failing:
            rule = failing[0]
            attempt.rule, attempt.latency_ms = rule.id, 0.0
            if rule.error:
                attempt.error = rule.error
            else:
                attempt.status = rule.status
        else:
            started = time.perf_counter()
            try:
                response = await self._client(d.target).request(
                    d.out.method,
                    d.target,
                    content=d.out.body,
                    headers=d.out.headers,
                    timeout=policy.timeout,
                )
                attempt.status = response.status_code
                attempt.response = response.text[:RESPONSE_KEPT]
            except httpx.TimeoutException:
                attempt.error = f"timeout: no answer within {policy.timeout:g} s"
            except httpx.HTTPError as exc:
                attempt.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - an in-process receiver's bug, say
                attempt.error = f"{type(exc).__name__}: {exc}"
            attempt.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        with self._lock:
            if generation != self._generation:
                return  # reset while it was on the way
            self._busy.discard(d.target)
            d.attempts.append(attempt)
            lo, hi = policy.success
            if attempt.status is not None and lo <= attempt.status <= hi:
                d.status = "delivered"
            else:
                retryable = policy.retry_on == "failure" or attempt.status is None
                later = self.clock.now() + timedelta(seconds=policy.wait(attempt.number))
                within = policy.give_up_after is None or (
                    (later - d.first_attempt_at).total_seconds() <= policy.give_up_after
                )
                if retryable and attempt.number < policy.attempts and within:
                    d.status, d.due_at = "retrying", later
                else:
                    d.status = "failed"
            self._release_reordered(d)
            if d.final:
                self._settled(d)
                self._finished(d)
        assert self._progress is not None and self._wake is not None
        self._progress.set()
        self._wake.set()

    def _release_reordered(self, sent: Delivery) -> None:
        """A delivery held by a reorder rule goes once a later one to its target was tried."""
        for d in self._queues.get(sent.target, ()):
            if d.status == "held" and d.held_by not in (None, "pause") and d.seq < sent.seq:
                d.held_by, d.status = None, "pending"

    def _settled(self, d: Delivery) -> None:
        """Tell the provider a delivery reached its final state (to close a channel, say)."""
        p = registry.get(d.provider)
        be = self._backends().get(d.provider)
        if p is None or p.notifications is None or be is None:
            return
        try:
            p.notifications.settled(be, d)
        except Exception:  # noqa: BLE001
            self.errors.append(f"{d.provider}: " + traceback.format_exc(limit=5))

    # -- flushing and waiting ------------------------------------------------------------

    def _due_count(self, now: datetime) -> int:
        return sum(
            1
            for q in self._queues.values()
            for d in q
            if d.status in ("pending", "retrying", "delivering") and d.due_at <= now
        )

    async def _flush(self, timeout: float) -> dict[str, Any]:
        assert self._progress is not None
        deadline = time.monotonic() + timeout
        while True:
            self._render()
            self._dispatch()
            with self._lock:
                busy = bool(self._busy)
                due = 0 if busy else self._due_count(self.clock.now())
                if not busy and not due and not self._inbox:
                    held = [
                        d
                        for q in self._queues.values()
                        for d in q
                        if d.status == "held" and d.held_by not in (None, "pause")
                    ]
                    if not held:
                        return self.summary()
                    for d in held:  # nothing else will release them: their turn is now
                        d.held_by, d.status = None, "pending"
                    continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"deliveries still due after {timeout:g} s")
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), min(left, 0.25))

    def flush(self, timeout: float = 30.0) -> dict[str, Any]:
        """Send everything due now and wait until nothing is due (deliveries scheduled later,
        and paused ones, stay pending). Raises TimeoutError after `timeout` seconds."""
        return self._call(self._flush(timeout), timeout + 5)

    async def aflush(self, timeout: float = 30.0) -> dict[str, Any]:
        return await self._on_loop(self._flush(timeout))

    async def _until_final(self, ident: str, timeout: float) -> Delivery:
        assert self._progress is not None
        deadline = time.monotonic() + timeout
        while True:
            self._render()
            self._dispatch()
            d = self._by_id.get(ident)
            if d is None or d.final or (d.attempts and d.status == "retrying"):
                return d  # type: ignore[return-value]
            left = deadline - time.monotonic()
            if left <= 0:
                return d
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), min(left, 0.25))

    async def send_and_wait(self, out: Outbound, timeout: float = 30.0) -> Delivery:
        """Queue one request and wait for its first outcome (for provider calls that answer
        with the receiver's verdict, such as a test event)."""
        (d,) = await self.asend([out])
        return await self._on_loop(self._until_final(d.id, timeout))

    async def _send(self, outs: list[Outbound]) -> list[Delivery]:
        self._render()  # what the feed queued first: deliveries keep the order of their causes
        made = self._apply(outs)
        assert self._wake is not None
        self._wake.set()
        return made

    def send(self, outs: Iterable[Outbound]) -> list[Delivery]:
        """Queue requests directly (not from a change), after what the feed has queued."""
        return self._call(self._send(list(outs)), 30)

    async def asend(self, outs: Iterable[Outbound]) -> list[Delivery]:
        """`send` from a coroutine (a request handler)."""
        return await self._on_loop(self._send(list(outs)))

    async def settle_inbox(self) -> None:
        """Render what the feed has queued, so a listing shows it."""
        if self._loop is not None and self._inbox:
            await self._on_loop(self._render_now())

    async def _render_now(self) -> None:
        self._render()

    # -- controls ------------------------------------------------------------------------

    def deliver_now(self, ident: str) -> Delivery | None:
        """Make one delivery due at once, out of any pause, delay or reorder hold."""
        with self._lock:
            d = self._by_id.get(ident)
            if d is None or d.final:
                return d
            d.due_at = self.clock.now()
            d.held_by = "now"
            if d.status == "held":
                d.status = "pending" if not d.attempts else "retrying"
        self.nudge()
        return d

    def mount(self, prefix: str, transport: httpx.AsyncBaseTransport) -> None:
        """Deliveries to URLs under `prefix` go to this transport (an in-process receiver)."""
        with self._lock:
            self._mounts[prefix] = transport
            self._clients.pop(prefix, None)

    def unmount(self, prefix: str) -> None:
        with self._lock:
            self._mounts.pop(prefix, None)
            self._clients.pop(prefix, None)

    def clear(self) -> int:
        """Forget every delivery, pending or done (rules and pauses stay); returns how many."""
        with self._lock:
            n = len(self._by_id)
            self._generation += 1
            self.log.clear()
            self._queues.clear()
            self._by_id.clear()
            self._busy.clear()
            self._inbox.clear()
            self.errors.clear()
            self.total = 0
        return n

    def reset(self) -> None:
        """Forget every delivery, pending or done, and every rule and pause."""
        self.clear()
        self.rules.clear()

    # -- reading -------------------------------------------------------------------------

    def get(self, ident: str) -> Delivery | None:
        return self._by_id.get(ident)

    def find(
        self,
        *,
        provider: Iterable[str] | None = None,
        status: Iterable[str] | None = None,
        kind: Iterable[str] | None = None,
        target: str | None = None,
        subscription: str | None = None,
        since: int | None = None,
    ) -> list[Delivery]:
        """Deliveries in the log, oldest first, that match every given criterion (`target` is
        a URL prefix, `since` a delivery's number: those after it)."""
        providers = set(provider) if provider else None
        statuses = set(status) if status else None
        kinds = set(kind) if kind else None
        with self._lock:
            entries = list(self.log)
        return [
            d
            for d in entries
            if (providers is None or d.provider in providers)
            and (statuses is None or d.status in statuses)
            and (kinds is None or d.out.kind in kinds)
            and (target is None or d.target.startswith(target))
            and (subscription is None or d.out.subscription == subscription)
            and (since is None or d.seq > since)
        ]

    def summary(self) -> dict[str, Any]:
        with self._lock:
            pending = [d for q in self._queues.values() for d in q if not d.final]
            return {
                "total": self.total,
                "pending": len(pending),
                "held": sum(1 for d in pending if d.status == "held"),
                "next_due_at": iso_ms(min(d.due_at for d in pending)) if pending else None,
            }
