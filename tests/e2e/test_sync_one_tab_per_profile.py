"""One tab per browser profile syncs (ADR 0108), end to end: headless Chromium, two tabs of one
browser context (one profile) signed in to one account, an edit in each; the server holds
exactly the revisions the two edits make, never a duplicate from the second tab's own loop.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.studio import wait_until_ready
from tests.e2e.sync_server import ApiServer
from tests.e2e.test_sync_two_devices import (  # noqa: F401  (fixtures)
    SYNC_TIMEOUT_MS,
    api,
    chip,
    device,
    premise,
    revisions,
    sign_in,
    sync_now,
)
from tests.e2e.ui import commit_text, open_story_id
from tests.sync_api.conftest import (  # noqa: F401  (fixtures shared with the API's suite)
    _aws_test_credentials,
    postgres_url,
    s3_bucket,
    s3_endpoint,
    settings_for,
)


def _until_revision(server: ApiServer, email: str, story_id: str, revision: int) -> list[int]:
    """The story's revisions once the server has ``revision`` (a sync is in the background)."""
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while True:
        found = revisions(server, email, story_id)
        if found and found[0] >= revision:
            return found
        assert time.monotonic() < deadline, f"revision {revision} never reached the server: {found}"
        time.sleep(0.2)


def test_two_tabs_of_one_profile_make_no_duplicate_revision(
    device: Callable[[], Page],  # noqa: F811 (the fixture)
    api: ApiServer,  # noqa: F811
) -> None:
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.org"
    a = device()
    sign_in(a, email, new=True)
    story_id = open_story_id(a)
    before = revisions(api, email, story_id)
    # A second tab of the same browser profile (the same storage), on the same story.
    b = a.context.new_page()
    b.goto(a.url)
    wait_until_ready(b)
    assert open_story_id(b) == story_id
    expect(chip(b)).to_have_attribute("data-phase", "synced", timeout=SYNC_TIMEOUT_MS)

    commit_text(a, a.get_by_test_id("story-title"), "Retitled in tab A")
    after_a = _until_revision(api, email, story_id, before[0] + 1)
    # Tab B hears tab A's save; its edit is synced by tab A's worker (the elected one).
    expect(b.get_by_test_id("story-title")).to_have_value(
        "Retitled in tab A", timeout=SYNC_TIMEOUT_MS
    )
    commit_text(b, premise(b), "Premise written in tab B.")
    _until_revision(api, email, story_id, before[0] + 2)
    # Both tabs asked to sync again (focus, the periodic pull): nothing more to send.
    b.bring_to_front()
    a.bring_to_front()
    sync_now(a)
    assert after_a == [before[0] + 1, *before]
    assert revisions(api, email, story_id) == [before[0] + 2, before[0] + 1, *before]
    expect(premise(a)).to_have_value("Premise written in tab B.")
    b.close()
