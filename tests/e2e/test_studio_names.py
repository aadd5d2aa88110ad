"""Names, not keys; chapter status; word counts (issue 11, items 3 and "what writers expect").

A character named in the editor is called by that name on the chapter chips, in the coverage
grid and in the story bible, its key still shown where it is edited; the "New character" dialog
suggests the key from the name and says how to fix a bad one; a chapter's status shows in the
editor, the writing order, the graph and the library; word counts and targets show with progress.
Every changed screen passes axe (no serious or critical violation) in both themes.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from story_gen.core.words import count_words
from tests.e2e.studio import GuardedContext
from tests.e2e.test_studio_a11y import serious_violations
from tests.e2e.ui import (
    blueprint_of,
    commit_text,
    entity,
    open_story_id,
    open_studio,
    open_studio_in_theme,
    record_saves,
    saved_after,
    screenshot,
    stored_story,
)

# The demo story that opens first (Alice's Adventures in Wonderland): the Dodo is in the
# caucus race.
CHARACTER, CHAPTER = "dodo", "caucus-race"


def _page(guarded: GuardedContext) -> Page:
    record_saves(guarded.context)
    return guarded.context.new_page()


def set_target(page: Page, field: Locator, words: str) -> None:
    """Type a word target and press Enter (which commits it), wait for "saved"."""

    def type_and_enter() -> None:
        field.fill(words)
        field.press("Enter")

    saved_after(page, type_and_enter)


def _name_the_dodo(page: Page) -> None:
    card = entity(page, "character", CHARACTER)
    commit_text(page, card.get_by_role("textbox", name="Name", exact=True), "The Dodo")
    expect(card.locator("summary")).to_contain_text("The Dodo")
    expect(card.locator("summary .entity-key")).to_have_text(CHARACTER)


def test_a_characters_name_shows_on_the_chapter_chip_the_grid_and_the_bible(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    db = f"e2e-names-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db))
    story_id = open_story_id(page)
    _name_the_dodo(page)

    chapter = entity(page, "chapter", CHAPTER)
    chip = chapter.locator('[data-path$="participating_characters"] .chip-item').filter(
        has_text="The Dodo"
    )
    expect(chip).to_have_count(1)
    expect(chip).to_have_attribute("title", CHARACTER)  # the key, where it is the thing stored
    expect(chapter.get_by_role("button", name="Remove The Dodo from Participating characters"))
    screenshot(page, "names-chapter-chip")

    # Stored under its key, with the name beside it; the chapter still refers to the key.
    story = stored_story(page, db, story_id)
    dodo = next(c for c in story["blueprint"]["characters"] if c["key"] == CHARACTER)
    assert dodo["name"] == "The Dodo"
    assert story["schema_version"] == 2
    # Characters without a name have no "name" field at all (the revision-1 shape).
    assert all("name" not in c for c in story["blueprint"]["characters"] if c["key"] != CHARACTER)

    page.goto(f"{studio_url(db)}#/story/{story_id}/plan/characters")
    grid = page.get_by_test_id("plan-character-coverage")
    expect(grid.locator("tbody th").filter(has_text="The Dodo")).to_have_count(1)

    bible = page.evaluate(
        """async (id) => (await window.storyGen.call(
            "story.export", {story_id: id, format: "md"})).content""",
        story_id,
    )
    assert "### The Dodo (`dodo`)" in bible
    assert "The Dodo" in bible.split("## Chapters", 1)[1]


def test_the_new_character_dialog_suggests_the_key_and_explains_a_bad_one(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    open_studio(page, studio_url(f"e2e-names-{uuid.uuid4().hex[:8]}"))
    open_story_id(page)
    page.get_by_test_id("section-characters").get_by_role("button", name="+ Add character").click()
    dialog = page.get_by_test_id("add-entity-dialog")
    dialog.get_by_role("textbox", name="Name").fill("Inspector Vale")
    key = dialog.get_by_role("textbox", name="Key")
    expect(key).to_have_value("inspector-vale")
    add = dialog.get_by_role("button", name="Add character")
    expect(add).to_be_enabled()

    key.fill("Inspector Vale")
    help_line = dialog.get_by_test_id("key-help")
    expect(help_line).to_have_text(
        "It holds a space; use lowercase letters, digits, - or _, starting with a letter, "
        "e.g. inspector-vale."
    )
    expect(key).to_have_attribute("aria-invalid", "true")
    expect(add).to_be_disabled()
    screenshot(page, "names-new-character-bad-key")

    key.fill("vale")
    expect(add).to_be_enabled()
    saved_after(page, add.click)
    card = entity(page, "character", "vale")
    expect(card.locator("summary")).to_contain_text("Inspector Vale")
    vale = next(c for c in blueprint_of(page)["characters"] if c["key"] == "vale")
    assert vale["name"] == "Inspector Vale"


def test_status_and_word_counts_show_in_the_lists_the_graph_and_the_library(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    db = f"e2e-status-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db))
    story_id = open_story_id(page)
    card = entity(page, "chapter", CHAPTER)
    saved_after(page, lambda: card.get_by_role("combobox", name="Status").select_option("drafted"))
    expect(card.locator("summary").get_by_test_id("chapter-status")).to_have_text("Drafted")

    target = card.get_by_role("textbox", name="Word target")
    set_target(page, target, "5000")
    draft = "They ran in circles until they were dry, and don't ask who won."
    commit_text(page, card.get_by_role("textbox", name="Draft text", exact=True), draft)
    chapter = next(c for c in blueprint_of(page)["chapters"] if c["key"] == CHAPTER)
    assert (chapter["status"], chapter["word_target"]) == ("drafted", 5000)
    words = _words(chapter["draft_text"])
    assert words == 13
    expect(card.locator("summary")).to_contain_text(f"{words:,} / 5,000 words")
    draft_count = card.get_by_test_id("word-count")
    expect(draft_count).to_contain_text(f"{words:,} of 5,000 words")
    expect(draft_count.locator("progress")).to_have_count(1)

    manuscript = sum(_words(c["draft_text"]) for c in blueprint_of(page)["chapters"])
    expect(page.get_by_test_id("section-premise").get_by_test_id("word-count")).to_have_text(
        f"Manuscript: {manuscript:,} words"
    )
    screenshot(page, "status-chapter-card")

    page.goto(f"{studio_url(db)}#/story/{story_id}/plan/order")
    order = page.get_by_test_id("plan-order")
    expect(order.get_by_test_id("order-status")).to_have_text(["Drafted"])
    expect(order.get_by_test_id("order-total-words")).to_have_text(f"{manuscript:,} words")
    page.goto(f"{studio_url(db)}#/story/{story_id}/plan/graph")
    expect(page.locator(f'[data-key="{CHAPTER}"]')).to_have_attribute("data-status", "drafted")
    expect(page.locator(f'[data-key="{CHAPTER}"]')).to_have_attribute(
        "aria-label", re.compile(r", drafted$")
    )

    page.goto(f"{studio_url(db)}#/")
    row = page.locator(f'[data-testid="story-row"][data-story-id="{story_id}"]')
    expect(row.get_by_test_id("story-progress")).to_have_text(f"1 drafted · {manuscript:,} words")
    screenshot(page, "status-library")


def _words(text: str | None) -> int:
    return count_words(text)


@pytest.mark.parametrize(
    ("theme", "viewport"),
    [("dark", {"width": 1280, "height": 800}), ("light", {"width": 390, "height": 844})],
    ids=["dark-desktop", "light-phone"],
)
def test_the_changed_screens_pass_axe(
    new_context: Callable[..., GuardedContext],
    studio_url: Callable[..., str],
    theme: str,
    viewport: dict[str, int],
) -> None:
    url = studio_url(f"e2e-names-axe-{uuid.uuid4().hex[:8]}")
    guarded = new_context(viewport=viewport)
    record_saves(guarded.context)
    page = open_studio_in_theme(guarded.context, url, theme)
    story_id = open_story_id(page)
    _name_the_dodo(page)
    card = entity(page, "chapter", CHAPTER)
    saved_after(page, lambda: card.get_by_role("combobox", name="Status").select_option("revised"))
    target = card.get_by_role("textbox", name="Word target")
    set_target(page, target, "100")
    tag = f"{theme}-{viewport['width']}"

    found: dict[str, list[dict[str, Any]]] = {"editor": serious_violations(page)}
    screenshot(page, f"names-{tag}-editor")
    page.get_by_test_id("section-characters").get_by_role("button", name="+ Add character").click()
    dialog = page.get_by_test_id("add-entity-dialog")
    dialog.get_by_role("textbox", name="Key").fill("Bad Key")
    expect(dialog.get_by_test_id("key-help")).to_contain_text("use lowercase letters")
    found["new-character"] = serious_violations(page)
    screenshot(page, f"names-{tag}-new-character")
    dialog.get_by_role("button", name="Cancel").click()
    for view in ("order", "graph", "characters"):
        page.goto(f"{url}#/story/{story_id}/plan/{view}")
        expect(page.locator('[data-testid^="plan-"]').first).to_be_visible()
        found[view] = serious_violations(page)
        screenshot(page, f"names-{tag}-plan-{view}")
    page.goto(f"{url}#/")
    expect(page.get_by_test_id("story-progress").first).to_be_visible()
    found["library"] = serious_violations(page)
    screenshot(page, f"names-{tag}-library")
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, indent=1)


def test_a_problem_is_fixed_in_one_click(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    page = _page(new_context())
    open_studio(page, studio_url(f"e2e-fixes-{uuid.uuid4().hex[:8]}"))
    open_story_id(page)
    chapter = "down-the-rabbit-hole"
    # A typo in a chapter's themes and a character no one has added: two unknown references.
    saved_after(
        page,
        lambda: page.evaluate(
            """(key) => window.storyGen.edit({op: "set_list", kind: "chapter", key,
                field: "required_themes", value: ["curiosty", "identity"]})""",
            chapter,
        ),
    )
    saved_after(
        page,
        lambda: page.evaluate(
            """(key) => window.storyGen.edit({op: "set_list", kind: "chapter", key,
                field: "participating_characters", value: ["alice", "zebedee"]})""",
            chapter,
        ),
    )
    panel = page.get_by_test_id("problems-panel")
    typo = panel.locator("li").filter(has=page.locator('[data-code="chapter.unknown_theme"]'))
    expect(typo.get_by_test_id("problem-fix")).to_have_text(
        ["Replace with curiosity", "Create this theme", "Remove this theme"]
    )
    screenshot(page, "fixes-problems-panel")
    saved_after(page, typo.get_by_role("button", name="Replace with curiosity").click)
    expect(panel.locator('[data-code="chapter.unknown_theme"]')).to_have_count(0)

    stranger = panel.locator("li").filter(
        has=page.locator('[data-code="chapter.unknown_character"]')
    )
    expect(stranger.get_by_test_id("problem-fix")).to_have_text(
        ["Create this character", "Remove this character"]
    )
    saved_after(page, stranger.get_by_role("button", name="Remove this character").click)
    expect(panel.locator('[data-code="chapter.unknown_character"]')).to_have_count(0)

    fixed = next(c for c in blueprint_of(page)["chapters"] if c["key"] == chapter)
    assert fixed["required_themes"] == ["curiosity", "identity"]
    assert fixed["participating_characters"] == ["alice"]
    # One click is one undo step.
    saved_after(page, lambda: page.keyboard.press("Control+z"))
    undone = next(c for c in blueprint_of(page)["chapters"] if c["key"] == chapter)
    assert undone["participating_characters"] == ["alice", "zebedee"]
