"""Live diagnostics: a broken reference shows up in the problems panel, on the field and in the
library; a problem jumps to its field; the core's "did you mean" hint is shown; fixing the
reference clears every trace of it."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.studio import GuardedContext
from tests.e2e.ui import (
    entity,
    open_story_id,
    open_studio,
    record_saves,
    saved_after,
    screenshot,
)

THEME = "identity"


def unknown_theme_problems(page: Page) -> list[str]:
    buttons = page.get_by_test_id("problems-panel").locator(
        'button.problem[data-code="chapter.unknown_theme"]'
    )
    return buttons.all_inner_texts()


def test_broken_reference_is_diagnosed_everywhere_and_clears_when_fixed(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    open_studio(page, studio_url())
    story_id = open_story_id(page)
    expect(page.get_by_test_id("problems-error")).to_have_count(0)
    blueprint = page.evaluate("window.storyGen.open.get().story.blueprint")
    referring = [c["key"] for c in blueprint["chapters"] if THEME in c["required_themes"]]
    assert len(referring) >= 2

    # Break the reference: delete the theme but keep what refers to it.
    entity(page, "theme", THEME).get_by_role("button", name="Delete…").click()
    dialog = page.get_by_test_id("delete-dialog")
    expect(dialog.get_by_test_id("reference-list").locator("li")).to_have_count(len(referring))
    dialog.get_by_role("checkbox", name=re.compile("Also remove these")).uncheck()
    saved_after(page, dialog.get_by_role("button", name="Delete theme").click)

    # The panel: one error per broken reference, grouped under Errors, each naming the key.
    errors = page.get_by_test_id("problems-error")
    expect(errors).to_be_visible()
    expect(errors.locator('button.problem[data-code="chapter.unknown_theme"]')).to_have_count(
        len(referring)
    )
    assert all(THEME in text for text in unknown_theme_problems(page))
    expect(errors.get_by_role("heading")).to_contain_text(f"Errors ({len(referring)})")

    # On the field: the chapter's header has a badge, the chip is marked, the field explains.
    first = page.get_by_test_id(f"chapter-{referring[0]}")
    expect(first.locator("summary .badge.error")).to_be_visible()
    screenshot(page, "problems-01-broken-reference")

    # A problem jumps to its field: the chapter opens and focus lands in Required themes.
    errors.locator('button.problem[data-code="chapter.unknown_theme"]').first.click()
    expect(first.locator(".entity-body")).to_be_visible()
    page.wait_for_function(
        """() => document.activeElement?.closest("[data-path]")?.getAttribute("data-path")
                ?.includes(".required_themes")"""
    )
    themes_field = first.get_by_role("group", name="Required themes")
    expect(themes_field.locator(".chip-item.unknown")).to_have_text(re.compile(THEME))
    expect(themes_field.get_by_test_id("field-problems")).to_contain_text(THEME)
    screenshot(page, "problems-02-jumped-to-field")

    # The library counts the errors too.
    page.get_by_role("link", name="Library").first.click()
    row = page.get_by_test_id("story-row").filter(has=page.locator(f'a[href$="{story_id}"]'))
    expect(row.locator(".badge.error")).to_contain_text(str(len(referring)))
    page.go_back()
    open_story_id(page)

    # Fix one reference by hand: one error fewer, at once.
    chapter = entity(page, "chapter", referring[0])
    saved_after(
        page,
        chapter.get_by_role("button", name=f"Remove {THEME} from Required themes").click,
    )
    expect(errors.locator('button.problem[data-code="chapter.unknown_theme"]')).to_have_count(
        len(referring) - 1
    )

    # A near-miss key: the problems now carry the core's "did you mean" hint.
    add_theme(page, "identiy", "Who am I")
    hints = errors.locator('button.problem[data-code="chapter.unknown_theme"] .hint')
    expect(hints.first).to_contain_text('Did you mean "identiy"')

    # Rename it to the missing key: every broken reference is fixed, every trace clears.
    entity(page, "theme", "identiy").get_by_role("button", name="Rename key…").click()
    rename = page.get_by_test_id("rename-dialog")
    rename.get_by_role("textbox", name=re.compile("New key for")).fill(THEME)
    saved_after(page, rename.get_by_role("button", name=re.compile("^Rename")).click)
    expect(page.get_by_test_id("problems-error")).to_have_count(0)
    expect(
        page.get_by_test_id(f"chapter-{referring[1]}").locator("summary .badge.error")
    ).to_have_count(0)
    screenshot(page, "problems-03-fixed")
    page.get_by_role("link", name="Library").first.click()
    expect(row.locator(".badge.error")).to_have_count(0)
    assert guarded.guard.foreign == []


def add_theme(page: Page, key: str, name: str) -> None:
    """Add a theme by the New theme dialog: its name, and a key typed over the suggested one."""
    page.get_by_test_id("section-themes").get_by_role("button", name="+ Add theme").click()
    dialog = page.get_by_test_id("add-entity-dialog")
    dialog.get_by_role("textbox", name="Name").fill(name)
    dialog.get_by_role("textbox", name="Key").fill(key)
    saved_after(page, dialog.get_by_role("button", name="Add theme").click)
