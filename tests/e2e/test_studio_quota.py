"""A real storage quota failure: the browser's own quota for the origin is cut to a few bytes
(CDP ``Storage.overrideQuotaForOrigin``), so IndexedDB itself refuses the next write with a
QuotaExceededError. The writer sees it, the edit stays on screen and in the tab's session,
nothing half-written is stored; once the quota is back the studio's retry stores it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.studio import GuardedContext, StaticSite, wait_until_ready
from tests.e2e.ui import (
    commit_text,
    entity,
    export_blueprint,
    open_story_id,
    open_studio,
    record_saves,
    screenshot,
    stored_story,
)

RETRY_TIMEOUT_MS = 30_000
QUOTA_BITES_WITHIN_S = 120.0
# One write to a throwaway database of the same origin, as the studio's own writes would go.
PROBE_WRITE = """async () => {
    const request = (r) => new Promise((ok, fail) => {
        r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
    });
    const opening = indexedDB.open("qa-quota-probe", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("probe");
    const db = await request(opening);
    try {
        const tx = db.transaction("probe", "readwrite", {durability: "strict"});
        tx.objectStore("probe").put("x".repeat(4096), String(Date.now()));
        await new Promise((ok, fail) => {
            tx.oncomplete = ok;
            tx.onabort = () => fail(tx.error);
        });
        return "stored";
    } catch (error) {
        return error?.name ?? String(error);
    } finally {
        db.close();
    }
}"""


def premise(page: Page) -> str:
    value: str = page.get_by_role("textbox", name="Premise", exact=True).input_value()
    return value


def wait_until_quota_bites(page: Page) -> None:
    """Wait until IndexedDB refuses writes for quota.

    Chromium's IndexedDB caches the space it may use for about 30 s, so an overridden quota is
    enforced only once that cache expires; a throwaway write tells when it has.
    """
    deadline = time.monotonic() + QUOTA_BITES_WITHIN_S
    while (outcome := page.evaluate(PROBE_WRITE)) == "stored":
        assert time.monotonic() < deadline, "the quota override never took effect"
        time.sleep(1)
    assert outcome == "QuotaExceededError", outcome


def expect_failure_in_view(page: Page) -> None:
    """Something on screen (in the viewport, not scrolled away) says the edit is not saved."""
    page.wait_for_function(
        """() => {
            const inView = (el) => {
                const r = el.getBoundingClientRect();
                return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                    && r.top < innerHeight && r.left < innerWidth;
            };
            const candidates = [
                ...document.querySelectorAll('[data-testid="save-status"][data-state="unsaved"]'),
                ...document.querySelectorAll('[role="alert"], [data-testid="toast"]'),
            ];
            return candidates.some((el) => inView(el) && /full|not saved/i.test(el.textContent));
        }""",
        timeout=10_000,
    )


def test_quota_failure_is_shown_the_edit_kept_and_saved_on_retry(
    new_context: Callable[..., GuardedContext],
    studio_url: Callable[..., str],
    static_site: StaticSite,
) -> None:
    # No service worker here: its 16 MB precache would count against the quota too, and the
    # test wants IndexedDB's own writes to be what crosses the limit.
    guarded = new_context(service_workers="block")
    record_saves(guarded.context)
    page = guarded.context.new_page()
    db = f"e2e-quota-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db=db))
    story_id = open_story_id(page)
    field = page.get_by_role("textbox", name="Premise", exact=True)
    commit_text(page, field, "Saved while there was room.")
    assert stored_story(page, db, story_id)["blueprint"]["premise"] == "Saved while there was room."

    cdp = guarded.context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": static_site.origin, "quotaSize": 1})
    wait_until_quota_bites(page)

    # Edit with the disk "full": the status says so, the text stays on screen.
    kept = "Typed while the disk was full, and never lost."
    field.fill(kept)
    field.blur()
    status = page.get_by_test_id("save-status")
    expect(status).to_have_attribute("data-state", "unsaved", timeout=RETRY_TIMEOUT_MS)
    expect(status).to_contain_text("full")
    expect(field).to_have_value(kept)
    # A second edit while it still fails is kept as well.
    chapter = entity(page, "chapter", "caucus-race")
    title = chapter.get_by_role("textbox", name="Title", exact=True)
    title.fill("A Caucus-Race in a Full Disk")
    title.blur()
    expect(status).to_have_attribute("data-state", "unsaved", timeout=RETRY_TIMEOUT_MS)
    # The writer sees it where they are working, not only in the header scrolled out of view.
    expect_failure_in_view(page)
    screenshot(page, "quota-01-storage-full-edit-kept")
    # The failure is real: IndexedDB still holds the last good version, nothing half-written.
    stored = stored_story(page, db, story_id)["blueprint"]
    assert stored["premise"] == "Saved while there was room."
    # The service holds the kept edits (what a retry will write).
    held = export_blueprint(page, story_id)
    assert held["premise"] == kept
    # A retry while still full fails the same way, visibly, and loses nothing.
    page.wait_for_timeout(5_000)
    expect(status).to_have_attribute("data-state", "unsaved")
    expect(field).to_have_value(kept)

    # Room again: the studio's retry stores both edits, and says so.
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": static_site.origin})
    expect(status).to_have_attribute("data-state", "saved", timeout=RETRY_TIMEOUT_MS)
    screenshot(page, "quota-02-saved-after-retry")
    stored = stored_story(page, db, story_id)["blueprint"]
    assert stored["premise"] == kept
    caucus = next(c for c in stored["chapters"] if c["key"] == "caucus-race")
    assert caucus["title"] == "A Caucus-Race in a Full Disk"

    page.reload()
    wait_until_ready(page)
    expect(page.get_by_role("textbox", name="Premise", exact=True)).to_have_value(kept)
    assert guarded.guard.foreign == []
