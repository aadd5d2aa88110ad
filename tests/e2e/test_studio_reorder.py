"""Reordering by drag and drop (mouse and keyboard) and the one-click fixes for a circle of
prerequisites and for an unknown reference ("Create this theme"), in Chromium.

A drop is one move: it is stored (IndexedDB, read back after a reload), exported, and one step of
Undo; the keyboard path picks up, moves, drops and cancels, each step announced.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.studio import GuardedContext, wait_until_ready
from tests.e2e.test_studio_a11y import serious_violations
from tests.e2e.ui import (
    blueprint_of,
    entity,
    export_blueprint,
    open_story_id,
    open_studio,
    open_studio_in_theme,
    record_saves,
    saved_after,
    screenshot,
    stored_story,
)

FIRST = ["down-the-rabbit-hole", "pool-of-tears", "caucus-race", "little-bill"]


def _page(guarded: GuardedContext) -> Page:
    record_saves(guarded.context)
    return guarded.context.new_page()


def _order(page: Page) -> list[str]:
    """Chapter keys in the order the editor shows their cards."""
    cards = page.get_by_test_id("section-chapters").locator("details.entity")
    return [
        str(t).removeprefix("chapter-")
        for t in cards.evaluate_all("els => els.map(e => e.dataset.testid)")
    ]


def _keys(doc: dict[str, Any]) -> list[str]:
    return [c["key"] for c in doc["chapters"]]


def _handle(page: Page, title: str) -> Any:
    return page.get_by_role("button", name=f"Reorder chapter '{title}'", exact=True)


def _edit(page: Page, op: str) -> None:
    saved_after(page, lambda: page.evaluate(f"window.storyGen.edit({op})"))


def test_a_chapter_dragged_with_the_mouse_moves_in_one_undoable_edit(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    db = f"e2e-reorder-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db))
    story_id = open_story_id(page)
    before = _keys(blueprint_of(page))
    assert before[:2] == FIRST[:2]

    # Drag "The Pool of Tears" (2nd) onto the lower half of "The Rabbit Sends in a Little Bill"
    # (4th): it lands after it, at position 4.
    handle = _handle(page, "The Pool of Tears")
    target_card = page.get_by_test_id("chapter-little-bill").locator("summary")
    # Both ends on screen before the drag: a drop point outside the viewport is never reached.
    target_card.evaluate("el => el.scrollIntoView({block: 'center'})")
    handle.scroll_into_view_if_needed()

    def drag() -> None:
        source = handle.bounding_box()
        assert source is not None
        page.mouse.move(source["x"] + 14, source["y"] + 14)
        page.mouse.down()
        page.mouse.move(source["x"] + 14, source["y"] + 30, steps=4)
        # Where the target is once the drag has started (the lifted item is restyled).
        target = target_card.bounding_box()
        assert target is not None
        drop_x, drop_y = target["x"] + 40, target["y"] + target["height"] - 4
        page.mouse.move(drop_x, drop_y, steps=8)
        page.mouse.move(drop_x, drop_y - 1)  # one more dragover at the drop point
        page.mouse.up()

    saved_after(page, drag)
    expected = ["down-the-rabbit-hole", "caucus-race", "little-bill", "pool-of-tears", *before[4:]]
    assert _keys(blueprint_of(page)) == expected
    assert _order(page) == expected
    assert _keys(export_blueprint(page, story_id)) == expected
    expect(page.get_by_test_id("reorder-announcement-chapters")).to_contain_text(
        "Dropped chapter 'The Pool of Tears' at position 4 of 12"
    )
    screenshot(page, "reorder-01-mouse-dropped")

    # One drop, one undo step.
    saved_after(page, page.get_by_test_id("undo").click)
    assert _keys(blueprint_of(page)) == before
    assert _keys(stored_story(page, db, story_id)["blueprint"]) == before


def test_a_chapter_moved_with_the_keyboard_is_announced_stored_and_undone(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    db = f"e2e-reorder-kb-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db))
    story_id = open_story_id(page)
    before = _keys(blueprint_of(page))
    announce = page.get_by_test_id("reorder-announcement-chapters")
    handle = _handle(page, "The Pool of Tears")

    # Escape puts it back: nothing is sent.
    handle.focus()
    page.keyboard.press("Space")
    expect(announce).to_contain_text("Picked up chapter 'The Pool of Tears', position 2 of 12")
    expect(handle).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("ArrowDown")
    expect(announce).to_have_text("chapter 'The Pool of Tears': position 3 of 12.")
    page.keyboard.press("Escape")
    expect(announce).to_contain_text(
        "Cancelled: chapter 'The Pool of Tears' is back at position 2 of 12"
    )
    expect(handle).to_have_attribute("aria-pressed", "false")
    assert _keys(blueprint_of(page)) == before

    # Space picks up, two arrows down, Enter drops: one move to position 4.
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(announce).to_have_text("chapter 'The Pool of Tears': position 4 of 12.")
    expect(page.locator(".reorder-item.drop-after")).to_have_count(1)
    screenshot(page, "reorder-02-keyboard-lifted")
    saved_after(page, lambda: page.keyboard.press("Enter"))
    expected = ["down-the-rabbit-hole", "caucus-race", "little-bill", "pool-of-tears", *before[4:]]
    assert _keys(blueprint_of(page)) == expected
    expect(announce).to_contain_text("Dropped chapter 'The Pool of Tears' at position 4 of 12")
    expect(handle).to_be_focused()

    # Stored: after a reload the cards come back in the new order, from IndexedDB.
    page.reload()
    wait_until_ready(page)
    open_story_id(page)
    expect(page.get_by_test_id("chapter-pool-of-tears")).to_be_visible()
    assert _order(page) == expected
    assert _keys(stored_story(page, db, story_id)["blueprint"]) == expected

    saved_after(page, page.get_by_test_id("undo").click)
    assert _keys(blueprint_of(page)) == before
    assert _order(page) == before


def test_a_canon_rule_moves_with_the_keyboard(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    open_studio(page, studio_url(f"e2e-reorder-canon-{uuid.uuid4().hex[:8]}"))
    open_story_id(page)
    rules = blueprint_of(page)["canon_rules"]
    assert len(rules) >= 2
    handles = page.get_by_test_id("section-canon").get_by_test_id("drag-handle")
    handles.first.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("End")
    saved_after(page, lambda: page.keyboard.press("Enter"))
    assert blueprint_of(page)["canon_rules"] == [*rules[1:], rules[0]]
    expect(handles.last).to_be_focused()


def test_a_circle_of_prerequisites_is_broken_in_one_click(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    open_studio(page, studio_url(f"e2e-fix-cycle-{uuid.uuid4().hex[:8]}"))
    open_story_id(page)
    # The first chapter now needs the second, which needs the first: a circle.
    _edit(
        page,
        '{op: "set_list", kind: "chapter", key: "down-the-rabbit-hole", '
        'field: "prerequisites", value: ["pool-of-tears"]}',
    )
    panel = page.get_by_test_id("problems-panel")
    cycle = panel.locator("li").filter(has=page.locator('[data-code="chapter.cycle"]'))
    expect(cycle.get_by_test_id("problem-fix")).to_have_text(["Remove this prerequisite"])
    screenshot(page, "fixes-cycle")
    saved_after(page, cycle.get_by_role("button", name="Remove this prerequisite").click)
    expect(panel.locator('[data-code="chapter.cycle"]')).to_have_count(0)
    needs = {c["key"]: c["prerequisites"] for c in blueprint_of(page)["chapters"]}
    # Exactly one edge of the circle went.
    edges = [
        needs["down-the-rabbit-hole"] == ["pool-of-tears"],
        needs["pool-of-tears"] == ["down-the-rabbit-hole"],
    ]
    assert edges.count(True) == 1, needs


def test_an_unknown_theme_is_created_in_one_click(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    open_studio(page, studio_url(f"e2e-fix-create-{uuid.uuid4().hex[:8]}"))
    open_story_id(page)
    themes = [t["key"] for t in blueprint_of(page)["themes"]]
    _edit(
        page,
        '{op: "set_list", kind: "chapter", key: "pool-of-tears", '
        'field: "required_themes", value: ["identity", "tears-and-floods"]}',
    )
    panel = page.get_by_test_id("problems-panel")
    unknown = panel.locator("li").filter(has=page.locator('[data-code="chapter.unknown_theme"]'))
    saved_after(page, unknown.get_by_role("button", name="Create this theme").click)
    expect(panel.locator('[data-code="chapter.unknown_theme"]')).to_have_count(0)
    assert [t["key"] for t in blueprint_of(page)["themes"]] == [*themes, "tears-and-floods"]
    expect(page.get_by_test_id("theme-tears-and-floods")).to_be_visible()
    saved_after(page, page.get_by_test_id("undo").click)
    assert [t["key"] for t in blueprint_of(page)["themes"]] == themes


@pytest.mark.parametrize(
    ("theme", "viewport"),
    [
        ("dark", {"width": 1280, "height": 800}),
        ("light", {"width": 1280, "height": 800}),
        ("dark", {"width": 390, "height": 844}),
    ],
    ids=["dark-desktop", "light-desktop", "dark-phone"],
)
def test_the_editor_with_drag_handles_has_no_serious_axe_violations(
    new_context: Callable[..., GuardedContext],
    studio_url: Callable[..., str],
    theme: str,
    viewport: dict[str, int],
) -> None:
    guarded = new_context(viewport=viewport)
    url = studio_url(f"e2e-reorder-axe-{uuid.uuid4().hex[:8]}")
    page = open_studio_in_theme(guarded.context, url, theme)
    open_story_id(page)
    entity(page, "character", "alice")  # its voice markers have handles too
    handle = _handle(page, "The Pool of Tears")
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("Space")
    expect(handle).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("ArrowDown")
    screenshot(page, f"reorder-03-lifted-{theme}-{viewport['width']}")
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
