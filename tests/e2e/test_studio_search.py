"""Search (Ctrl+K) finds every text of every story (issue 11, item 8): a word of another
story's chapter objective is found, the hit says where (story, chapter, field) and shows the
word in its excerpt, and choosing it opens that story with the objective focused."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.e2e.studio import GuardedContext
from tests.e2e.test_studio_a11y import serious_violations
from tests.e2e.ui import open_story_id, open_studio, screenshot


def test_a_word_of_an_objective_in_another_story_is_found_and_opened(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    page = guarded.context.new_page()
    open_studio(page, studio_url())
    opened = open_story_id(page)
    stories: list[dict[str, Any]] = page.evaluate("window.storyGen.library.get().summaries")
    other = next(s for s in stories if s["story_id"] != opened)
    blueprint: dict[str, Any] = page.evaluate(
        """async (id) => JSON.parse((await window.storyGen.call(
            "story.export", {story_id: id, format: "json"})).content)""",
        other["story_id"],
    )
    index, chapter = next(
        (i, c) for i, c in enumerate(blueprint["chapters"]) if len(c["objective"]) > 20
    )
    # The objective's longest word: not a title, not a key, only in a text.
    word = max(re.findall(r"[A-Za-z]{5,}", chapter["objective"]), key=len)

    page.keyboard.press("Control+k")
    palette = page.get_by_test_id("palette")
    expect(palette).to_be_visible()
    palette.get_by_role("combobox").fill(word)
    hit = palette.get_by_test_id("search-hit").filter(
        has_text=re.compile(rf"{re.escape(chapter['title'] or chapter['key'])}.*Objective")
    )
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text(other["title"])
    expect(hit.locator("mark")).to_have_text(re.compile(re.escape(word), re.IGNORECASE))
    screenshot(page, "search-every-text")
    assert serious_violations(page) == []
    hit.click()
    expect(palette).to_be_hidden()
    expect(page).to_have_url(re.compile(rf"#/story/{other['story_id']}$"))
    page.wait_for_function(
        """(path) => document.activeElement?.closest("[data-path]")
                ?.getAttribute("data-path") === path""",
        arg=f"chapters[{index}].objective",
    )
    assert guarded.guard.foreign == []
