"""Driving the studio the way a writer does, and reading back what it stored.

Selectors are the ones docs/studio.md lists (roles and labels first, ``data-testid`` where a
role cannot say it). "Saved" means what the writer sees: the save status chip went to
``saving`` after the action and is back at ``saved`` (the UI shows ``saved`` only once the
service replied that the IndexedDB transaction committed), recorded by a MutationObserver that
:data:`SAVE_RECORDER` installs in every page of a context.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.studio import shot, wait_until_ready

__all__ = [
    "SAVE_RECORDER",
    "blueprint_of",
    "commit_text",
    "entity",
    "export_blueprint",
    "forget_saves",
    "idb_dump",
    "open_story_id",
    "open_studio",
    "record_saves",
    "saved_after",
    "screenshot",
    "stored_story",
    "submit_text",
    "wait_for_service_worker",
    "wait_saved",
]

# Every state the save chip shows, in order (consecutive repeats folded), from page load on.
SAVE_RECORDER = """
(() => {
  const log = [];
  Object.defineProperty(window, "__qaSaveLog", { value: log, configurable: true });
  const seen = () => {
    const chip = document.querySelector('[data-testid="save-status"]');
    const state = chip ? chip.getAttribute("data-state") : null;
    if (state && log[log.length - 1] !== state) log.push(state);
  };
  new MutationObserver(seen).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
  });
})();
"""

SAVE_TIMEOUT_MS = 30_000


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """A screenshot of a main screen into test-artifacts/screenshots/ (kept by CI)."""
    return shot(page, f"screenshots/{name}", full_page=full_page)


def record_saves(context: BrowserContext) -> None:
    """Install the save-status recorder in every page the context opens from now on."""
    context.add_init_script(SAVE_RECORDER)


def open_studio(page: Page, url: str) -> None:
    """Go to the studio and wait until its Python service is ready."""
    page.goto(url)
    wait_until_ready(page)


def open_studio_in_theme(context: BrowserContext, url: str, theme: str) -> Page:
    """A new page on the studio in ``theme`` (chosen before the first paint), its service ready."""
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('story-gen.theme', '{theme}')")
    open_studio(page, url)
    return page


def wait_for_service_worker(page: Page, timeout_s: float = 120.0) -> None:
    """Wait until the studio's service worker is active, i.e. its precache is complete.

    Polled from Python: ``wait_for_function`` would take the predicate's promise for a truthy
    value instead of awaiting it.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        state = page.evaluate(
            """async () => {
                const registration = await navigator.serviceWorker.getRegistration();
                return registration?.active?.state ?? null;
            }"""
        )
        if state == "activated":
            return
        assert time.monotonic() < deadline, f"no active service worker after {timeout_s} s"
        time.sleep(0.25)


def open_story_id(page: Page) -> str:
    """The id of the story on screen (from the ``#/story/<id>`` route)."""
    expect(page.get_by_test_id("story-screen")).to_be_visible(timeout=30_000)
    match = re.search(r"#/story/([0-9a-f-]{36})", page.url)
    assert match, f"not on a story route: {page.url}"
    return match.group(1)


def forget_saves(page: Page) -> None:
    """Start a new save-status record (what :func:`wait_saved` looks at)."""
    page.evaluate("window.__qaSaveLog.length = 0")


def wait_saved(page: Page, timeout: float = SAVE_TIMEOUT_MS) -> None:
    """Wait until the status went to "saving" since :func:`forget_saves` and is "saved" now."""
    page.wait_for_function(
        """() => {
            const chip = document.querySelector('[data-testid="save-status"]');
            return window.__qaSaveLog.includes("saving")
                && chip !== null && chip.getAttribute("data-state") === "saved";
        }""",
        timeout=timeout,
    )


def saved_after(page: Page, action: Callable[[], Any], timeout: float = SAVE_TIMEOUT_MS) -> None:
    """Run ``action`` (one or more edits) and wait until the UI shows them as saved."""
    forget_saves(page)
    action()
    wait_saved(page, timeout)


def commit_text(page: Page, field: Locator, value: str) -> None:
    """Type into a text field, leave it (which commits what was typed), wait for "saved"."""

    def type_and_leave() -> None:
        field.fill(value)
        field.blur()

    saved_after(page, type_and_leave)


def submit_text(page: Page, field: Locator, value: str) -> None:
    """Type into an "add ..." field and press Enter, wait for "saved"."""

    def type_and_enter() -> None:
        field.fill(value)
        field.press("Enter")

    saved_after(page, type_and_enter)


def entity(page: Page, kind: str, key: str, *, expand: bool = True) -> Locator:
    """A theme / character / chapter card (``data-testid="<kind>-<key>"``), opened."""
    card = page.get_by_test_id(f"{kind}-{key}")
    expect(card).to_be_visible()
    if expand and not card.evaluate("el => el.open"):
        card.locator("summary").first.click()
        expect(card.locator(".entity-body")).to_be_visible()
    return card


def export_blueprint(page: Page, story_id: str) -> dict[str, Any]:
    """The blueprint file the studio exports for a story (what its service holds)."""
    content = page.evaluate(
        """async (id) => (await window.storyGen.call(
            "story.export", {story_id: id, format: "json"})).content""",
        story_id,
    )
    loaded: dict[str, Any] = json.loads(content)
    return loaded


def blueprint_of(page: Page) -> dict[str, Any]:
    """The blueprint of the open story as the UI holds it (after the service's last reply)."""
    raw = page.evaluate("JSON.stringify(window.storyGen.open.get().story.blueprint)")
    loaded: dict[str, Any] = json.loads(raw)
    return loaded


def idb_dump(page: Page, db_name: str) -> dict[str, list[list[Any]]]:
    """Every record of every object store of an IndexedDB database, read without the studio."""
    raw = page.evaluate(
        """async (name) => {
            const request = (r) => new Promise((ok, fail) => {
                r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
            });
            const db = await request(indexedDB.open(name));
            const out = {};
            for (const store of Array.from(db.objectStoreNames).sort()) {
                const tx = db.transaction(store, "readonly");
                const [keys, values] = await Promise.all([
                    request(tx.objectStore(store).getAllKeys()),
                    request(tx.objectStore(store).getAll()),
                ]);
                out[store] = keys.map((key, i) => [key, values[i]]);
            }
            db.close();
            return JSON.stringify(out);
        }""",
        db_name,
    )
    dump: dict[str, list[list[Any]]] = json.loads(raw)
    return dump


def stored_story(page: Page, db_name: str, story_id: str) -> dict[str, Any]:
    """A story as IndexedDB holds it (the ``bodies`` store's canonical Story JSON)."""
    bodies = {record[0]: record[1] for record in idb_dump(page, db_name)["bodies"]}
    story: dict[str, Any] = json.loads(bodies[story_id]["story_json"])
    return story
