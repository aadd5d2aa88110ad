"""Close the browser right after "saved" and reopen it: the edit is there. Twenty times, with a
different edit each time, on one real browser profile (a persistent context on a user-data
dir, so IndexedDB lives on disk exactly as for a writer).

Each reopen checks the last edit twice: in the read-only first paint, straight from IndexedDB
before Python has booted, and through the service once it is ready; it also checks that every
earlier edit is still there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright, expect

from tests.e2e.studio import CHROMIUM_ARGS, OriginGuard, StaticSite, chromium_path, wait_until_ready
from tests.e2e.ui import (
    commit_text,
    entity,
    export_blueprint,
    open_story_id,
    record_saves,
    screenshot,
    submit_text,
)

REPETITIONS = 20
Blueprint = dict[str, Any]


@dataclass(frozen=True)
class Edit:
    """One distinct edit: how to make it in the UI, and how to see it (UI and blueprint)."""

    name: str
    make: Callable[[Page], None]
    shown: Callable[[Page], None]
    stored: Callable[[Blueprint], bool]


def chapter_title(n: int, key: str) -> Edit:
    title = f"Reopened title no. {n}"

    def make(page: Page) -> None:
        card = entity(page, "chapter", key)
        commit_text(page, card.get_by_role("textbox", name="Title", exact=True), title)

    def shown(page: Page) -> None:
        expect(page.get_by_test_id(f"chapter-{key}").locator(".entity-title")).to_have_text(title)

    return Edit(
        f"title of {key}",
        make,
        shown,
        lambda bp: next(c for c in bp["chapters"] if c["key"] == key)["title"] == title,
    )


def canon_rule(n: int) -> Edit:
    rule = f"Rule added before closing no. {n}."

    def make(page: Page) -> None:
        submit_text(page, page.get_by_role("textbox", name="New canon rule"), rule)

    def shown(page: Page) -> None:
        expect(
            page.get_by_test_id("section-canon").locator(f'input[value="{rule}"]')
        ).to_have_count(1)

    return Edit(f"canon rule {n}", make, shown, lambda bp: rule in bp["canon_rules"])


def premise(n: int) -> Edit:
    text = f"A premise rewritten just before the browser closed, take {n}."

    def make(page: Page) -> None:
        commit_text(page, page.get_by_role("textbox", name="Premise", exact=True), text)

    def shown(page: Page) -> None:
        expect(page.get_by_role("textbox", name="Premise", exact=True)).to_have_value(text)

    return Edit(f"premise {n}", make, shown, lambda bp: bp["premise"] == text)


def draft(n: int, key: str) -> Edit:
    text = f"Draft {n}: written, saved, and the window closed at once."

    def make(page: Page) -> None:
        card = entity(page, "chapter", key)
        commit_text(page, card.get_by_role("textbox", name="Draft text", exact=True), text)

    def shown(page: Page) -> None:
        card = entity(page, "chapter", key)
        expect(card.get_by_role("textbox", name="Draft text", exact=True)).to_have_value(text)

    return Edit(
        f"draft of {key}",
        make,
        shown,
        lambda bp: next(c for c in bp["chapters"] if c["key"] == key)["draft_text"] == text,
    )


CHAPTERS = [
    "down-the-rabbit-hole",
    "pool-of-tears",
    "caucus-race",
    "little-bill",
    "caterpillar",
    "pig-and-pepper",
    "mad-tea-party",
    "croquet-ground",
    "mock-turtle-story",
    "lobster-quadrille",
]


def edits() -> list[Edit]:
    """Twenty different edits over four kinds of field; later ones never undo earlier ones
    except the premise, which is rewritten (each version checked on the next reopen)."""
    made: list[Edit] = []
    for n in range(REPETITIONS):
        kind = n % 4
        chapter = CHAPTERS[n // 2 % len(CHAPTERS)]
        if kind == 0:
            made.append(chapter_title(n, chapter))
        elif kind == 1:
            made.append(canon_rule(n))
        elif kind == 2:
            made.append(draft(n, chapter))
        else:
            made.append(premise(n))
    return made


def launch(playwright: Playwright, profile: Path, guard: OriginGuard) -> BrowserContext:
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1280, "height": 800},
    )
    context.on("request", lambda request: guard.record(request.url))
    record_saves(context)
    return context


def test_close_right_after_saved_and_reopen_keeps_the_edit_20_times(
    playwright: Playwright, static_site: StaticSite, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    guard = OriginGuard(static_site.origin)
    db = f"e2e-durable-{uuid.uuid4().hex[:8]}"
    planned = edits()
    assert len({e.name for e in planned}) == REPETITIONS
    done: list[Edit] = []
    route = ""
    for attempt in range(REPETITIONS + 1):
        context = launch(playwright, profile, guard)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(f"{static_site.url}?db={db}{route}")
        if done:
            # The first paint does not wait for Python: while it boots, the story is shown
            # read-only from IndexedDB alone, and the last edit is already in it.
            done[-1].shown(page)
            if page.get_by_test_id("boot-status").get_attribute("data-state") == "booting":
                expect(page.get_by_test_id("starting-banner")).to_be_visible()
        wait_until_ready(page)
        story_id = open_story_id(page)
        route = f"#/story/{story_id}"
        if done:
            done[-1].shown(page)
            blueprint = export_blueprint(page, story_id)
            lost = [e.name for e in done if not e.stored(blueprint) and not superseded(e, done)]
            assert lost == [], f"reopen {attempt}: lost {lost}"
        if attempt == REPETITIONS:
            screenshot(page, "durability-after-20-reopens")
            context.close()
            break
        edit = planned[attempt]
        edit.make(page)  # returns once the UI shows "saved"
        done.append(edit)
        context.close()  # at once: the browser goes away right after "saved"
    assert guard.foreign == []


def superseded(edit: Edit, done: list[Edit]) -> bool:
    """A premise edit is replaced by the next premise edit; only the last one must hold."""
    premises = [e for e in done if e.name.startswith("premise")]
    return edit.name.startswith("premise") and edit is not premises[-1]
