"""Two tabs of one browser profile, signed in: an edit in one reaches the account once, and
both tabs' sync chips settle (headless Chromium against the real sync API, PostgreSQL + S3)."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from story_gen.sync_api.config import Settings
from tests.e2e.studio import OriginGuard, _free_port, wait_until_ready
from tests.e2e.sync_server import ApiServer
from tests.e2e.test_sync_two_devices import (
    SYNC_TIMEOUT_MS,
    chip,
    revisions,
    server_stories,
    sign_in,
)
from tests.e2e.ui import commit_text, open_story_id, record_saves
from tests.sync_api.conftest import (  # noqa: F401  (fixtures shared with the API's suite)
    _aws_test_credentials,
    postgres_url,
    s3_bucket,
    s3_endpoint,
    settings_for,
)


@pytest.fixture
def api(web_build: Path, settings_for: Any) -> Iterator[ApiServer]:  # noqa: F811
    settings: Settings = settings_for("postgres", web_dir=web_build)
    server = ApiServer(settings, _free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def profile(browser: Browser, api: ApiServer) -> Iterator[tuple[BrowserContext, OriginGuard]]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    guard = OriginGuard(api.origin)
    context.route("**/*", guard.handle)
    context.on("request", lambda request: guard.record(request.url))
    record_saves(context)
    yield context, guard
    assert guard.foreign == [], "a request left the studio's origin"
    context.close()


def open_tab(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    wait_until_ready(page)
    return page


def test_an_edit_in_one_of_two_signed_in_tabs_syncs_once_and_both_chips_settle(
    profile: tuple[BrowserContext, OriginGuard], api: ApiServer
) -> None:
    context, _ = profile
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.org"
    url = f"{api.origin}/?db=e2e-{uuid.uuid4().hex[:12]}"
    a = open_tab(context, url)
    sign_in(a, email, new=True)
    story_id = open_story_id(a)
    b = open_tab(context, f"{url}#/story/{story_id}")
    for page in (a, b):
        expect(chip(page)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)
    before = revisions(api, email, story_id)

    commit_text(a, a.get_by_test_id("story-title"), "Retitled in tab A")
    wait_for_title(a, api, email, story_id, "Retitled in tab A")
    for page in (a, b):
        expect(chip(page)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)
        expect(chip(page)).to_have_text(re.compile(r"Synced at \d"))
    expect(b.get_by_test_id("story-title")).to_have_value("Retitled in tab A")
    # One edit, one revision: the two tabs did not each push it.
    assert revisions(api, email, story_id) == [before[0] + 1, *before]

    # The syncing tab closes; the other takes over (the browser hands it the Web Lock) and its
    # own edit reaches the account, again as one revision.
    a.close()
    commit_text(b, b.get_by_test_id("story-title"), "Retitled in tab B")
    wait_for_title(b, api, email, story_id, "Retitled in tab B")
    assert revisions(api, email, story_id) == [before[0] + 2, before[0] + 1, *before]
    expect(chip(b)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)


def title_on_server(api: ApiServer, email: str, story_id: str) -> str:
    [story] = [s for s in server_stories(api, email) if s["story_id"] == story_id]
    title: str = story["title"]
    return title


def wait_for_title(page: Page, api: ApiServer, email: str, story_id: str, title: str) -> None:
    """Poll the account until the story has ``title`` (the background push comes about a second
    after the save). Waits through Playwright, which keeps serving the tabs' routed requests: a
    bare ``time.sleep`` here would hold every request the route handler has not answered, and
    look like a sync that never finishes."""
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while title_on_server(api, email, story_id) != title:
        assert time.monotonic() < deadline, f"{title!r} never reached the account"
        page.wait_for_timeout(200)
