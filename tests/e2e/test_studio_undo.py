"""Undo in the studio: typing comes back word by word, the button says what it undoes, and the
history is still there after a reload (it lives in IndexedDB, not in the page)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.studio import GuardedContext, wait_until_ready
from tests.e2e.ui import (
    entity,
    forget_saves,
    open_story_id,
    open_studio,
    record_saves,
    saved_after,
    screenshot,
    stored_story,
    wait_saved,
)

CHAPTER = "pool-of-tears"
TITLE = "The Pool of Tears"
INDEX = 1  # its position in the Alice demo
TYPED = "Down the rabbit hole"
DRAFT = (
    "Curiouser and curiouser cried Alice and for the moment she quite forgot how to speak "
    "good English and now she was opening out like the largest telescope that ever was"
)


def _draft(page: Page) -> str:
    value: str = (
        entity(page, "chapter", CHAPTER).get_by_role("textbox", name="Draft text").input_value()
    )
    return value


def _type_draft(page: Page, text: str) -> None:
    draft = entity(page, "chapter", CHAPTER).get_by_role("textbox", name="Draft text")
    draft.click()
    forget_saves(page)
    page.keyboard.type(text, delay=20)
    wait_saved(page)
    draft.blur()


def test_undo_after_typing_a_long_draft_removes_the_last_words_not_the_draft(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    db = f"e2e-undo-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db=db))
    story_id = open_story_id(page)
    _type_draft(page, DRAFT)
    assert stored_story(page, db, story_id)["blueprint"]["chapters"][INDEX]["draft_text"] == DRAFT

    undo = page.get_by_test_id("undo")
    expect(undo).to_have_attribute("aria-label", f"Undo: draft of '{TITLE}'")
    expect(undo).to_have_attribute("title", f"Undo: draft of '{TITLE}' (Ctrl+Z)")
    saved_after(page, undo.click)
    after = _draft(page)
    # The last word (or the last few, typed within one reply) went; the draft stayed.
    assert after != DRAFT
    assert DRAFT.startswith(after)
    assert len(after.split()) >= len(DRAFT.split()) - 3, after
    screenshot(page, "undo-01-last-words")
    # Undo again: more words go, one step at a time, never the whole draft at once.
    saved_after(page, undo.click)
    again = _draft(page)
    assert after.startswith(again)
    assert again != after
    assert len(again.split()) >= len(DRAFT.split()) - 6, again
    redo = page.get_by_test_id("redo")
    expect(redo).to_have_attribute("aria-label", f"Redo: draft of '{TITLE}'")
    saved_after(page, redo.click)
    assert _draft(page) == after
    assert guarded.guard.foreign == []


def test_undo_history_survives_a_reload(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    db = f"e2e-undo-reload-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db=db))
    story_id = open_story_id(page)
    _type_draft(page, TYPED)

    page.reload()
    wait_until_ready(page)
    assert open_story_id(page) == story_id
    undo = page.get_by_test_id("undo")
    expect(undo).to_be_enabled()
    expect(undo).to_have_attribute("aria-label", f"Undo: draft of '{TITLE}'")
    saved_after(page, undo.click)
    # The last word went (with the end of the one before when a send carried both: a send
    # that starts a word starts a step), the draft stayed.
    after = _draft(page)
    assert TYPED.startswith(after)
    assert after != TYPED
    assert after.startswith("Down the"), after
    stored = stored_story(page, db, story_id)["blueprint"]["chapters"][INDEX]["draft_text"]
    assert stored == after
    screenshot(page, "undo-02-after-reload")

    # And the undone step is a redo step after the next reload.
    page.reload()
    wait_until_ready(page)
    redo = page.get_by_test_id("redo")
    expect(redo).to_be_enabled()
    saved_after(page, redo.click)
    assert _draft(page) == TYPED
    assert guarded.guard.foreign == []
