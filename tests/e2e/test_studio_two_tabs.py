"""Two tabs editing one story at the same moment: neither overwrites the other.

Each tab has its own worker and Python service; both write to one IndexedDB. The edits are
released together (typed in both tabs, then committed within milliseconds), so the second write
meets a stale revision and must merge. Checked in both tabs (each shows the other's edit), then
in a fresh third tab and in IndexedDB itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.e2e.studio import GuardedContext
from tests.e2e.ui import (
    entity,
    export_blueprint,
    forget_saves,
    open_story_id,
    open_studio,
    record_saves,
    screenshot,
    stored_story,
    wait_saved,
)


def premise(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Premise", exact=True)


def title_of(page: Page, key: str) -> Locator:
    return entity(page, "chapter", key).get_by_role("textbox", name="Title", exact=True)


def together(a: Page, b: Page, type_a: Callable[[], None], type_b: Callable[[], None]) -> None:
    """Type in both tabs, then commit both at once (leave both fields), and wait for both."""
    forget_saves(a)
    forget_saves(b)
    type_a()
    type_b()
    a.evaluate("document.activeElement?.blur()")
    b.evaluate("document.activeElement?.blur()")
    wait_saved(a)
    wait_saved(b)


def test_two_tabs_editing_one_story_keep_both_edits(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    db = f"e2e-tabs-{uuid.uuid4().hex[:8]}"
    tab_a = guarded.context.new_page()
    open_studio(tab_a, studio_url(db=db))
    story_id = open_story_id(tab_a)
    tab_b = guarded.context.new_page()
    open_studio(tab_b, studio_url(db=db, hash_route=f"#/story/{story_id}"))
    assert open_story_id(tab_b) == story_id

    # Different fields: the premise in one tab, a new canon rule in the other.
    new_premise = "Two writers, one rabbit hole."
    new_rule = "Both tabs' words are kept."
    rule_input = tab_b.get_by_role("textbox", name="New canon rule")

    def add_rule() -> None:
        rule_input.fill(new_rule)
        rule_input.press("Enter")

    together(tab_a, tab_b, lambda: premise(tab_a).fill(new_premise), add_rule)

    # The same field of different chapters: two titles.
    title_a = "The Caucus-Race, from tab A"
    title_b = "The Pool of Tears, from tab B"
    field_a = title_of(tab_a, "caucus-race")
    field_b = title_of(tab_b, "pool-of-tears")
    together(tab_a, tab_b, lambda: field_a.fill(title_a), lambda: field_b.fill(title_b))

    # Each tab comes to show the other's edits without a reload.
    expect(premise(tab_b)).to_have_value(new_premise)
    expect(
        tab_a.get_by_test_id("section-canon").locator(f'input[value="{new_rule}"]')
    ).to_have_count(1)
    expect(title_of(tab_a, "pool-of-tears")).to_have_value(title_b)
    expect(title_of(tab_b, "caucus-race")).to_have_value(title_a)
    screenshot(tab_a, "two-tabs-a")
    screenshot(tab_b, "two-tabs-b")

    # A fresh tab (a new worker reading IndexedDB) has all four, and no conflict was needed.
    tab_c = guarded.context.new_page()
    open_studio(tab_c, studio_url(db=db, hash_route=f"#/story/{story_id}"))
    blueprint = export_blueprint(tab_c, story_id)
    stored = stored_story(tab_c, db, story_id)
    for seen in (blueprint, stored["blueprint"]):
        assert seen["premise"] == new_premise
        assert new_rule in seen["canon_rules"]
        titles = {c["key"]: c["title"] for c in seen["chapters"]}
        assert titles["caucus-race"] == title_a
        assert titles["pool-of-tears"] == title_b
    assert stored["conflicts"] == []
    expect(premise(tab_c)).to_have_value(new_premise)
    expect(title_of(tab_c, "pool-of-tears")).to_have_value(title_b)
    assert guarded.guard.foreign == []
