"""The screens issue 11 added or changed, in both themes at 1280x800 and 390x844: a chapter's
objective growing with its text, the problems panel with folded notes, search over every text, the Trash and the import review. Each is
screenshotted (test-artifacts/screenshots/new-<theme>-<width>-*), passes axe (no serious or
critical violation) and, at phone width, does not scroll sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.e2e.studio import GuardedContext
from tests.e2e.test_studio_a11y import serious_violations
from tests.e2e.ui import entity, open_story_id, open_studio_in_theme, screenshot


def check(page: Page, name: str) -> None:
    screenshot(page, name)
    assert serious_violations(page) == [], name
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow}px of sideways scrolling"


@pytest.mark.parametrize(
    ("theme", "viewport"),
    [
        ("dark", {"width": 1280, "height": 800}),
        ("light", {"width": 1280, "height": 800}),
        ("dark", {"width": 390, "height": 844}),
        ("light", {"width": 390, "height": 844}),
    ],
    ids=["dark-desktop", "light-desktop", "dark-phone", "light-phone"],
)
def test_new_screens_in_both_themes_at_desktop_and_phone_width(
    new_context: Callable[..., GuardedContext],
    studio_url: Callable[..., str],
    theme: str,
    viewport: dict[str, int],
) -> None:
    guarded = new_context(viewport=viewport)
    url = studio_url()
    page = open_studio_in_theme(guarded.context, url, theme)
    expect(page.get_by_test_id("story-screen")).to_be_visible(timeout=30_000)
    story_id = open_story_id(page)
    tag = f"new-{theme}-{viewport['width']}"

    # A chapter's objective grows with its text: nothing of a long one is hidden.
    card = entity(page, "chapter", "caucus-race")
    objective = card.get_by_role("textbox", name="Objective")
    objective.fill("So that everyone gets dry, the Dodo runs a race with no rules. " * 6)
    hidden = objective.evaluate(
        "el => Math.max(el.scrollHeight - el.clientHeight, el.scrollWidth - el.clientWidth)"
    )
    assert hidden <= 1, f"{hidden}px of the objective are hidden"
    check(page, f"{tag}-objective-grows")

    panel = page.get_by_test_id("problems-panel")
    fold = panel.get_by_test_id("problem-fold").first
    fold.scroll_into_view_if_needed()
    fold.locator("summary").click()
    check(page, f"{tag}-problems-folded")

    page.keyboard.press("Control+k")
    palette = page.get_by_test_id("palette")
    palette.get_by_role("combobox").fill("rabbit")
    expect(palette.get_by_test_id("search-hit").first).to_be_visible()
    check(page, f"{tag}-search")
    palette.get_by_role("button", name="Close").click()
    expect(palette).to_be_hidden()

    page.goto(f"{url}#/")
    expect(page.get_by_test_id("library-list")).to_be_visible()
    other = page.get_by_test_id("story-row").filter(has_not=page.locator(f'a[href$="{story_id}"]'))
    other.locator("summary").click()
    other.get_by_role("button", name="Delete", exact=True).click()
    trash = page.get_by_test_id("trash")
    trash.locator("summary").click()
    expect(trash.get_by_test_id("trash-row")).to_have_count(1)
    check(page, f"{tag}-trash")

    exported = page.evaluate(
        """async (id) => (await window.storyGen.call(
            "story.export", {story_id: id, format: "story"})).content""",
        story_id,
    )
    payload = FilePayload(
        name="again.story.json", mimeType="application/json", buffer=exported.encode()
    )
    page.get_by_test_id("import-file").set_input_files(files=[payload])
    expect(page.get_by_test_id("import-existing")).to_be_visible()
    check(page, f"{tag}-import-review")
    assert guarded.guard.foreign == []
