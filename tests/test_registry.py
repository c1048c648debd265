"""The provider registry: a provider defined only in the tests (tests/echo_provider.py), registered
at run time, gets every shared feature with no shared module touched; and the shared modules
name no provider."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import echo_provider
import httpx
import pytest

from mockserver import registry
from mockserver.app import create_app
from mockserver.core.fixtures import demo_path, read
from mockserver.testing import asgi_client

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[1]
KEY = {"X-Echo-Key": "echoKey0001"}


@pytest.fixture
def echo() -> Iterator[registry.Provider]:
    provider = registry.register(echo_provider.PROVIDER)
    try:
        yield provider
    finally:
        registry.unregister(provider.name)


@pytest.fixture
def client(echo: registry.Provider) -> Iterator[httpx.Client]:
    with asgi_client(create_app(fixture=echo_provider.world(read(demo_path())))) as c:
        yield c


def test_the_built_in_providers_are_registered_in_load_order() -> None:
    assert registry.names()[:3] == ["cronofy", "calcom", "truto"]
    for p in registry.providers():
        assert p.prefixes and p.routes and p.testing, p.name


def test_a_registered_provider_serves_its_routes_in_its_dialect(client: httpx.Client) -> None:
    assert client.post("/echo/notes", json={"text": "hi"}, headers=KEY).status_code == 201
    assert client.get("/echo/notes", headers=KEY).json() == {"notes": ["hi"]}
    refused = client.get("/echo/notes")
    assert refused.status_code == 401
    assert refused.json() == {"echo_error": {"status": 401, "text": "who are you?"}}


def test_the_index_lists_it_with_its_prefixes(client: httpx.Client) -> None:
    providers = client.get("/_mock").json()["providers"]
    assert providers["echo"]["prefixes"] == ["/echo"]
    assert set(providers) >= {"cronofy", "calcom", "truto", "echo"}


def test_the_journal_names_it(client: httpx.Client) -> None:
    client.get("/echo/notes", headers=KEY)
    entries = client.get("/_mock/journal", params={"provider": "echo"}).json()["entries"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [("GET", "/echo/notes", 200)]
    assert entries[0]["headers"]["x-echo-key"] != "echoKey0001"  # its secret header is masked


def test_faults_answer_in_its_error_body(client: httpx.Client) -> None:
    added = client.post("/_mock/faults", json={"provider": "echo", "status": 503, "times": 1})
    assert added.status_code == 201, added.text
    faulted = client.get("/echo/notes", headers=KEY)
    assert faulted.status_code == 503
    assert faulted.json() == {"echo_error": {"status": 503, "text": "injected"}}
    assert client.get("/echo/notes", headers=KEY).status_code == 200


def test_reset_restores_its_store(client: httpx.Client) -> None:
    client.post("/echo/notes", json={"text": "gone after reset"}, headers=KEY)
    client.post("/_mock/reset").raise_for_status()
    assert client.get("/echo/notes", headers=KEY).json() == {"notes": []}


def test_its_section_is_dumped_and_seeds_back(client: httpx.Client) -> None:
    client.post("/echo/notes", json={"text": "kept"}, headers=KEY)
    dumped = client.get("/_mock/state").json()
    assert dumped["echo"]["notes"] == [{"account": dumped["accounts"][0]["id"], "text": "kept"}]
    client.post("/_mock/reset")
    assert client.post("/_mock/seed", json=dumped).status_code == 200
    assert client.get("/echo/notes", headers=KEY).json() == {"notes": ["kept"]}


def test_its_section_is_schema_checked(client: httpx.Client) -> None:
    bad = client.get("/_mock/state").json()
    bad["echo"]["keys"] = [{"key": "k"}]  # no account
    refused = client.post("/_mock/seed", json=bad)
    assert refused.status_code == 400
    assert refused.json()["problems"][0]["place"] == "$.echo.keys[0]"


def test_credentials_settings_and_budget(client: httpx.Client) -> None:
    creds = client.get("/_mock/credentials").json()
    assert creds["echo"]["keys"][0]["key"] == "echoKey0001"
    assert client.get("/_mock/settings").json()["echo"] == {"shout": False, "rate_limit": False}
    assert client.patch("/_mock/settings", json={"echo": {"shout": True}}).status_code == 200
    client.post("/echo/notes", json={"text": "hi"}, headers=KEY)
    assert client.get("/echo/notes", headers=KEY).json() == {"notes": ["HI"]}
    budgets = client.get("/_mock/faults/budgets").json()
    assert budgets["echo"]["limits"] == [{"limit": 1, "seconds": 1, "per": "key"}]


def test_unregistering_takes_it_away(echo: registry.Provider) -> None:
    registry.unregister("echo")
    with asgi_client(create_app()) as c:
        assert "echo" not in c.get("/_mock").json()["providers"]
        assert c.get("/echo/notes").status_code == 404
    registry.register(echo_provider.PROVIDER)  # the fixture's teardown unregisters it again


def test_names_are_checked(echo: registry.Provider) -> None:
    with pytest.raises(ValueError, match="already registered"):
        registry.register(echo_provider.PROVIDER)


def test_its_plugin_fixtures(pytester: pytest.Pytester) -> None:
    """A downstream project registers its provider in a conftest; the plugin then offers the
    provider's fixtures, and the reset between tests covers its store."""
    pytester.makepyfile(echo_provider=(Path(__file__).with_name("echo_provider.py")).read_text())
    pytester.makeconftest(
        """
        import pytest

        import echo_provider
        from mockserver import registry
        from mockserver.core.fixtures import demo_path, read

        registry.register(echo_provider.PROVIDER)


        @pytest.fixture(scope="session")
        def mockserver_world():
            return echo_provider.world(read(demo_path()))
        """
    )
    pytester.makepyfile(
        """
        def test_writes(echo_client, echo_credentials):
            assert echo_credentials.key == "echoKey0001"
            assert echo_client.post("/echo/notes", json={"text": "a"}).status_code == 201

        def test_each_test_starts_from_the_world(echo_client):
            assert echo_client.get("/echo/notes").json() == {"notes": []}
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "-p", "no:xdist")
    result.assert_outcomes(passed=2)


PROVIDER_WORDS = ("cronofy", "calcom", "truto")
# where each kind of node keeps an identifier
NAME_FIELDS: dict[type, tuple[str, ...]] = {
    ast.Name: ("id",),
    ast.Attribute: ("attr",),
    ast.arg: ("arg",),
    ast.keyword: ("arg",),
    ast.alias: ("name", "asname"),
    ast.FunctionDef: ("name",),
    ast.AsyncFunctionDef: ("name",),
    ast.ClassDef: ("name",),
}


def _code_mentions(path: Path) -> list[str]:
    """Names and string literals in a module's code (not comments, not docstrings) that name a
    provider."""
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found = []
    for node in ast.walk(tree):
        texts: list[str] = []
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                texts.append(node.value)
        else:
            for attr in NAME_FIELDS.get(type(node), ()):
                if isinstance(getattr(node, attr, None), str):
                    texts.append(getattr(node, attr))
        for text in texts:
            if any(w in text.lower() for w in PROVIDER_WORDS):
                found.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}: {text}")
    return found


def test_shared_modules_name_no_provider() -> None:
    """Everything in mockserver/ outside the provider packages (and the registry's list of
    built-ins) names a provider in comments and docstrings at most."""
    providers = {ROOT / "mockserver" / name for name in PROVIDER_WORDS}
    found = []
    for path in sorted((ROOT / "mockserver").rglob("*")):
        if any(p in path.parents for p in providers) or path.name == "registry.py":
            continue
        if path.suffix == ".py":
            found += _code_mentions(path)
        elif path.suffix == ".json":
            text = path.read_text().lower()
            found += [f"{path.relative_to(ROOT)}: {w}" for w in PROVIDER_WORDS if w in text]
    assert found == []


LAYOUT = (
    "__init__.py",
    "urls.py",
    "responses.py",
    "models.py",
    "store.py",
    "wire.py",
    "exceptions.py",
    "settings.py",
    "testing.py",
    "world.schema.json",
)


@pytest.mark.parametrize("name", PROVIDER_WORDS)
def test_every_provider_package_has_the_one_layout(name: str) -> None:
    package = ROOT / "mockserver" / name
    assert [f for f in LAYOUT if not (package / f).is_file()] == []


def test_the_dashboard_health_and_openapi_cover_it(client: httpx.Client) -> None:
    assert "echo" in client.get("/_mock/health").json()["providers"]
    assert "echo" in client.get("/_mock/ui").text  # the footer lists every provider
    journal = client.get("/_mock/ui/journal").text
    assert "<option >echo</option>" in journal or "<option>echo</option>" in journal
    state = client.get("/_mock/state").json()
    uid = state["accounts"][0]["profiles"][0]["calendars"][0]["events"][0]["uid"]
    page = client.get(f"/_mock/ui/events/{uid}", headers={"Accept": "text/html"}).text
    assert 'data-provider="echo"' in page and "no rendering registered" in page
    assert client.get("/_mock/openapi.json").json()["openapi"] == "3.1.0"
