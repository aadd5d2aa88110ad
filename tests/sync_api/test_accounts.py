"""Accounts: register, login, /me, logout, token expiry, identical failures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from story_gen.sync_api.clock import FakeClock

from .conftest import Api


def test_register_returns_the_public_user(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={
            "email": " Ada@Example.org ",
            "password": "a long enough pass",
            "display_name": "Ada",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"user_id", "email", "display_name", "created_at_utc"}
    assert body["email"] == "ada@example.org"
    assert body["display_name"] == "Ada"
    assert datetime.fromisoformat(body["created_at_utc"]).tzinfo is not None


def test_register_twice_is_a_clear_409(api: Api) -> None:
    email = api.register()["email"]
    response = api.client.post(
        "/api/v1/auth/register",
        json={"email": email.upper(), "password": "another long one", "display_name": "X"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


def test_short_password_is_refused_in_the_error_shape(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "a@example.org", "password": "short", "display_name": "A"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "request_invalid"
    assert body["diagnostics"][0]["path"] == "password"
    assert body["request_id"]


def test_login_me_logout(api: Api) -> None:
    user = api.register()
    response = api.client.post(
        "/api/v1/auth/login", json={"email": user["email"], "password": "correct horse battery"}
    )
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "bearer"
    assert len(token["access_token"]) >= 22  # >= 128 bits, url-safe base64
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = api.client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.json() == user
    assert api.client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    after = api.client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["code"] == "token_invalid"


def test_unknown_user_and_wrong_password_get_identical_answers(api: Api) -> None:
    email = api.register()["email"]
    wrong = api.client.post("/api/v1/auth/login", json={"email": email, "password": "nope nope"})
    unknown = api.client.post(
        "/api/v1/auth/login", json={"email": "ghost@example.org", "password": "nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 401

    def strip(response: Any) -> dict[str, Any]:
        return {k: v for k, v in response.json().items() if k != "request_id"}

    assert strip(wrong) == strip(unknown)
    assert wrong.headers.get("www-authenticate") == unknown.headers.get("www-authenticate")


def test_tokens_expire(api: Api, clock: FakeClock) -> None:
    headers = api.user()
    assert api.client.get("/api/v1/me", headers=headers).status_code == 200
    clock.advance(api.client.app.state.services.settings.token_ttl_seconds + 1)  # type: ignore[attr-defined]
    response = api.client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_missing_or_garbage_token_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/me").status_code == 401
    garbage = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert garbage.status_code == 401
    assert garbage.json()["code"] == "token_invalid"


def test_tokens_are_stored_only_as_hashes(api: Api) -> None:
    from sqlalchemy import select

    from story_gen.sync_api.models import AccessToken

    headers = api.user()
    token = headers["Authorization"].removeprefix("Bearer ")
    services = api.client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        stored = session.scalars(select(AccessToken.token_hash)).all()
    assert token not in stored
    import hashlib

    assert hashlib.sha256(token.encode()).hexdigest() in stored
