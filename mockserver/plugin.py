"""calendar-mockserver's pytest plugin, registered through the `pytest11` entry point: installing
the package is all a project does. Nothing starts until a test asks for one of these fixtures.

Session scope (one per xdist worker, since each worker is its own process):
  mockserver_world     the world file (dict) the fake loads: `--mockserver-world PATH`, the ini
                       option `mockserver_world`, or the demo world; override the fixture to
                       build one in Python (mockserver.builders)
  mockserver_settings  the Settings the fake starts with (override to change them)
  mockserver_state     the ServerState (world, clock, settings) shared by the two below
  mockserver_app       the ASGI app, in-process
  mockserver           a live server (mockserver.testing.LiveServer) on a free 127.0.0.1 port;
                       `.url`, `.state`
  mockserver_mode      "live" (default) or "asgi": what the clients and base URLs below use
                       (`--mockserver-mode`, ini `mockserver_mode`)
  mockserver_base_url  where the clients below send requests

Function scope:
  mockserver_reset     restores the world snapshot (or the test's `mockserver_world` marker
                       world), resets the clock, settings, journal and faults. Autouse for every
                       test that uses any fixture above (ini `mockserver_autoreset = false` to
                       request it explicitly instead).
  mockserver_seed      seed(world dict or path): load another world for this test only
  mockserver_client    httpx.Client to the fake, no credentials (control plane, raw calls)
  webhook_receiver     collects the fake's outbound notifications: in-process in asgi mode
                       (no socket), a real local server in live mode; `.url_for(name)` to
                       subscribe with, `.wait_for(provider=, kind=, timeout=)` (checks each
                       provider's signature with the right secret), `.respond(status, ...)`

Each registered provider adds its own fixtures from its `testing` module (registry.Provider):
`<provider>_base_url` (session), `<provider>_credentials` and `<provider>_client` (function);
see mockserver/<provider>/testing.py.

Marker: `@pytest.mark.mockserver_world("worlds/busy.json")` (a path, relative to the test file's
directory or the rootdir) or `@pytest.mark.mockserver_world(a_world_dict)`: that test runs
against that world. Each marker world is built once per session and restored from a snapshot.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from mockserver.settings import Settings
    from mockserver.state import ServerState, Snapshot
    from mockserver.testing import LiveServer

MODES = ("live", "asgi")
ASGI_BASE_URL = "http://mockserver.test"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockserver", "calendar-mockserver fixtures")
    group.addoption(
        "--mockserver-world",
        dest="mockserver_world",
        metavar="PATH",
        help="world file the mockserver fixtures load (default: the demo world)",
    )
    group.addoption(
        "--mockserver-mode",
        dest="mockserver_mode",
        choices=MODES,
        help="where mockserver clients send requests: a live server (default) or in-process",
    )
    parser.addini("mockserver_world", "world file the mockserver fixtures load", default="")
    parser.addini("mockserver_mode", "live (default) or asgi", default="live")
    parser.addini(
        "mockserver_autoreset",
        "reset the fake before every test that uses it (default true)",
        type="bool",
        default=True,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "mockserver_world(world): run the test against this world (a world-file path or dict)",
    )
    from mockserver import registry

    global _config, _listening
    _config = config
    _check_world_option(config)
    for provider in registry.providers():
        _add_fixtures(provider)
    if not _listening:  # once per process: providers registered while a session runs
        registry.on_register(_add_fixtures)
        _listening = True


def pytest_unconfigure(config: pytest.Config) -> None:
    global _config
    if _config is config:
        _config = None


_config: pytest.Config | None = None
_listening = False


def _add_fixtures(provider: Any) -> None:
    """Register a provider's `testing` module as a plugin of the running session."""
    name = provider.testing
    if _config is None or not name or _config.pluginmanager.has_plugin(name):
        return
    module = sys.modules.get(name)
    if module is not None:  # imported already (a conftest registered its provider)
        _config.pluginmanager.register(module, name)
    else:
        _config.pluginmanager.import_plugin(name)


# -- the world and the fake ---------------------------------------------------------------


_WORLD = pytest.StashKey[dict]()


def _world_option(config: pytest.Config) -> tuple[str, Path] | None:
    """Where `--mockserver-world` or the ini option points, and which of them said so."""
    option = config.getoption("mockserver_world", None)
    if option:
        return "--mockserver-world", _resolve(option, Path.cwd(), config.rootpath)
    ini = config.getini("mockserver_world")
    if ini:
        base = config.inipath.parent if config.inipath else config.rootpath
        return "mockserver_world (ini)", _resolve(ini, base)
    return None


def _check_world_option(config: pytest.Config) -> None:
    """Load the world file the options name once, at session start: a missing or bad one stops
    the session with one line (not an error in every test that uses the fake)."""
    chosen = _world_option(config)
    if chosen is None:
        return
    from mockserver.cli import load_world_file

    source, path = chosen
    data, problems = load_world_file(str(path))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        listed = "; ".join(f"{place}: {message}" for place, message in problems)
        raise pytest.UsageError(f"{source} {path} cannot be loaded ({count}): {listed}")
    assert data is not None
    config.stash[_WORLD] = data


def _read_world(path: Path) -> dict[str, Any]:
    from mockserver.cli import load_world_file

    data, problems = load_world_file(str(path))
    if problems:
        lines = "\n".join(f"  {place}: {message}" for place, message in problems)
        raise pytest.UsageError(f"mockserver world {path} cannot be loaded:\n{lines}")
    assert data is not None
    return data


def _resolve(path: str | Path, *bases: Path) -> Path:
    path = Path(path)
    if path.is_absolute():
        return path
    for base in bases:
        if (base / path).exists():
            return base / path
    return bases[-1] / path


@pytest.fixture(scope="session")
def mockserver_world(pytestconfig: pytest.Config) -> dict[str, Any]:
    """The world file the fake loads (override this fixture to build your own)."""
    if _WORLD in pytestconfig.stash:  # checked at session start (_check_world_option)
        world = pytestconfig.stash[_WORLD]
        del pytestconfig.stash[_WORLD]  # a session fixture: asked for once; no copy kept
        return world
    from mockserver.core.fixtures import demo_path, read

    return read(demo_path())


@pytest.fixture(scope="session")
def mockserver_settings() -> Settings:
    from mockserver.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def mockserver_state(
    mockserver_world: dict[str, Any], mockserver_settings: Settings
) -> ServerState:
    from mockserver.core.fixtures import FixtureError
    from mockserver.state import ServerState

    try:
        return ServerState(mockserver_settings, mockserver_world)
    except FixtureError as exc:
        lines = "\n".join(f"  {place}: {message}" for place, message in exc.problems)
        raise pytest.UsageError(f"the mockserver_world cannot be loaded:\n{lines}") from exc


@pytest.fixture(scope="session")
def mockserver_app(mockserver_state: ServerState) -> Starlette:
    from mockserver.app import create_app

    return create_app(state=mockserver_state)


@pytest.fixture(scope="session")
def mockserver(mockserver_state: ServerState) -> Iterator[LiveServer]:
    from mockserver.testing import LiveServer

    with LiveServer(state=mockserver_state) as server:
        yield server


@pytest.fixture(scope="session")
def mockserver_mode(pytestconfig: pytest.Config) -> str:
    mode = pytestconfig.getoption("mockserver_mode") or pytestconfig.getini("mockserver_mode")
    if mode not in MODES:
        raise pytest.UsageError(f"mockserver_mode must be one of {MODES}, not {mode!r}")
    return mode


@pytest.fixture(scope="session")
def mockserver_base_url(request: pytest.FixtureRequest, mockserver_mode: str) -> str:
    if mockserver_mode == "asgi":
        request.getfixturevalue("mockserver_app")
        return ASGI_BASE_URL
    return request.getfixturevalue("mockserver").url


class _Shared(httpx.BaseTransport):
    """One session transport behind many per-test clients (closing a client leaves it open)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.inner.handle_request(request)

    def close(self) -> None:
        pass


@pytest.fixture(scope="session")
def _mockserver_transport(
    request: pytest.FixtureRequest, mockserver_mode: str, mockserver_base_url: str
) -> Iterator[httpx.BaseTransport]:
    inner: httpx.BaseTransport
    if mockserver_mode == "asgi":
        from mockserver.testing import SyncASGITransport

        inner = SyncASGITransport(request.getfixturevalue("mockserver_app"))
    else:
        inner = httpx.HTTPTransport()
    try:
        yield _Shared(inner)
    finally:
        inner.close()


def open_client(base_url: str, transport: httpx.BaseTransport, **kwargs: Any) -> httpx.Client:
    """An httpx client on the session's shared transport (providers' `*_client` fixtures)."""
    # trust_env=False: the fake is local, never reached through a proxy from the environment.
    return httpx.Client(
        base_url=base_url, transport=transport, timeout=30, trust_env=False, **kwargs
    )


# -- reset and seeding --------------------------------------------------------------------


class _Worlds:
    """The session's default snapshot and one per marker world, each built once."""

    def __init__(self, state: ServerState, root: Path) -> None:
        self.state = state
        self.root = root
        self.default: Snapshot = state.loaded
        self.by_key: dict[Any, tuple[Any, Snapshot]] = {}

    def load(self, world: Any, where: Path) -> dict[str, Any]:
        if isinstance(world, str | Path):
            return _read_world(_resolve(world, where, self.root))
        if isinstance(world, dict):
            return world
        raise pytest.UsageError(
            f"mockserver_world takes a world-file path or dict, not {type(world).__name__}"
        )

    def for_marker(self, marker: pytest.Mark, node: pytest.Item) -> Any:
        world = marker.args[0] if marker.args else marker.kwargs.get("world")
        if isinstance(world, str | Path):
            key: Any = ("path", str(_resolve(world, node.path.parent, self.root)))
        else:
            key = ("object", id(world))
        if key not in self.by_key:
            from mockserver.core.fixtures import FixtureError

            try:
                snap = self.state.load(self.load(world, node.path.parent))
            except FixtureError as exc:
                lines = "\n".join(f"  {p}: {m}" for p, m in exc.problems)
                raise pytest.UsageError(f"mockserver_world marker world:\n{lines}") from exc
            self.by_key[key] = (world, snap)  # the world is kept so its id stays unique
        return key

    def reset(self, node: pytest.Item) -> None:
        marker = node.get_closest_marker("mockserver_world")
        if marker is None:
            self.default = self.state.reset(clock=True, settings=True, to=self.default)
            return
        key = self.for_marker(marker, node)
        world, snap = self.by_key[key]
        self.by_key[key] = (world, self.state.reset(clock=True, settings=True, to=snap))


@pytest.fixture(scope="session")
def _mockserver_worlds(mockserver_state: ServerState, pytestconfig: pytest.Config) -> _Worlds:
    return _Worlds(mockserver_state, pytestconfig.rootpath)


@pytest.fixture
def mockserver_reset(
    request: pytest.FixtureRequest, mockserver_state: ServerState, _mockserver_worlds: _Worlds
) -> ServerState:
    """The fake back to the session's world (or this test's marker world) from a snapshot, the
    clock to real time, settings to their start values, journal and fault rules empty."""
    _mockserver_worlds.reset(request.node)
    return mockserver_state


@pytest.fixture(autouse=True)
def _mockserver_autoreset(request: pytest.FixtureRequest) -> None:
    if "mockserver_state" in request.fixturenames and request.config.getini("mockserver_autoreset"):
        request.getfixturevalue("mockserver_reset")


@pytest.fixture
def mockserver_seed(
    mockserver_state: ServerState, _mockserver_worlds: _Worlds, request: pytest.FixtureRequest
) -> Callable[[Any], ServerState]:
    """`mockserver_seed(world)` loads a world (dict, or a path relative to the test file) for
    this test only; the next test starts from the session's world again."""

    def seed(world: Any) -> ServerState:
        from mockserver.core.fixtures import FixtureError

        data = _mockserver_worlds.load(world, request.node.path.parent)
        try:
            mockserver_state.load(data)
        except FixtureError as exc:
            lines = "\n".join(f"  {p}: {m}" for p, m in exc.problems)
            raise ValueError(f"world cannot be loaded:\n{lines}") from exc
        return mockserver_state

    return seed


@pytest.fixture
def mockserver_client(
    mockserver_base_url: str, _mockserver_transport: httpx.BaseTransport
) -> Iterator[httpx.Client]:
    """An httpx client to the fake with no credentials (the control plane, raw calls)."""
    with open_client(mockserver_base_url, _mockserver_transport) as client:
        yield client


# -- outbound notifications -------------------------------------------------------------------

RECEIVER_BASE_URL = "http://webhooks.mockserver.test"


@pytest.fixture
def webhook_receiver(
    mockserver_mode: str, mockserver_state: ServerState, request: pytest.FixtureRequest
) -> Iterator[Any]:
    """Where a test subscribes to the fake's notifications (Cronofy channels, Cal.com and Truto
    webhooks): `url_for("name")` is a URL of it; `wait_for(provider=..., kind=...)` waits for
    a delivery and checks its signature. In asgi mode it is mounted on the fake's delivery
    engine (nothing leaves the process); in live mode it listens on a free 127.0.0.1 port."""
    from mockserver.delivery.receiver import WebhookReceiver

    receiver = WebhookReceiver(mockserver_state)
    if mockserver_mode == "asgi":
        receiver.url = RECEIVER_BASE_URL
        mockserver_state.deliveries.mount(RECEIVER_BASE_URL, receiver.transport())
        try:
            yield receiver
        finally:
            mockserver_state.deliveries.unmount(RECEIVER_BASE_URL)
    else:
        request.getfixturevalue("mockserver")  # the live server sends from the same process
        receiver.serve()
        try:
            yield receiver
        finally:
            receiver.close()
