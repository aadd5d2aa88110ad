"""Cross-origin sync: the studio on one origin (the static server, as GitHub Pages serves it),
the sync API on another (uvicorn + PostgreSQL + the moto S3 server) whose CORS allowlist holds
only the studio's origin. The writer gives the API's address in the sign-in dialog; the
studio's requests go to its own origin and that one API origin, nowhere else."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Route, expect

from story_gen.sync_api.config import Settings
from tests.e2e.studio import StaticSite, _free_port, wait_until_ready
from tests.e2e.sync_server import ApiServer
from tests.e2e.ui import commit_text, open_story_id, record_saves
from tests.sync_api.conftest import (  # noqa: F401  (fixtures shared with the API's suite)
    _aws_test_credentials,
    postgres_url,
    s3_bucket,
    s3_endpoint,
    settings_for,
)

PASSWORD = "correct horse battery"
SYNC_TIMEOUT_MS = 60_000


@dataclass
class TwoOriginGuard:
    """Lets requests to the studio's and the API's origins through; records and aborts others."""

    allowed: tuple[str, ...]
    foreign: list[str] = field(default_factory=list)
    to_api: list[str] = field(default_factory=list)

    def ok(self, url: str) -> bool:
        return url.startswith((*(f"{o}/" for o in self.allowed), "data:", "blob:"))

    def handle(self, route: Route) -> None:
        url = route.request.url
        if self.ok(url):
            if url.startswith(self.allowed[1] + "/"):
                self.to_api.append(url)
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


@pytest.fixture
def api(static_site: StaticSite, settings_for: Any) -> Iterator[ApiServer]:  # noqa: F811
    settings: Settings = settings_for("postgres", cors_origins=[static_site.origin])
    server = ApiServer(settings, _free_port())
    server.start()
    yield server
    server.stop()


def test_the_studio_syncs_with_an_api_on_another_origin(
    browser: Browser, static_site: StaticSite, api: ApiServer
) -> None:
    assert api.origin != static_site.origin
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    guard = TwoOriginGuard((static_site.origin, api.origin))
    context.route("**/*", guard.handle)
    record_saves(context)
    try:
        page = context.new_page()
        page.goto(f"{static_site.url}?db=e2e-{uuid.uuid4().hex[:12]}")
        wait_until_ready(page)
        chip = page.get_by_test_id("sync-chip")
        chip.click()
        dialog = page.get_by_test_id("account-dialog")
        # The Pages-hosted studio's own origin is the default; the writer names the API.
        expect(dialog.get_by_label("Sync server")).to_have_value(static_site.origin)
        dialog.get_by_role("button", name="Create an account instead").click()
        email = f"x{uuid.uuid4().hex[:10]}@example.org"
        dialog.get_by_label("Email").fill(email)
        dialog.get_by_label("Password").fill(PASSWORD)
        dialog.get_by_label("Sync server").fill(api.origin)
        dialog.get_by_role("button", name="Create account").click()
        expect(chip).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)
        expect(chip).to_have_text(re.compile(r"Synced at \d"))
        story_id = open_story_id(page)
        synced_at = chip.get_attribute("data-synced-at") or ""
        commit_text(page, page.get_by_role("textbox", name="Premise", exact=True), "Cross-origin.")
        # The save is pushed in the background: a later "synced at" than before it.
        expect(chip).not_to_have_attribute("data-synced-at", synced_at, timeout=SYNC_TIMEOUT_MS)
        expect(chip).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)
        with httpx.Client(base_url=api.origin) as client:
            token = client.post(
                "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
            ).json()["access_token"]
            story = client.get(
                f"/api/v1/stories/{story_id}", headers={"authorization": f"Bearer {token}"}
            ).json()
            assert story["blueprint"]["premise"] == "Cross-origin."
            # CORS allows the studio's origin, and only it.
            for origin, allowed in ((static_site.origin, True), ("https://evil.example", False)):
                preflight = client.options(
                    "/api/v1/sync/push",
                    headers={
                        "origin": origin,
                        "access-control-request-method": "POST",
                        "access-control-request-headers": "authorization,content-type",
                    },
                )
                header = preflight.headers.get("access-control-allow-origin")
                assert (header == origin) is allowed, (origin, preflight.status_code, header)
        assert guard.to_api, "the sync requests went to the API's origin"
        assert guard.foreign == []
    finally:
        context.close()
