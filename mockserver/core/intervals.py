"""Half-open `[start, end)` intervals of whole epoch seconds, as sorted lists of disjoint
(start, end) pairs: the arithmetic under the availability engine. Every function takes and
returns *normal* lists (sorted, no empty pair, no two pairs overlapping or touching) unless it
says otherwise, and runs in one linear sweep."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Iterator, Sequence

Span = tuple[int, int]


def normalize(spans: Iterable[Span]) -> list[Span]:
    """Any pairs -> a normal list: sorted, empty pairs dropped, overlapping or touching merged."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def union(*lists: Sequence[Span]) -> list[Span]:
    return normalize(heapq.merge(*lists))


def intersect(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """What of `a` is not in `b`."""
    out: list[Span] = []
    j = 0
    for start, end in a:
        while j < len(b) and b[j][1] <= start:
            j += 1
        k = j
        cur = start
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < end:
            out.append((cur, end))
    return out


def widen(spans: Sequence[Span], before: int, after: int) -> list[Span]:
    """Each pair grown to `[start - before, end + after)` (then merged again)."""
    if not before and not after:
        return list(spans)
    return normalize((s - before, e + after) for s, e in spans)


def clip(spans: Sequence[Span], lo: int, hi: int) -> list[Span]:
    return intersect(spans, [(lo, hi)]) if lo < hi else []


def contains(spans: Sequence[Span], start: int, end: int) -> bool:
    """Whether `[start, end)` lies inside one pair (O(log n))."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def total(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in spans)


def coverage(lists: Sequence[Sequence[Span]]) -> Iterator[tuple[int, int, frozenset[int]]]:
    """Sweep several normal lists at once: consecutive `(start, end, members)` pieces where
    `members` (the indexes of the lists covering the piece) is constant and not empty. Pieces
    are in time order; adjacent ones differ in their members."""
    edges: list[tuple[int, int, int]] = []  # (time, +1 open / -1 close, list index)
    for i, spans in enumerate(lists):
        for s, e in spans:
            edges.append((s, 1, i))
            edges.append((e, -1, i))
    edges.sort()
    active: set[int] = set()
    last = None
    k = 0
    while k < len(edges):
        t = edges[k][0]
        if last is not None and active and t > last:
            yield last, t, frozenset(active)
        while k < len(edges) and edges[k][0] == t:
            _, kind, i = edges[k]
            if kind == 1:
                active.add(i)
            else:
                active.discard(i)
            k += 1
        last = t
