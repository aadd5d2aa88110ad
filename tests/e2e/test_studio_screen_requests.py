"""What one part of the studio asks of another reaches it (web/src/model/screen-requests.ts):
N opens the editor's "new chapter" dialog, Ctrl+S makes a field send the text it holds back
(an emptied canon rule, removed while the writer is still in it), and the palette's "filter
the library list instead" puts the caret in the library's search box."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.studio import GuardedContext
from tests.e2e.ui import blueprint_of, open_story_id, open_studio, record_saves, submit_text


def test_shortcuts_and_the_palette_reach_the_editor_its_fields_and_the_library(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    open_studio(page, studio_url())
    open_story_id(page)

    # N, outside a text field: the editor opens its "new chapter" dialog.
    page.get_by_test_id("section-premise").locator("h2").click()
    page.keyboard.press("n")
    dialog = page.get_by_role("dialog", name="New chapter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    # A canon rule emptied while typing is held back (it would be removed mid-word); Ctrl+S
    # sends it now, with the caret still in the field, and the rule goes.
    rule = "A rule the writer empties again"
    submit_text(page, page.get_by_role("textbox", name="New canon rule", exact=True), rule)
    rules = blueprint_of(page)["canon_rules"]
    assert rules[-1] == rule
    field = page.get_by_role("textbox", name=f"Canon rule {len(rules)}", exact=True)
    field.fill("")
    expect(field).to_be_focused()
    assert blueprint_of(page)["canon_rules"] == rules, "an emptied rule is held while typing"
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "(n) => window.storyGen.open.get().story.blueprint.canon_rules.length === n",
        arg=len(rules) - 1,
    )
    assert blueprint_of(page)["canon_rules"] == rules[:-1]

    # The palette hands the search over to the library, whose search box takes the caret.
    page.keyboard.press("Control+k")
    palette = page.get_by_test_id("palette")
    expect(palette).to_be_visible()
    palette.get_by_role("button", name="Filter the library list instead").click()
    expect(palette).to_be_hidden()
    expect(page.get_by_role("searchbox", name="Search stories")).to_be_focused()
    assert guarded.guard.foreign == []
