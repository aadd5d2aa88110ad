"""Account sync in the studio, end to end: headless Chromium, two browser contexts as two
devices of one account, against the real sync API (uvicorn + PostgreSQL + the moto S3 server)
serving the studio from the same origin.

- sign up on one device and sign in on the other: the demo stories are matched by id;
- the API down, both devices edit one story (different fields and the same field); the API
  back: the different-field edits are on both, the same field is one conflict with both
  values; keeping one on a device converges both;
- a second account never sees these stories.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from story_gen.sync_api.config import Settings
from tests.e2e.studio import GuardedContext, OriginGuard, _free_port, wait_until_ready
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


@pytest.fixture
def api(web_build: Path, settings_for: Any) -> Iterator[ApiServer]:  # noqa: F811
    settings: Settings = settings_for("postgres", web_dir=web_build)
    server = ApiServer(settings, _free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def device(browser: Browser, api: ApiServer) -> Iterator[Callable[[], Page]]:
    """A new device (its own browser context) on the studio served with the API."""
    made: list[GuardedContext] = []

    def make() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        guard = OriginGuard(api.origin)
        context.route("**/*", guard.handle)
        context.on("request", lambda request: guard.record(request.url))
        record_saves(context)
        made.append(GuardedContext(context, guard))
        page = context.new_page()
        page.goto(f"{api.origin}/?db=e2e-{uuid.uuid4().hex[:12]}")
        wait_until_ready(page)
        return page

    yield make
    for guarded in made:
        assert guarded.guard.foreign == [], "a request left the studio's origin"
        guarded.context.close()


def chip(page: Page) -> Any:
    return page.get_by_test_id("sync-chip")


def sign_in(page: Page, email: str, *, new: bool) -> None:
    chip(page).click()
    dialog = page.get_by_test_id("account-dialog")
    if new:
        dialog.get_by_role("button", name="Create an account instead").click()
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Create account" if new else "Sign in").click()
    expect(dialog).to_be_hidden(timeout=SYNC_TIMEOUT_MS)
    expect(chip(page)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)
    expect(chip(page)).to_have_text(re.compile(r"Synced at \d"))


def sync_now(page: Page) -> None:
    """Press Sync now and wait for that sync to end (a newer "synced at" than before)."""
    before = chip(page).get_attribute("data-synced-at") or ""
    chip(page).click()
    panel = page.get_by_test_id("sync-panel")
    panel.get_by_role("button", name="Sync now").click()
    panel.get_by_role("button", name="Close").click()
    expect(chip(page)).not_to_have_attribute("data-synced-at", before, timeout=SYNC_TIMEOUT_MS)
    expect(chip(page)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)


def server_stories(api: ApiServer, email: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=api.origin) as client:
        login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
        headers = {"authorization": f"Bearer {login.json()['access_token']}"}
        answer = client.get("/api/v1/stories", headers=headers)
        answer.raise_for_status()
        stories: list[dict[str, Any]] = answer.json()
        return stories


def premise(page: Page) -> Any:
    return page.get_by_role("textbox", name="Premise", exact=True)


def test_two_devices_merge_offline_edits_and_settle_a_conflict(
    device: Callable[[], Page], api: ApiServer
) -> None:
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.org"
    a = device()
    expect(chip(a)).to_have_text("Saved on this device")
    sign_in(a, email, new=True)
    b = device()
    sign_in(b, email, new=False)
    stories = server_stories(api, email)
    assert len(stories) == len({s["story_id"] for s in stories}) == 2  # the demos, once

    story_id = open_story_id(a)
    assert open_story_id(b) == story_id
    api.stop()
    commit_text(a, a.get_by_test_id("story-title"), "Alice, retitled on A")
    commit_text(a, premise(a), "Premise written on A.")
    commit_text(b, premise(b), "Premise written on B.")
    # Edits queue while the API is down; the chip says so.
    expect(chip(a)).to_have_text("Offline, 1 change waiting", timeout=SYNC_TIMEOUT_MS)
    expect(chip(b)).to_have_text("Offline, 1 change waiting", timeout=SYNC_TIMEOUT_MS)

    api.start()
    sync_now(a)
    sync_now(b)
    sync_now(a)
    for page in (a, b):
        expect(page.get_by_test_id("story-title")).to_have_value("Alice, retitled on A")
        conflict = page.get_by_test_id("conflict")
        expect(conflict).to_have_count(1, timeout=SYNC_TIMEOUT_MS)
        expect(conflict).to_contain_text("Premise written on A.")
        expect(conflict).to_contain_text("Premise written on B.")
        # A sync conflict says which device wrote which side, and marks its field.
        mine = "Premise written on A." if page is a else "Premise written on B."
        expect(conflict.locator(".conflict-sides > div").first).to_contain_text("This device")
        expect(conflict.locator(".conflict-sides > div").first).to_contain_text(mine)
        expect(conflict).to_contain_text("Other device")
        expect(
            page.get_by_test_id("field-problems").filter(has_text="this device and on another")
        ).to_have_count(1)

    # On B, the conflict view: this device's value beside the other's, the text as a word
    # diff; B writes a merged value, which syncs like any edit.
    expect(chip(b)).to_contain_text("1 conflict")
    chip(b).click()
    b.get_by_test_id("sync-panel").get_by_role("button", name="Settle 1 conflict").click()
    view = b.get_by_test_id("conflict-view")
    expect(view.get_by_test_id("sync-conflict-mine")).to_have_text("Premise written on B.")
    expect(view.get_by_test_id("sync-conflict-theirs")).to_have_text("Premise written on A.")
    diff = view.get_by_test_id("sync-conflict-diff")
    expect(diff.locator("del")).to_have_text("B.")
    expect(diff.locator("ins")).to_have_text("A.")
    view.get_by_role("button", name="Write a merged value").click()
    view.get_by_label("Merged value").fill("Premise written on A and B.")
    view.get_by_role("button", name="Keep the merged value").click()
    # Stored before the reply; the editor hears it as a change it did not make.
    expect(view).to_contain_text("No conflicts left in this story.")
    expect(premise(b)).to_have_value("Premise written on A and B.")
    view.get_by_role("button", name="Close").click()
    b.get_by_test_id("sync-panel").get_by_role("button", name="Close").click()
    sync_now(b)
    sync_now(a)
    for page in (a, b):
        expect(page.get_by_test_id("conflict")).to_have_count(0, timeout=SYNC_TIMEOUT_MS)
        expect(premise(page)).to_have_value("Premise written on A and B.")
    [story] = [s for s in server_stories(api, email) if s["story_id"] == story_id]
    assert story["title"] == "Alice, retitled on A"
    assert story["blueprint"]["premise"] == "Premise written on A and B."
    assert story.get("conflicts", []) == []


def test_history_lists_the_revisions_and_restores_one(
    device: Callable[[], Page], api: ApiServer
) -> None:
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.org"
    a = device()
    sign_in(a, email, new=True)
    story_id = open_story_id(a)
    original = premise(a).input_value()
    commit_text(a, premise(a), "A second premise.")
    sync_now(a)
    chip(a).click()
    a.get_by_test_id("sync-panel").get_by_role("button", name="History of this story").click()
    history = a.get_by_test_id("history-dialog")
    lines = history.get_by_test_id("history-revision")
    expect(lines).to_have_count(2, timeout=SYNC_TIMEOUT_MS)
    expect(lines.first).to_contain_text("Revision 2")
    expect(lines.first).to_contain_text("premise")
    lines.last.get_by_role("button", name="View").click()
    expect(history.get_by_test_id("history-view")).to_contain_text(original)
    lines.last.get_by_role("button", name="Restore this revision").click()
    expect(history.get_by_role("status")).to_have_text("Revision 1 restored as a new edit.")
    history.get_by_role("button", name="Close").click()
    a.get_by_test_id("sync-panel").get_by_role("button", name="Close").click()
    expect(premise(a)).to_have_value(original)
    sync_now(a)
    assert revisions(api, email, story_id) == [3, 2, 1]
    [story] = [s for s in server_stories(api, email) if s["story_id"] == story_id]
    assert story["blueprint"]["premise"] == original


def test_a_second_account_never_sees_the_first_ones_stories(
    device: Callable[[], Page], api: ApiServer
) -> None:
    first = f"e2e-{uuid.uuid4().hex[:10]}@example.org"
    second = f"e2e-{uuid.uuid4().hex[:10]}@example.org"
    a = device()
    sign_in(a, first, new=True)
    story_id = open_story_id(a)
    commit_text(a, premise(a), "Only for the first account.")
    sync_now(a)
    c = device()
    chip(c).click()
    dialog = c.get_by_test_id("account-dialog")
    dialog.get_by_role("button", name="Create an account instead").click()
    dialog.get_by_label("Email").fill(second)
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_label(re.compile("Upload the")).uncheck()
    dialog.get_by_role("button", name="Create account").click()
    expect(chip(c)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)
    assert server_stories(api, second) == []
    assert open_story_id(c) == story_id  # the same demo id, this device's own copy
    expect(premise(c)).not_to_have_value("Only for the first account.")


def revisions(api: ApiServer, email: str, story_id: str) -> list[int]:
    with httpx.Client(base_url=api.origin) as client:
        login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        headers = {"authorization": f"Bearer {login.json()['access_token']}"}
        answer = client.get(f"/api/v1/stories/{story_id}/revisions", headers=headers)
        answer.raise_for_status()
        return [r["revision"] for r in answer.json()]


def test_a_reload_in_the_middle_of_a_push_makes_no_duplicate_and_loses_nothing(
    device: Callable[[], Page], api: ApiServer
) -> None:
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.org"
    a = device()
    sign_in(a, email, new=True)
    story_id = open_story_id(a)
    before = revisions(api, email, story_id)
    lost: list[str] = []

    def land_then_lose(route: Any) -> None:
        # The push reaches the server and lands; the page never hears back (a reload or a
        # crash at that moment).
        route.fetch()
        lost.append(route.request.url)
        route.abort()

    a.context.route("**/api/v1/sync/push", land_then_lose)
    commit_text(a, premise(a), "Written just before the reload.")
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while not lost:  # the background push comes about a second after the save
        assert time.monotonic() < deadline, "no push was sent"
        a.wait_for_timeout(100)
    a.context.unroute("**/api/v1/sync/push")
    a.reload()
    wait_until_ready(a)
    expect(chip(a)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)
    expect(chip(a)).to_have_text(re.compile(r"Synced at \d"))
    assert revisions(api, email, story_id) == [before[0] + 1, *before]
    [story] = [s for s in server_stories(api, email) if s["story_id"] == story_id]
    assert story["blueprint"]["premise"] == "Written just before the reload."
    expect(premise(a)).to_have_value("Written just before the reload.")


def test_edits_queue_while_the_api_is_down_then_sync_by_themselves(
    device: Callable[[], Page], api: ApiServer
) -> None:
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.org"
    a = device()
    sign_in(a, email, new=True)
    story_id = open_story_id(a)
    api.stop()
    commit_text(a, premise(a), "Written while the API was down.")
    expect(chip(a)).to_have_text("Offline, 1 change waiting", timeout=SYNC_TIMEOUT_MS)
    api.start()
    # No button pressed: the retries (backoff with jitter) find the API again.
    expect(chip(a)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)
    [story] = [s for s in server_stories(api, email) if s["story_id"] == story_id]
    assert story["blueprint"]["premise"] == "Written while the API was down."
