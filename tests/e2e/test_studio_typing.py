"""Typing: edits go to the service as the writer types, and the writer never notices.

- the diagnostics follow the keystrokes while the field still has focus (no pause, no blur);
- what is typed stays exactly as typed (a trailing space, the caret in the middle of the text)
  while replies keep arriving; what is stored is the service's normalised text;
- "saved" still means committed: IndexedDB holds the text once the chip says so;
- typing is undone a word at a time, not a letter (docs/adr/0091).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

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

CHAPTER = "pool-of-tears"
INDEX = 1  # its position in the Alice demo
NO_DRAFT = f'button.problem[data-code="chapter.no_draft"]:has(.path:text-is("chapters[{INDEX}].draft_text"))'


def caret(page: Page) -> list[int]:
    start_end: list[int] = page.evaluate(
        "() => [document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    )
    return start_end


def test_typing_is_sent_as_typed_without_ever_touching_the_text(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    db = f"e2e-typing-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db=db))
    story_id = open_story_id(page)
    panel = page.get_by_test_id("problems-panel")
    expect(panel.locator(NO_DRAFT)).to_have_count(1)

    chapter = entity(page, "chapter", CHAPTER)
    draft = chapter.get_by_role("textbox", name="Draft text")
    draft.click()
    forget_saves(page)
    typed = "I wonder if I've been changed in the night "
    # The diagnostics follow the keys: typing on steadily (a key every 100 ms, never the
    # pause a debounce would wait for), the chapter's "no draft yet" note goes mid-word.
    gone_after: int | None = None
    for n, key in enumerate(typed[:20], start=1):
        page.keyboard.type(key)
        page.wait_for_timeout(100)
        if panel.locator(NO_DRAFT).count() == 0:
            gone_after = n
            break
    assert gone_after is not None, "the diagnostics waited for a pause in the typing"
    # Then fast typing (a key every 15 ms), replies arriving in between.
    page.keyboard.type(typed[gone_after:], delay=15)
    expect(draft).to_be_focused()
    wait_saved(page)
    # Exactly what was typed, trailing space included, the caret where the writer left it.
    expect(draft).to_have_value(typed)
    assert caret(page) == [len(typed), len(typed)]

    # Saved means stored: IndexedDB has the service's normalised text.
    first = typed.rstrip()
    assert stored_story(page, db, story_id)["blueprint"]["chapters"][INDEX]["draft_text"] == first
    # Leaving the field shows the stored (normalised) text.
    draft.blur()
    expect(draft).to_have_value(first)

    # Back in, the caret in the middle of the text: typing there while replies come back.
    draft.click()
    page.keyboard.press("End")
    for _ in range(len("night")):
        page.keyboard.press("ArrowLeft")
    forget_saves(page)
    page.keyboard.type("very ", delay=15)
    wait_saved(page)
    second = "I wonder if I've been changed in the very night"
    expect(draft).to_have_value(second)
    at = second.index("night")
    assert caret(page) == [at, at], "the caret moved while the service answered"
    screenshot(page, "typing-01-caret-kept")
    assert stored_story(page, db, story_id)["blueprint"]["chapters"][INDEX]["draft_text"] == second
    assert export_blueprint(page, story_id)["chapters"][INDEX]["draft_text"] == second

    # Typing is undone a word at a time, not a letter (and never the whole draft at once).
    undo = page.get_by_role("button", name="Undo")
    undo.click()
    expect(draft).to_have_value(first)
    undo.click()
    expect(draft).not_to_have_value(first)
    shorter = draft.input_value()
    assert shorter, "one undo took back the whole draft"
    assert first.startswith(shorter), shorter
    page.get_by_role("button", name="Redo").click()
    expect(draft).to_have_value(first)
    assert guarded.guard.foreign == []


def test_a_keystroke_renders_the_editor_once(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    """The typed text, its diagnostics and "saving" reach the editor in one update; the reply
    ("saved") does not render it again (docs/studio.md, "One commit per keystroke")."""
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    open_studio(page, studio_url(db=f"e2e-renders-{uuid.uuid4().hex[:8]}"))
    panel = page.get_by_test_id("problems-panel")
    expect(panel.locator(NO_DRAFT)).to_have_count(1)
    editor = page.locator(".editor")
    draft = entity(page, "chapter", CHAPTER).get_by_role("textbox", name="Draft text")
    draft.click()
    renders: list[int] = []
    for key in "Alice":
        forget_saves(page)
        before = int(editor.get_attribute("data-renders") or "0")
        page.keyboard.type(key)
        wait_saved(page)
        renders.append(int(editor.get_attribute("data-renders") or "0") - before)
    # The first key removes the chapter's "no draft yet" problem: new diagnostics and new text.
    expect(panel.locator(NO_DRAFT)).to_have_count(0)
    assert renders == [1, 1, 1, 1, 1]
    expect(draft).to_have_value("Alice")
