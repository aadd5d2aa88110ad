"""Password hashing parameters, token strength, CORS policy."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from argon2 import extract_parameters
from argon2.low_level import Type
from fastapi.testclient import TestClient
from pydantic import ValidationError

from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.clock import FakeClock
from story_gen.sync_api.config import OWASP_ARGON2ID_MINIMUM
from story_gen.sync_api.security import Passwords, hash_token, new_token


def test_production_defaults_meet_owasp_argon2id(tmp_path: Any) -> None:
    defaults = Settings(data_dir=tmp_path)
    assert defaults.argon2_memory_kib >= OWASP_ARGON2ID_MINIMUM["memory_kib"]
    assert defaults.argon2_time_cost >= OWASP_ARGON2ID_MINIMUM["time_cost"]
    assert defaults.argon2_parallelism >= OWASP_ARGON2ID_MINIMUM["parallelism"]
    stored = Passwords(defaults).hash("correct horse battery")
    params = extract_parameters(stored)
    assert params.type is Type.ID
    assert params.memory_cost == defaults.argon2_memory_kib
    assert params.time_cost == defaults.argon2_time_cost


def test_password_verification() -> None:
    passwords = Passwords(
        Settings(argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)
    )
    stored = passwords.hash("s3cret passphrase")
    assert passwords.verify(stored, "s3cret passphrase")
    assert not passwords.verify(stored, "S3cret passphrase")
    assert not passwords.verify("not a hash", "anything")


def test_tokens_have_at_least_128_random_bits() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) * 6 >= 256 for t in tokens)  # url-safe base64: 6 bits per character
    assert hash_token("a") != hash_token("b")
    assert len(hash_token("a")) == 64


@pytest.mark.parametrize("origins", ["*", "https://x.org,*", "https://x.org/"])
def test_cors_allowlist_refuses_wildcards_and_paths(origins: str) -> None:
    with pytest.raises(ValidationError):
        Settings(cors_origins=origins)  # type: ignore[arg-type]


def test_cors_allows_only_listed_origins(backend: str, settings_for: Any, clock: FakeClock) -> None:
    settings = settings_for(backend, cors_origins="https://writer.github.io")
    with TestClient(create_app(settings, clock=clock)) as client:
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        }
        allowed = client.options(
            "/api/v1/sync/push", headers={"Origin": "https://writer.github.io", **preflight}
        )
        assert allowed.headers["access-control-allow-origin"] == "https://writer.github.io"
        assert "access-control-allow-credentials" not in allowed.headers
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_an_unknown_account_is_checked_as_slowly_before_any_password_was_hashed() -> None:
    # The hasher is created on first use; the dummy hash for unknown accounts is made with it.
    passwords = Passwords(
        Settings(argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)
    )
    done = threading.Event()

    def login_of_an_unknown_account() -> None:
        passwords.burn_time("whatever")
        done.set()

    threading.Thread(target=login_of_an_unknown_account, daemon=True).start()
    assert done.wait(timeout=30), "burn_time never returned (a lock taken twice?)"
