"""Whose address the per-address login limit counts (issue 13, item 7; ADR 0073).

Without a trusted proxy, ``X-Forwarded-For`` is ignored (a client cannot pick its own
bucket); behind a trusted proxy, each client is counted on its own (the proxy is not
everyone).
"""

from __future__ import annotations

from ipaddress import ip_network
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.client_address import forwarded_client
from story_gen.sync_api.clock import FakeClock

PROXIES = [ip_network("10.0.0.0/8"), ip_network("fd00::/8")]


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("203.0.113.9", [], "203.0.113.9"),
        ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),  # not a proxy: header ignored
        ("10.0.0.2", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.2", ["1.2.3.4, 198.51.100.1"], "198.51.100.1"),  # a spoofed hop on the left
        ("10.0.0.2", ["198.51.100.1, 10.0.0.3"], "198.51.100.1"),  # two proxies in a row
        ("10.0.0.2", ["198.51.100.1", "10.0.0.3"], "198.51.100.1"),  # header repeated
        ("fd00::5", ["2001:db8::7"], "2001:db8::7"),
        ("10.0.0.2", [], "10.0.0.2"),
        ("10.0.0.2", ["10.0.0.9"], "10.0.0.9"),
        (None, ["198.51.100.1"], "unknown"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(
    peer: str | None, forwarded: list[str], expected: str
) -> None:
    assert forwarded_client(peer, forwarded, PROXIES) == expected


def test_no_proxy_is_trusted_by_default() -> None:
    assert forwarded_client("127.0.0.1", ["198.51.100.1"], []) == "127.0.0.1"


def test_the_setting_takes_addresses_and_ranges_and_refuses_nonsense(tmp_path: Any) -> None:
    settings = Settings.model_validate(
        {"data_dir": tmp_path, "trusted_proxies": "10.0.0.0/8, 192.168.1.7,fd00::/8"}
    )
    assert settings.trusted_proxies == [
        ip_network("10.0.0.0/8"),
        ip_network("192.168.1.7/32"),
        ip_network("fd00::/8"),
    ]
    with pytest.raises(ValidationError, match="STORY_GEN_TRUSTED_PROXIES"):
        Settings.model_validate({"data_dir": tmp_path, "trusted_proxies": "caddy"})


def _statuses(client: TestClient, forwarded: list[str]) -> list[int]:
    return [
        client.post(
            "/api/v1/auth/login",
            json={"email": f"p{i}@example.org", "password": "x"},
            headers={"X-Forwarded-For": hop},
        ).status_code
        for i, hop in enumerate(forwarded)
    ]


def test_without_a_trusted_proxy_a_forged_header_does_not_reset_the_bucket(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, login_max_failures_per_address=2)
    app = create_app(settings, clock=clock)
    with TestClient(app, client=("203.0.113.9", 5000)) as client:
        assert _statuses(client, ["1.1.1.1", "2.2.2.2", "3.3.3.3"]) == [401, 401, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(
    backend: str, settings_for: Any, clock: FakeClock
) -> None:
    settings = settings_for(backend, login_max_failures_per_address=2, trusted_proxies="10.0.0.0/8")
    app = create_app(settings, clock=clock)
    with TestClient(app, client=("10.0.0.2", 5000)) as proxy:
        assert _statuses(proxy, ["1.1.1.1", "2.2.2.2", "3.3.3.3"]) == [401, 401, 401]
        assert _statuses(proxy, ["9.9.9.9"] * 3) == [401, 401, 429]
