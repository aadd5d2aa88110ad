"""The Trash (issue 11, item 7): a deleted story is in the Trash after a reload and comes back
from it whole; emptying the Trash (confirmed) removes its stories for good, also from
IndexedDB and after a reload, and leaves every other story alone."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.studio import GuardedContext, wait_until_ready
from tests.e2e.test_studio_a11y import serious_violations
from tests.e2e.ui import idb_dump, open_studio, screenshot

CAROL = "A Christmas Carol"
ALICE = "Alice's Adventures in Wonderland"


def delete(page: Page, title: str) -> None:
    row = page.get_by_test_id("story-row").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    row.locator("summary").click()
    row.get_by_role("button", name="Delete", exact=True).click()
    expect(row).to_have_count(0)


def reload_library(page: Page) -> None:
    page.reload()
    wait_until_ready(page)
    page.get_by_role("link", name="Library").first.click()


def test_a_deleted_story_comes_back_from_the_trash_and_emptying_it_is_for_good(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    page = guarded.context.new_page()
    db = f"e2e-trash-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db=db, hash_route="#/"))
    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_test_id("story-row")).to_have_count(2)
    expect(page.get_by_test_id("trash")).to_have_count(0)
    carol_id = (
        page.get_by_test_id("story-row").filter(has_text=CAROL).get_attribute("data-story-id")
    )
    assert carol_id
    chapters_before = page.get_by_test_id("story-row").filter(has_text=CAROL).inner_text()

    delete(page, CAROL)
    # After a reload (the undo toast long gone), the story is in the Trash.
    reload_library(page)
    expect(page.get_by_test_id("story-row")).to_have_count(1)
    trash = page.get_by_test_id("trash")
    expect(trash).to_be_visible()
    trash.locator("summary").click()
    row = trash.get_by_test_id("trash-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(CAROL)
    expect(row).to_contain_text(re.compile(r"kept until"))
    screenshot(page, "trash-01-deleted-story")
    assert serious_violations(page) == []
    row.get_by_role("button", name=f"Restore {CAROL}").click()
    expect(page.get_by_test_id("story-row")).to_have_count(2)
    expect(page.get_by_test_id("trash")).to_have_count(0)
    restored = page.get_by_test_id("story-row").filter(has_text=CAROL)
    assert restored.get_attribute("data-story-id") == carol_id
    assert restored.inner_text() == chapters_before

    # Emptying: both stories deleted, asked to confirm, Cancel keeps them.
    delete(page, CAROL)
    delete(page, ALICE)
    expect(page.get_by_test_id("library-empty")).to_be_visible()
    trash = page.get_by_test_id("trash")
    trash.locator("summary").click()
    expect(trash.get_by_test_id("trash-row")).to_have_count(2)
    trash.get_by_role("button", name="Empty the Trash…").click()
    dialog = page.get_by_test_id("trash-empty-dialog")
    expect(dialog.get_by_role("heading", name="Remove 2 stories for good?")).to_be_visible()
    screenshot(page, "trash-02-empty-confirm")
    assert serious_violations(page) == []
    dialog.get_by_role("button", name="Cancel").click()
    expect(trash.get_by_test_id("trash-row")).to_have_count(2)
    trash.get_by_role("button", name="Empty the Trash…").click()
    page.get_by_test_id("trash-empty-dialog").get_by_role("button", name="Remove for good").click()
    expect(page.get_by_test_id("trash")).to_have_count(0)
    assert idb_dump(page, db)["summaries"] == []
    reload_library(page)
    expect(page.get_by_test_id("library-empty")).to_be_visible()
    expect(page.get_by_test_id("trash")).to_have_count(0)
    assert guarded.guard.foreign == []
