"""The pytest plugin, used exactly as a downstream project uses it: a test directory with no
conftest from this repo, run by a separate `pytest` process that finds the plugin through the
installed package's `pytest11` entry point."""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

RUN = ("-p", "no:cacheprovider", "-q")
TIMEOUT = 180


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*RUN, *args, timeout=TIMEOUT)


def test_the_plugin_is_registered_as_a_pytest11_entry_point():
    found = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert found.get("calendar_mockserver") == "mockserver.plugin"


def test_in_process_app(pytester):
    pytester.makepyfile(
        """
        from mockserver.testing import asgi_client

        def test_the_app_answers_in_process(mockserver_app):
            with asgi_client(mockserver_app) as client:
                body = client.get(
                    "/v1/calendars",
                    headers={"Authorization": "Bearer cronofyDemoAliceAllScopes0000001"},
                ).json()
            assert {c["calendar_name"] for c in body["calendars"]} >= {"Work", "Team"}

        def test_asgi_mode_clients_never_open_a_socket(cronofy_client, cronofy_base_url):
            assert cronofy_base_url == "http://mockserver.test"
            assert cronofy_client.get("/v1/account").json()["account"]["email"] == (
                "alice@example.com"
            )
        """
    )
    run(pytester, "--mockserver-mode", "asgi").assert_outcomes(passed=2)


def test_live_server(pytester):
    pytester.makepyfile(
        """
        import httpx

        def test_a_real_socket(mockserver, cronofy_base_url):
            assert mockserver.url.startswith("http://127.0.0.1:")
            assert cronofy_base_url == mockserver.url
            response = httpx.get(
                mockserver.url + "/v1/account",
                headers={"Authorization": "Bearer cronofyDemoBobAllScopes000000001"},
            )
            assert response.json()["account"]["email"] == "bob@example.org"

        def test_one_server_per_session(mockserver, request):
            assert request.getfixturevalue("mockserver") is mockserver
            assert httpx.get(mockserver.url + "/_mock").status_code == 200
        """
    )
    run(pytester).assert_outcomes(passed=2)


RESET_TESTS = """
    from datetime import date, timedelta

    CAL = "cal_a11cedemo0001_work"
    DAY = date.today() + timedelta(days=3)
    EVENT = {
        "event_id": "written-by-test-1",
        "summary": "Written by the first test",
        "start": f"{DAY}T10:00:00Z",
        "end": f"{DAY}T11:00:00Z",
    }

    def managed_ids(client):
        response = client.get("/v1/events", params={"tzid": "Etc/UTC", "only_managed": "true"})
        assert response.status_code == 200, response.text
        return {e["event_id"] for e in response.json()["events"]} - {
            "demo-lunch", "demo-interview", "demo-past-call"
        }

    def test_1_writes(cronofy_client, mockserver_client):
        assert cronofy_client.post(f"/v1/calendars/{CAL}/events", json=EVENT).status_code == 202
        assert managed_ids(cronofy_client) == {"written-by-test-1"}
        mockserver_client.post("/_mock/clock", json={"advance": 86400}).raise_for_status()
        mockserver_client.patch(
            "/_mock/settings", json={"cronofy": {"page_size": 3}}
        ).raise_for_status()

    def test_2_starts_from_the_seeded_world(cronofy_client, mockserver_client):
        assert managed_ids(cronofy_client) == set()
        assert mockserver_client.get("/_mock/clock").json()["offset_seconds"] < 60
        settings = mockserver_client.get("/_mock/settings").json()
        assert settings["cronofy"]["page_size"] == 100
"""


@pytest.mark.parametrize("mode", ["live", "asgi"])
def test_reset_between_tests(pytester, mode):
    pytester.makepyfile(RESET_TESTS)
    run(pytester, "--mockserver-mode", mode).assert_outcomes(passed=2)


def test_autoreset_off_keeps_writes_until_reset_is_requested(pytester):
    pytester.makeini(
        """
        [pytest]
        mockserver_autoreset = false
        """
    )
    pytester.makepyfile(
        RESET_TESTS.replace(
            "def test_2_starts_from_the_seeded_world(cronofy_client, mockserver_client):",
            "def test_2_starts_from_the_seeded_world(cronofy_client, mockserver_client):\n"
            "        assert managed_ids(cronofy_client) == {'written-by-test-1'}\n"
            "\n"
            "    def test_3_explicit(mockserver_reset, cronofy_client, mockserver_client):",
        )
    )
    run(pytester).assert_outcomes(passed=3)


def small_world(name: str) -> dict:
    return {
        "version": 1,
        "accounts": [
            {
                "id": "acc_file00000000000000000001",
                "email": f"{name}@file.example",
                "name": name,
                "profiles": [
                    {
                        "id": "pro_file00000001",
                        "provider_name": "google",
                        "name": f"{name}@file.example",
                        "calendars": [
                            {
                                "id": "cal_file00000001_main",
                                "name": f"{name}'s calendar",
                                "events": [
                                    {
                                        "uid": "evt_external_file0000000000000001",
                                        "summary": f"{name}'s event",
                                        "start": "today+1dT09:00",
                                        "end": "today+1dT10:00",
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
        "cronofy": {
            "apps": [{"client_id": "file_client_id_0001", "client_secret": "file_secret_0001"}],
            "authorizations": [
                {
                    "label": "narrow",
                    "app": "file_client_id_0001",
                    "account": "acc_file00000000000000000001",
                    "scope": "read_free_busy",
                    "access_token": "fileNarrowToken000000000000000001",
                },
                {
                    "label": "main",
                    "app": "file_client_id_0001",
                    "account": "acc_file00000000000000000001",
                    "scope": "read_write",
                    "access_token": "fileMainToken0000000000000000001",
                    "refresh_token": "fileRefresh000000000000000000001",
                },
            ],
        },
    }


def test_seeding_from_files(pytester):
    (pytester.path / "worlds").mkdir()
    (pytester.path / "worlds" / "session.json").write_text(json.dumps(small_world("Sam")))
    (pytester.path / "tests").mkdir()
    (pytester.path / "tests" / "other.json").write_text(json.dumps(small_world("Olga")))
    pytester.makeini(
        """
        [pytest]
        mockserver_world = worlds/session.json
        """
    )
    pytester.makepyfile(
        **{
            "tests/test_seeding": """
            import pytest

            def name(client):
                return client.get("/v1/account").json()["account"]["name"]

            def test_the_ini_world(cronofy_client, cronofy_credentials):
                assert name(cronofy_client) == "Sam"
                # the broadest token is handed out, whatever its place in the file
                assert cronofy_credentials.access_token == "fileMainToken0000000000000000001"
                assert cronofy_credentials.token("narrow") == "fileNarrowToken000000000000000001"

            @pytest.mark.mockserver_world("other.json")
            def test_a_marker_world_relative_to_the_test_file(cronofy_client):
                assert name(cronofy_client) == "Olga"

            def test_back_to_the_ini_world(cronofy_client):
                assert name(cronofy_client) == "Sam"

            @pytest.mark.mockserver_world("other.json")
            def test_the_marker_world_again_from_its_snapshot(cronofy_client, mockserver_state):
                assert name(cronofy_client) == "Olga"

            def test_seed_inside_a_test(mockserver_seed, cronofy_client):
                mockserver_seed("other.json")
                assert name(cronofy_client) == "Olga"

            def test_and_back_again(cronofy_client):
                assert name(cronofy_client) == "Sam"
            """
        }
    )
    run(pytester).assert_outcomes(passed=6)
    # The command-line option wins over the ini file.
    result = run(pytester, "--mockserver-world", "tests/other.json", "-k", "test_the_ini_world")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert 'Olga' == 'Sam'*"])


def test_an_invalid_world_names_every_bad_place(pytester):
    world = small_world("Bad")
    world["accounts"][0]["profiles"][0]["calendars"][0]["events"][0]["end"] = "today+1dT08:00"
    world["cronofy"]["authorizations"][0]["account"] = "acc_nobody"
    pytester.path.joinpath("bad.json").write_text(json.dumps(world))
    pytester.makepyfile("def test_x(mockserver_state):\n    pass\n")
    pytester.makepyfile(test_more="def test_y(mockserver_state):\n    pass\n")
    result = run(pytester, "--mockserver-world", "bad.json")
    # once, at session start, in one line: not an error (and a traceback) in every test
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.startswith("ERROR: ")]
    assert len(errors) == 1, result.stderr.str()
    line = errors[0]
    assert "--mockserver-world" in line and "bad.json cannot be loaded (2 problems)" in line
    assert "$.accounts[0].profiles[0].calendars[0].events[0]: end is before start" in line
    assert "$.cronofy.authorizations[0].account: no account 'acc_nobody'" in line
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_a_missing_world_file_fails_once_at_session_start(pytester):
    pytester.makepyfile("def test_x(mockserver_state):\n    pass\n")
    result = run(pytester, "--mockserver-world", "nowhere.json", "-n", "2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.startswith("ERROR: ")]
    assert len(errors) == 1, result.stderr.str()
    assert "nowhere.json cannot be loaded (1 problem): (file): No such file" in errors[0]


def test_seeding_from_builders(pytester):
    pytester.makeconftest(
        """
        import pytest
        from mockserver.builders import WorldBuilder, random_world

        @pytest.fixture(scope="session")
        def mockserver_world():
            return random_world(seed=42, accounts=2, calendars=2, events=5)

        def built():
            b = WorldBuilder(seed=1)
            ada = b.account(name="Ada Lovelace", tzid="Europe/London")
            ada.calendar("Engines").event(
                summary="Difference engine review", start="today+1dT10:00", end="today+1dT11:00"
            )
            b.cronofy_token(ada, access_token="adaAllScopesToken000000000000001")
            return b.build()

        BUILT = built()
        """
    )
    pytester.makepyfile(
        """
        import pytest
        from conftest import BUILT
        from mockserver.builders import random_world

        def test_the_session_world_is_the_built_one(cronofy_client, cronofy_credentials):
            world = random_world(seed=42, accounts=2, calendars=2, events=5)
            first = world["accounts"][0]
            assert cronofy_credentials.account_id == first["id"]
            calendars = cronofy_client.get("/v1/calendars").json()["calendars"]
            assert len(calendars) == 2
            events = cronofy_client.get("/v1/events", params={"tzid": "Etc/UTC"}).json()
            assert len(events["events"]) == 10

        @pytest.mark.mockserver_world(BUILT)
        def test_a_builder_world_per_test(cronofy_client, cronofy_credentials):
            assert cronofy_credentials.access_token == "adaAllScopesToken000000000000001"
            events = cronofy_client.get("/v1/events", params={"tzid": "Europe/London"}).json()
            assert [e["summary"] for e in events["events"]] == ["Difference engine review"]
        """
    )
    run(pytester).assert_outcomes(passed=2)


def test_credentials_and_clients(pytester):
    pytester.makepyfile(
        """
        import httpx

        def test_credentials(cronofy_credentials, cronofy_base_url):
            c = cronofy_credentials
            assert c.base_url == cronofy_base_url
            assert c.client_id == "cronofy_demo_client_id_0000000001"
            assert c.client_secret == "cronofy_demo_client_secret_00000000000001"
            assert c.access_token == "cronofyDemoAliceAllScopes0000001"
            assert c.refresh_token == "cronofyDemoAliceRefresh000000001"
            assert c.account_id == "acc_5ba21743f408617d1269ea1e"
            assert c.token("bob-all-scopes") == "cronofyDemoBobAllScopes000000001"

        def test_the_client_is_authorized(cronofy_client):
            assert cronofy_client.headers["authorization"].startswith("Bearer ")
            assert cronofy_client.get("/v1/account").status_code == 200

        def test_refresh_with_the_credentials(mockserver_client, cronofy_credentials):
            c = cronofy_credentials
            response = mockserver_client.post("/oauth/token", json={
                "client_id": c.client_id, "client_secret": c.client_secret,
                "grant_type": "refresh_token", "refresh_token": c.refresh_token,
            })
            assert response.status_code == 200, response.text
            fresh = response.json()["access_token"]
            account = mockserver_client.get(
                "/v1/account", headers={"Authorization": f"Bearer {fresh}"}
            )
            assert account.status_code == 200

        def test_the_control_plane_client_has_no_credentials(mockserver_client):
            assert "authorization" not in mockserver_client.headers
            assert mockserver_client.get("/v1/account").status_code == 401
            assert mockserver_client.get("/_mock/credentials").status_code == 200
        """
    )
    run(pytester).assert_outcomes(passed=4)


def test_one_live_server_per_xdist_worker(pytester):
    notes = pytester.mkdir("notes")
    pytester.makepyfile(
        f"""
        import os
        import pathlib
        import pytest

        @pytest.mark.parametrize("n", range(8))
        def test_note_the_server(mockserver, cronofy_client, n):
            assert cronofy_client.get("/v1/account").status_code == 200
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            (pathlib.Path({str(notes)!r}) / f"{{worker}}-{{n}}").write_text(mockserver.url)
        """
    )
    run(pytester, "-n", "2").assert_outcomes(passed=8)
    urls: dict[str, set[str]] = {}
    for path in notes.iterdir():
        urls.setdefault(path.name.split("-")[0], set()).add(path.read_text())
    assert len(urls) == 2, urls
    assert all(len(u) == 1 for u in urls.values()), urls  # one server for all of a worker's tests
    assert len(set().union(*urls.values())) == 2, urls  # and a different one per worker


def readme_example(provider: str) -> str:
    """The complete test file in the README's "Using it from pytest" section for a provider."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using it from pytest", 1)[1].split(f"### {provider}\n", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_cronofy_example_passes(pytester):
    pytester.makepyfile(test_calendar_app=readme_example("Cronofy"))
    result = run(pytester)
    assert result.ret == 0, result.stdout.str()
    assert result.parseoutcomes()["passed"] >= 6


@pytest.mark.parametrize("provider", ["Cal.com", "Truto"])
def test_the_readme_examples_pass(pytester, provider):
    pytester.makepyfile(test_calendar_app=readme_example(provider))
    result = run(pytester)
    assert result.ret == 0, result.stdout.str()
    assert result.parseoutcomes()["passed"] >= 4


@pytest.mark.parametrize("mode", ["live", "asgi"])
def test_calcom_and_truto_credentials_and_clients(pytester, mode):
    pytester.makepyfile(
        """
        def test_calcom_credentials(calcom_credentials, calcom_base_url):
            c = calcom_credentials
            assert c.base_url == calcom_base_url
            assert c.api_key == "cal_live_demoAlice000000000000000001"
            assert c.access_token == "calcomDemoAliceAccessToken0000001"
            assert (c.user_id, c.username, c.email) == (1, "alice", "alice@example.com")
            assert c.key("alice-expired-api-key") == "cal_live_demoAliceExpired0000000001"
            assert c.token("alice-managed-user-expired") == "calcomDemoAliceExpiredToken000001"

        def test_the_calcom_client(calcom_client):
            assert calcom_client.headers["authorization"].startswith("Bearer cal_live_")
            assert calcom_client.headers["cal-api-version"] == "2024-08-13"
            response = calcom_client.get("/v2/me")
            assert response.status_code == 200, response.text
            assert response.json()["data"]["email"] == "alice@example.com"

        def test_truto_credentials(truto_credentials, truto_base_url):
            c = truto_credentials
            assert c.base_url == truto_base_url
            assert c.api_token == "trutoDemoApiToken000000000000001"
            # the sandbox account comes after the real one
            assert c.accounts["googlecalendar"] == (
                "0a11ce00-7e57-4d00-8000-000000000001",
                "0a11ce00-7e57-4d00-8000-000000000006",
            )
            assert c.account("outlookcalendar") == "0a11ce00-7e57-4d00-8000-000000000003"
            assert c.account_labelled("bob-calendly") == "0a11ce00-7e57-4d00-8000-000000000004"

        def test_the_truto_client(truto_client, truto_credentials):
            response = truto_client.get(
                "/unified/calendar/events",
                params={
                    "integrated_account_id": truto_credentials.account("googlecalendar"),
                    "calendar[id]": "primary",
                },
            )
            assert response.status_code == 200, response.text
            assert isinstance(response.json()["result"], list)

        def test_the_control_plane_client_has_no_credentials(mockserver_client):
            assert mockserver_client.get("/v2/me").status_code == 401
            assert mockserver_client.get("/unified/calendar/calendars").status_code == 401
        """
    )
    run(pytester, "--mockserver-mode", mode).assert_outcomes(passed=5)


def notification_example(heading: str) -> str:
    """The test file under a `#### <heading>` of the README's notifications subsection."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Notifications: the `webhook_receiver` fixture", 1)[1]
    part = section.split(f"#### {heading}\n", 1)[1]
    return part.split("```python\n", 1)[1].split("```", 1)[0]


NOTIFICATION_EXAMPLES = {
    "Cronofy push notifications": "test_cronofy_notified",
    "Cal.com webhooks": "test_calcom_notified",
    "Truto webhooks": "test_truto_notified",
}


@pytest.mark.parametrize("mode", ["live", "asgi"])
def test_the_readme_notification_examples_pass(pytester, mode):
    """The owner moves a meeting, the app is notified, the app reads the change: per provider,
    live, and in-process where the example's client is httpx (pycronofy needs a socket)."""
    files = {
        name: notification_example(heading)
        for heading, name in NOTIFICATION_EXAMPLES.items()
        if mode == "live" or name != "test_cronofy_notified"
    }
    pytester.makepyfile(**files)
    result = run(pytester, "--mockserver-mode", mode)
    assert result.ret == 0, result.stdout.str()
    tests = sum(text.count("\ndef test_") for text in files.values())
    assert result.parseoutcomes()["passed"] == tests


def test_webhook_receiver_checks_signatures_and_says_what_it_waited_for(pytester):
    pytester.makepyfile(
        """
        import pytest

        HEADERS = {"cal-api-version": "2024-08-13"}

        def test_a_wrong_signature_fails_the_wait(calcom_client, webhook_receiver, mockserver_state):
            calcom_client.post("/v2/webhooks", json={
                "subscriberUrl": webhook_receiver.url_for("calcom"), "active": True,
                "triggers": ["BOOKING_CANCELLED"], "secret": "right"})
            hook = next(iter(mockserver_state.calcom.store.webhooks.values()))
            calcom_client.post("/v2/bookings/bkDemoUpcoming00000000001/cancel", json={})
            (got,) = webhook_receiver.wait_for(provider="calcom")
            assert webhook_receiver.verify(got)
            got.headers["x-cal-signature-256"] = "0" * 64
            assert not webhook_receiver.verify(got)

        def test_a_timeout_names_what_was_awaited(webhook_receiver):
            with pytest.raises(AssertionError, match="kind='BOOKING_CREATED'"):
                webhook_receiver.wait_for(provider="calcom", kind="BOOKING_CREATED", timeout=0.2)
        """
    )
    run(pytester, "--mockserver-mode", "asgi").assert_outcomes(passed=2)
