"""Editable before Python: the story painted from IndexedDB takes typing while the core starts.

The core is held back with the studio's test hook ``?hold-core=MS`` (the boot request waits
that long), so what is typed goes to the IndexedDB store ``pending``. The tests close the
browser (a persistent profile, IndexedDB on disk) or reload right after the edit is kept,
then check that the text is painted again before the core is ready, that it goes through the
core once it is (the problems panel drops ``premise.empty``, the stored story holds it, the
pending store is empty), and that structural edits wait visibly meanwhile.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page, Playwright, expect

from tests.e2e.studio import (
    CHROMIUM_ARGS,
    GuardedContext,
    OriginGuard,
    StaticSite,
    chromium_path,
    wait_until_ready,
)
from tests.e2e.ui import export_blueprint, idb_dump, stored_story

HOLD = "hold-core=600000"  # longer than any test: the core never starts while held
PREMISE = "A city that floods every spring"
EMPTY_PREMISE = '[data-testid="problems-panel"] [data-code="premise.empty"]'


def _launch(playwright: Playwright, profile: Path, guard: OriginGuard) -> BrowserContext:
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1280, "height": 800},
    )
    context.on("request", lambda request: guard.record(request.url))
    return context


def _page(context: BrowserContext) -> Page:
    return context.pages[0] if context.pages else context.new_page()


def _new_story(page: Page) -> str:
    """A new story made through the service (empty premise: the core says ``premise.empty``)."""
    story_id: str = page.evaluate(
        """async () => (await window.storyGen.call("story.create", {title: "Before the core"}))
              .story_id"""
    )
    return story_id


def _premise(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Premise", exact=True)


def _type_while_starting(page: Page, text: str) -> float:
    """Type into the premise while the core is held; the time from the last key until the
    edit is kept in IndexedDB (the UI's save status says so)."""
    expect(page.get_by_test_id("boot-status")).to_have_attribute("data-state", "booting")
    expect(page.get_by_test_id("starting-banner")).to_be_visible()
    premise = _premise(page)
    expect(premise).to_be_editable()
    # Structure waits for the core, visibly.
    expect(page.get_by_role("button", name="+ Add chapter")).to_be_disabled()
    premise.click()
    page.keyboard.type(text)
    typed = time.monotonic()
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "kept")
    return time.monotonic() - typed


def _through_the_core(page: Page, db: str, story_id: str) -> None:
    wait_until_ready(page)
    expect(_premise(page)).to_have_value(PREMISE)
    expect(page.locator(EMPTY_PREMISE)).to_have_count(0)
    assert export_blueprint(page, story_id)["premise"] == PREMISE
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    assert stored_story(page, db, story_id)["blueprint"]["premise"] == PREMISE
    assert idb_dump(page, db)["pending"] == []


def test_closing_the_browser_before_the_core_is_ready_loses_nothing(
    playwright: Playwright, static_site: StaticSite, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    guard = OriginGuard(static_site.origin)
    db = f"e2e-early-{uuid.uuid4().hex[:8]}"
    base = f"{static_site.url}?db={db}"

    context = _launch(playwright, profile, guard)
    page = _page(context)
    page.goto(f"{base}#/")
    wait_until_ready(page)
    story_id = _new_story(page)
    route = f"#/story/{story_id}"
    page.goto(f"{base}{route}")
    expect(page.locator(EMPTY_PREMISE)).to_have_count(1)
    context.close()

    # Typed while the core is held back, the browser closed as soon as the edit is kept.
    context = _launch(playwright, profile, guard)
    page = _page(context)
    page.goto(f"{base}&{HOLD}{route}")
    kept_after = _type_while_starting(page, PREMISE)
    context.close()
    print(f"kept {kept_after * 1000:.0f} ms after the last key; browser closed at once")

    # Reopened, the core still held: the text is painted from IndexedDB alone.
    context = _launch(playwright, profile, guard)
    page = _page(context)
    page.goto(f"{base}&{HOLD}{route}")
    expect(_premise(page)).to_have_value(PREMISE)
    expect(page.get_by_test_id("boot-status")).to_have_attribute("data-state", "booting")
    context.close()

    # Reopened with the core: it applies the kept edit, and the diagnostics follow.
    context = _launch(playwright, profile, guard)
    page = _page(context)
    page.goto(f"{base}{route}")
    _through_the_core(page, db, story_id)
    context.close()
    assert guard.foreign == []


def test_text_typed_before_the_core_is_ready_survives_a_reload_and_reaches_the_core(
    new_context: Callable[..., GuardedContext], static_site: StaticSite
) -> None:
    guarded = new_context()
    page = guarded.context.new_page()
    db = f"e2e-early-{uuid.uuid4().hex[:8]}"
    base = f"{static_site.url}?db={db}"
    page.goto(f"{base}#/")
    wait_until_ready(page)
    story_id = _new_story(page)
    route = f"#/story/{story_id}"

    page.goto(f"{base}&{HOLD}{route}")
    page.reload()  # a fresh page: the core held, the story painted from IndexedDB
    _type_while_starting(page, PREMISE)
    page.goto(f"{base}{route}")
    page.reload()

    expect(_premise(page)).to_have_value(PREMISE)
    _through_the_core(page, db, story_id)
    # One undo step takes the text typed while starting back.
    page.get_by_test_id("undo").click()
    expect(_premise(page)).to_have_value("")
    assert guarded.guard.foreign == []
