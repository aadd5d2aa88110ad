"""A 1,000-chapter story: only the chapter cards in view are rendered (docs/adr/0126), and the
writer still reaches every chapter: a problem in the panel or the palette opens and focuses an
off-screen chapter's field, typing there is saved, and Tab moves on into the next chapter."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from playwright.sync_api import FilePayload, Page, expect

from bench.synthetic import synthetic_blueprint
from tests.e2e.studio import GuardedContext
from tests.e2e.ui import (
    forget_saves,
    open_story_id,
    open_studio,
    record_saves,
    stored_story,
    wait_saved,
)

CHAPTERS = 1000
IMPORT_TIMEOUT_MS = 120_000


def import_story(page: Page, blueprint: dict[str, object]) -> str:
    page.get_by_role("link", name="Library").first.click()
    page.get_by_test_id("import-file").set_input_files(
        files=[
            FilePayload(
                name="long-story.json",
                mimeType="application/json",
                buffer=json.dumps(blueprint).encode(),
            )
        ]
    )
    page.get_by_test_id("import-confirm").click(timeout=IMPORT_TIMEOUT_MS)
    story_id = open_story_id(page)
    expect(page.get_by_test_id("save-status")).to_have_attribute(
        "data-state", "saved", timeout=IMPORT_TIMEOUT_MS
    )
    return story_id


def rendered_chapters(page: Page) -> int:
    count: int = page.locator('[data-testid="section-chapters"] details.entity').count()
    return count


def test_only_a_window_of_cards_and_a_jump_reaches_the_last_chapter(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    blueprint = synthetic_blueprint(CHAPTERS, seed=0)
    chapters = blueprint["chapters"]
    undrafted = [i for i, c in enumerate(chapters) if c["draft_text"] is None]
    last = undrafted[-1]
    assert last > CHAPTERS - 10, "the synthetic story's last chapters have drafts"
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    db = f"e2e-long-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db=db, hash_route="#/"))
    story_id = import_story(page, blueprint)

    # A window of cards, not a thousand; the list keeps the whole story's height.
    section = page.get_by_test_id("section-chapters")
    expect(section.locator("details.entity").first).to_be_visible()
    assert 0 < rendered_chapters(page) < 100
    expect(page.get_by_test_id("virtual-list")).to_have_attribute("data-rows", str(CHAPTERS))
    assert page.get_by_test_id(f"chapter-{chapters[last]['key']}").count() == 0

    # The panel's "no draft yet" note of the last chapter: the jump renders, opens and focuses it.
    panel = page.get_by_test_id("problems-panel")
    fold = panel.locator('[data-testid="problem-fold"][data-code="chapter.no_draft"]')
    fold.locator("summary").click()
    fold.get_by_role("button", name="Show all").click()
    path = f"chapters[{last}].draft_text"
    fold.locator(f'button.problem:has(.path:text-is("{path}"))').click()
    field = page.locator(f'textarea[data-path="{path}"]')
    expect(field).to_be_focused()
    card = page.get_by_test_id(f"chapter-{chapters[last]['key']}")
    expect(card).to_be_in_viewport()
    assert rendered_chapters(page) < 100

    # Typing there is saved, and its note goes.
    forget_saves(page)
    page.keyboard.type("The end, at last.")
    wait_saved(page)
    expect(fold.locator(f'button.problem:has(.path:text-is("{path}"))')).to_have_count(0)
    assert stored_story(page, db, story_id)["blueprint"]["chapters"][last]["draft_text"] == (
        "The end, at last."
    )

    # The focused card stays rendered while the list scrolls away from it.
    page.get_by_test_id("section-chapters").evaluate("el => el.scrollIntoView()")
    page.wait_for_function(
        "() => !document.querySelector('details.entity')?.matches(':focus-within')"
    )
    expect(field).to_be_focused()
    expect(field).to_have_value("The end, at last.")
    assert guarded.guard.foreign == []


def test_tab_moves_into_the_next_chapter_card(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    blueprint = synthetic_blueprint(CHAPTERS, seed=0)
    keys = [c["key"] for c in blueprint["chapters"]]
    page = new_context().context.new_page()
    open_studio(page, studio_url(db=f"e2e-long-tab-{uuid.uuid4().hex[:8]}", hash_route="#/"))
    import_story(page, blueprint)
    # Down the list card by card from the keyboard: each card's summary, then the next one's.
    first = page.get_by_test_id(f"chapter-{keys[0]}").locator("summary")
    first.focus()
    seen: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        key = page.evaluate(
            """() => document.activeElement?.closest('details.entity[data-testid^="chapter-"]')
                  ?.getAttribute('data-testid') ?? null"""
        )
        if key is not None and (not seen or seen[-1] != key):
            seen.append(key)
    # Tab reached cards far beyond the first window, in story order, none skipped.
    assert len(seen) > 40
    assert seen == [f"chapter-{k}" for k in keys[1 : len(seen) + 1]]
    assert rendered_chapters(page) < 100

    # The palette (Ctrl+K) reaches a chapter far outside the window and focuses its title.
    far = 950
    page.keyboard.press("Control+k")
    palette = page.get_by_test_id("palette")
    palette.get_by_role("combobox").fill(keys[far])
    palette.get_by_role("option").filter(has_text=keys[far]).first.click()
    expect(palette).to_be_hidden()
    expect(page.locator(f'[data-path="chapters[{far}].title"]')).to_be_focused()
    expect(page.get_by_test_id(f"chapter-{keys[far]}")).to_be_in_viewport()
    assert rendered_chapters(page) < 100
