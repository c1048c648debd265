"""The core rate limiter: plain fixed windows and blocking budgets (a block from the refused
request that outlasts the window; every request counted, as a shared-store throttler counts)."""

from __future__ import annotations

from mockserver.core.ratelimit import Budget, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_plain_window_refuses_until_it_rolls_over_and_does_not_count_refusals() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    budget = (Budget(2, 60.0),)
    assert [limiter.hit("k", budget).remaining for _ in range(2)] == [1, 0]
    clock.t += 30
    refused = limiter.hit("k", budget)
    assert not refused.allowed and refused.reset_in == 30
    clock.t += 30  # the window rolls over: a fresh count
    again = limiter.hit("k", budget)
    assert again.allowed and again.remaining == 1


def test_a_block_runs_from_the_refused_request_and_outlasts_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    budget = (Budget(2, 60.0, block=60.0),)
    assert limiter.hit("k", budget).allowed
    clock.t += 30
    assert limiter.hit("k", budget).allowed
    refused = limiter.hit("k", budget)
    assert not refused.allowed and refused.remaining == 0 and refused.reset_in == 60
    clock.t += 31  # the window is over, the block is not
    still = limiter.hit("k", budget)
    assert not still.allowed and still.reset_in == 29
    assert limiter.hit("other", budget).allowed  # per key


def test_requests_during_a_block_count_in_their_window() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    budget = (Budget(3, 10.0, block=20.0),)
    for _ in range(4):
        limiter.hit("k", budget)  # the 4th blocks until t+20
    clock.t += 15
    limiter.hit("k", budget)  # blocked; counted in the window that started at t+15
    clock.t += 6  # the block is over; this window has 1 hit before this one
    after = limiter.hit("k", budget)
    assert after.allowed and after.remaining == 1
    clock.t += 100
    fresh = limiter.hit("k", budget)
    assert fresh.allowed and fresh.remaining == 2


def test_a_plain_budget_refusing_leaves_the_others_uncounted() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    budgets = (Budget(1, 1.0), Budget(5, 60.0))
    assert limiter.hit("k", budgets).allowed
    assert not limiter.hit("k", budgets).allowed
    clock.t += 1
    verdict = limiter.hit("k", budgets)
    assert verdict.allowed and verdict.remaining == 0  # the 1-per-second budget is the tightest
    clock.t += 1
    assert limiter.hit("k", (Budget(5, 60.0),)).remaining == 2  # two counted, not three
