"""Login rate limiting per account and per address, state in the database."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from story_gen.sync_api import create_app
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.crud.anomalies import list_anomalies

from .conftest import Api


def test_account_is_limited_then_released_after_the_window(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, login_max_failures_per_account=3, login_window_seconds=600)
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        api = Api(client)
        email = api.register()["email"]
        for _ in range(3):
            bad = client.post("/api/v1/auth/login", json={"email": email, "password": "wrong pw"})
            assert bad.status_code == 401
            clock.advance(10)
        limited = client.post(
            "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
        )
        assert limited.status_code == 429
        assert limited.json()["code"] == "too_many_attempts"
        # The first failure was 30 s ago; it leaves the 600 s window in 570 s.
        assert int(limited.headers["retry-after"]) == 570
        with app.state.services.db.session() as session:
            assert len(list_anomalies(session=session, kind="login_rate_limited")) == 1
        # A second app instance (another Lambda container) sees the same state.
        other = create_app(settings, clock=clock)
        with TestClient(other) as second:
            again = second.post(
                "/api/v1/auth/login", json={"email": email, "password": "correct horse battery"}
            )
            assert again.status_code == 429
        clock.advance(571)
        assert api.login(email)["Authorization"].startswith("Bearer ")


def test_unknown_accounts_are_limited_the_same_way(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, login_max_failures_per_account=2)
    with TestClient(create_app(settings, clock=clock)) as client:
        statuses = [
            client.post(
                "/api/v1/auth/login", json={"email": "ghost@example.org", "password": "x"}
            ).status_code
            for _ in range(3)
        ]
        assert statuses == [401, 401, 429]


def test_address_is_limited_across_accounts(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(
        backend, login_max_failures_per_account=100, login_max_failures_per_address=4
    )
    with TestClient(create_app(settings, clock=clock)) as client:
        statuses = [
            client.post(
                "/api/v1/auth/login", json={"email": f"p{i}@example.org", "password": "x"}
            ).status_code
            for i in range(5)
        ]
        assert statuses == [401, 401, 401, 401, 429]


def test_successful_logins_are_not_limited(api: Api) -> None:
    email = api.register()["email"]
    for _ in range(8):
        api.login(email)


def test_failures_from_elsewhere_never_lock_the_owner_out(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, login_max_failures_per_account=3)
    app = create_app(settings, clock=clock)
    with (
        TestClient(app, client=("198.51.100.66", 4000)) as attacker,
        TestClient(app, client=("203.0.113.9", 4000)) as owner,
    ):
        email = Api(owner).register()["email"]
        statuses = [
            attacker.post(
                "/api/v1/auth/login", json={"email": email, "password": "guess"}
            ).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        assert Api(owner).login(email)["Authorization"].startswith("Bearer ")


def test_registration_is_limited_per_address(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, register_max_per_address=3)
    app = create_app(settings, clock=clock)
    with (
        TestClient(app, client=("198.51.100.66", 4000)) as farm,
        TestClient(app, client=("203.0.113.9", 4000)) as other,
    ):
        statuses = [
            farm.post(
                "/api/v1/auth/register",
                json={
                    "email": f"f{i}@example.org",
                    "password": "pw long enough",
                    "display_name": "F",
                },
            ).status_code
            for i in range(4)
        ]
        assert statuses == [201, 201, 201, 429]
        assert Api(other).register()["email"]
        clock.advance(settings.login_window_seconds + 1)
        again = farm.post(
            "/api/v1/auth/register",
            json={"email": "f9@example.org", "password": "pw long enough", "display_name": "F"},
        )
        assert again.status_code == 201
