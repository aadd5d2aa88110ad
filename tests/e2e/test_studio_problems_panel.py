"""The problems panel keeps the real problems in sight (issue 11, item 5): notes of one kind
fold into one line ("12 chapters have no draft yet", the list behind it), a filter hides the
notes (kept across a reload), and the count's colour follows the worst severity present."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.studio import GuardedContext, wait_until_ready
from tests.e2e.ui import (
    blueprint_of,
    entity,
    open_studio,
    record_saves,
    saved_after,
    screenshot,
)

SEP = " \u203a "  # between a place and its field


def worst(page: Page) -> str | None:
    return page.get_by_test_id("problem-count").get_attribute("data-worst")


def test_notes_fold_filter_and_the_badge_follows_the_worst_severity(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    open_studio(page, studio_url())
    panel = page.get_by_test_id("problems-panel")
    expect(page.get_by_test_id("problem-count")).not_to_have_text("…")
    blueprint = blueprint_of(page)
    undrafted = [c for c in blueprint["chapters"] if not c.get("draft_text")]
    assert len(undrafted) >= 2

    # The demo has notes only: the badge is a note's colour, not a warning's.
    expect(panel.get_by_test_id("problems-error")).to_have_count(0)
    expect(panel.get_by_test_id("problems-warning")).to_have_count(0)
    assert worst(page) == "info"

    # One line for every chapter without a draft; the list behind it.
    fold = panel.locator('[data-testid="problem-fold"][data-code="chapter.no_draft"]')
    expect(fold).to_have_count(1)
    summary = fold.locator("summary")
    expect(summary).to_have_text(re.compile(rf"{len(undrafted)} chapters have no draft yet"))
    rows = fold.locator('button.problem[data-code="chapter.no_draft"]')
    expect(rows).to_have_count(len(undrafted))
    expect(rows.first).to_be_hidden()
    summary.click()
    expect(rows.first).to_be_visible()
    rows.nth(1).click()  # still jumps to its chapter's draft
    page.wait_for_function(
        """() => document.activeElement?.closest("[data-path]")?.getAttribute("data-path")
                ?.endsWith(".draft_text")"""
    )
    screenshot(page, "problems-notes-folded")

    # A warning: a theme only one chapter needs, taken off that chapter.
    needs: dict[str, list[str]] = {}
    for chapter in blueprint["chapters"]:
        for theme in chapter["required_themes"]:
            needs.setdefault(theme, []).append(chapter["key"])
    theme, (chapter_key,) = next((t, c) for t, c in needs.items() if len(c) == 1)
    card = entity(page, "chapter", chapter_key)
    saved_after(page, card.get_by_role("button", name=f"Remove {theme} from Required themes").click)
    expect(panel.get_by_test_id("problems-warning")).to_be_visible()
    assert worst(page) == "warning"

    # An error: a theme deleted, its references kept.
    other = next(t for t, c in needs.items() if t != theme)
    entity(page, "theme", other).get_by_role("button", name="Delete…").click()
    dialog = page.get_by_test_id("delete-dialog")
    dialog.get_by_role("checkbox", name=re.compile("Also remove these")).uncheck()
    saved_after(page, dialog.get_by_role("button", name="Delete theme").click)
    expect(panel.get_by_test_id("problems-error")).to_be_visible()
    assert worst(page) == "error"
    # Each problem names its place in story terms; the path stays below it.
    first_error = panel.get_by_test_id("problems-error").locator("button.problem").first
    index = int(re.findall(r"\d+", first_error.locator(".path").inner_text())[0])
    title = blueprint["chapters"][index]["title"]
    expect(first_error.locator(".place")).to_have_text(
        f"Chapter “{title}”{SEP}Required themes{SEP}1"
    )

    # The filter hides the notes (and says how many), and is kept across a reload.
    notes = panel.get_by_test_id("problems-info")
    expect(notes).to_be_visible()
    panel.get_by_role("checkbox", name="Hide notes").check()
    expect(notes).to_have_count(0)
    expect(panel.get_by_test_id("notes-hidden")).to_have_text(re.compile(r"\d+ notes? hidden"))
    expect(panel.get_by_test_id("problems-error")).to_be_visible()
    expect(panel.get_by_test_id("problems-warning")).to_be_visible()
    screenshot(page, "problems-notes-hidden")
    page.reload()
    wait_until_ready(page)
    expect(page.get_by_test_id("problem-count")).not_to_have_text("…")
    expect(panel.get_by_role("checkbox", name="Hide notes")).to_be_checked()
    expect(panel.get_by_test_id("problems-info")).to_have_count(0)
    panel.get_by_role("checkbox", name="Hide notes").uncheck()
    expect(panel.get_by_test_id("problems-info")).to_be_visible()
    assert guarded.guard.foreign == []
