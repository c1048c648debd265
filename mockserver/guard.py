"""One provider request, all or nothing.

Every provider handler runs through `atomic`: the body is read first (bounded), then the
handler runs to its end in one go inside one world transaction, rendering included. If it
raises anything (the provider's own errors or a bug in the fake), every world write it made is
undone and the provider's store is put back as it was, and the exception goes on to the
provider's error handling (or, for a bug, to the last-resort handler in app.py, which answers
the provider's 500). So a request that fails commits nothing, and a response that cannot be
rendered does not leave its write behind.

"In one go" is what makes a request-wide transaction safe while other requests are in flight:
the handler may not wait on anything once the transaction is open (its body is already read),
so no other request's writes can land inside it. `atomic` enforces that: a handler that
suspends is rolled back and reported as a bug.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from mockserver.web import prefetch_body

# Methods that write nothing to a provider's tables; others get a copy of the store to go back
# to. (A GET may still touch a store in passing, e.g. an OAuth code that is never handed out.)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class HandlerSuspended(RuntimeError):
    """A handler waited on I/O inside its transaction: a bug in the fake."""


def restore_store(store: Any, saved: Any) -> None:
    """Put a store's tables back from its copy, in place (backends hold the store object). A
    store whose tables are not plain attributes may define `restore(copy)` to do it."""
    restore = getattr(store, "restore", None)
    if restore is not None:
        restore(saved)
    else:
        vars(store).update(vars(saved))


def run_to_end(coro: Coroutine[Any, Any, Response], name: str = "handler") -> Response:
    """Run a coroutine that must not suspend; its result, or its exception."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise HandlerSuspended(f"{name} waited inside its transaction")


async def atomic(
    request: Request, provider: str, start: Callable[[], Coroutine[Any, Any, Response]]
) -> Response:
    """Run the coroutine `start()` makes (a provider's handler) as one transaction of the world
    and of `provider`'s store; see the module docstring."""
    await prefetch_body(request)
    server = request.app.state.server
    backend = server.backends.get(provider)
    store = backend.store if backend is not None else None
    saved = store.copy() if store is not None and request.method not in SAFE_METHODS else None
    try:
        with server.world.transaction():
            coro = start()
            return run_to_end(coro, getattr(coro, "__qualname__", "handler"))
    except BaseException:
        if saved is not None:
            restore_store(store, saved)
        raise
