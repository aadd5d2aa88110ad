"""Every kind of field a writer can edit, through the UI, on both servers; then a reload keeps
every edit.

The oracle is the blueprint itself: the test starts from what the studio exports, applies the
same change to a plain copy for each UI action, and at the end compares the whole blueprint
three ways: what the service exports, what IndexedDB holds (read without the studio), and what
the service exports after a reload. A change the UI drops, misroutes or stores twice fails.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.e2e.servers import Site
from tests.e2e.studio import GuardedContext, wait_until_ready
from tests.e2e.ui import (
    commit_text,
    entity,
    export_blueprint,
    open_story_id,
    open_studio,
    saved_after,
    screenshot,
    stored_story,
    submit_text,
)

Blueprint = dict[str, Any]


def find(blueprint: Blueprint, collection: str, key: str) -> dict[str, Any]:
    return next(e for e in blueprint[collection] if e["key"] == key)


def references(blueprint: Blueprint, kind: str, key: str) -> list[str]:
    """Who refers to an entity, as ``"<owner key>:<field>"`` (what the dialogs must list)."""
    found: list[str] = []
    for chapter in blueprint["chapters"]:
        for field in {
            "theme": ["required_themes"],
            "character": ["participating_characters"],
            "chapter": ["prerequisites"],
        }[kind]:
            if key in chapter[field]:
                found.append(f"{chapter['key']}:{field}")
    if kind == "character":
        found += [
            f"{c['key']}:relationships"
            for c in blueprint["characters"]
            if key in c["relationships"]
        ]
    return found


def rename_everywhere(blueprint: Blueprint, kind: str, old: str, new: str) -> None:
    collection = {"theme": "themes", "character": "characters", "chapter": "chapters"}[kind]
    find(blueprint, collection, old)["key"] = new
    field = {
        "theme": "required_themes",
        "character": "participating_characters",
        "chapter": "prerequisites",
    }[kind]
    for chapter in blueprint["chapters"]:
        chapter[field] = [new if k == old else k for k in chapter[field]]
    if kind == "character":
        for character in blueprint["characters"]:
            character["relationships"] = {
                (new if k == old else k): v for k, v in character["relationships"].items()
            }


def remove_everywhere(blueprint: Blueprint, kind: str, key: str) -> None:
    collection = {"theme": "themes", "character": "characters", "chapter": "chapters"}[kind]
    blueprint[collection] = [e for e in blueprint[collection] if e["key"] != key]
    field = {
        "theme": "required_themes",
        "character": "participating_characters",
        "chapter": "prerequisites",
    }[kind]
    for chapter in blueprint["chapters"]:
        chapter[field] = [k for k in chapter[field] if k != key]
    if kind == "character":
        for character in blueprint["characters"]:
            character["relationships"].pop(key, None)


def field_in(card: Locator, name: str) -> Locator:
    return card.get_by_role("textbox", name=name, exact=True)


def pick(page: Page, card: Locator, picker: str, key: str) -> None:
    saved_after(page, lambda: card.get_by_role("combobox", name=picker).select_option(key))


def click_saved(page: Page, button: Locator) -> None:
    saved_after(page, button.click)


def check_reference_dialog(dialog: Locator, expected: list[str]) -> None:
    """The dialog lists exactly the references the blueprint has (owner keys, field names)."""
    items = dialog.get_by_test_id("reference-list").locator("li")
    expect(items).to_have_count(len(expected))
    texts = items.all_inner_texts()
    for reference in expected:
        owner, field = reference.split(":")
        words = field.replace("_", " ")
        assert any(owner in t and words in t for t in texts), (reference, texts)


def edit_premise_and_canon(page: Page, expected: Blueprint, tag: str) -> None:
    premise = "A bored girl follows a rabbit, and a test suite follows her into every field."
    commit_text(page, page.get_by_role("textbox", name="Premise", exact=True), premise)
    expected["premise"] = premise

    rules: list[str] = expected["canon_rules"]
    added = "Cats may grin without their bodies."
    submit_text(page, page.get_by_role("textbox", name="New canon rule"), added)
    rules.append(added)
    edited = "No one in Wonderland admits their logic is absurd, not even the narrator."
    commit_text(page, page.get_by_role("textbox", name="Canon rule 2", exact=True), edited)
    rules[1] = edited
    click_saved(page, page.get_by_role("button", name="Remove Canon rule 3", exact=True))
    del rules[2]
    click_saved(page, page.get_by_role("button", name=f"Move Canon rule {len(rules)} up"))
    rules[-1], rules[-2] = rules[-2], rules[-1]
    for i, rule in enumerate(rules, start=1):
        expect(page.get_by_role("textbox", name=f"Canon rule {i}", exact=True)).to_have_value(rule)
    screenshot(page, f"{tag}-editor-01-premise-and-canon")


def edit_themes(page: Page, expected: Blueprint, tag: str) -> None:
    card = entity(page, "theme", "curiosity")
    statement = "Curiosity opens every door, including the wrong ones."
    commit_text(page, field_in(card, "Statement"), statement)
    saved_after(page, lambda: card.get_by_role("combobox", name="Priority").select_option("10"))
    theme = find(expected, "themes", "curiosity")
    theme["statement"] = statement
    theme["priority"] = 10
    screenshot(page, f"{tag}-editor-02-theme")

    # Rename a key: the dialog previews every reference that will follow, then all of them do.
    card = entity(page, "theme", "growing-up")
    card.get_by_role("button", name="Rename key…").click()
    dialog = page.get_by_test_id("rename-dialog")
    refs = references(expected, "theme", "growing-up")
    assert len(refs) >= 2
    check_reference_dialog(dialog, refs)
    dialog.get_by_role("textbox", name=re.compile("New key for")).fill("Coming-Of-Age")
    screenshot(page, f"{tag}-editor-03-rename-key-preview")
    click_saved(
        page, dialog.get_by_role("button", name=f"Rename and update {len(refs)} references")
    )
    expect(dialog).to_be_hidden()
    rename_everywhere(expected, "theme", "growing-up", "coming-of-age")
    expect(page.get_by_test_id("theme-coming-of-age")).to_be_visible()
    expect(page.get_by_test_id("theme-growing-up")).to_have_count(0)


def edit_characters(page: Page, expected: Blueprint, tag: str) -> None:
    card = entity(page, "character", "dodo")
    dodo = find(expected, "characters", "dodo")
    commit_text(page, field_in(card, "Role"), "chairman of the caucus")
    dodo["role"] = "chairman of the caucus"
    commit_text(page, field_in(card, "Motivation"), "To make every race end with prizes.")
    dodo["motivation"] = "To make every race end with prizes."
    # Voice markers: add, edit, reorder.
    submit_text(page, card.get_by_role("textbox", name="New voice marker"), "harrumphs")
    dodo["voice_markers"].append("harrumphs")
    commit_text(page, field_in(card, "Voice marker 1"), "long words, longer speeches")
    dodo["voice_markers"][0] = "long words, longer speeches"
    click_saved(page, card.get_by_role("button", name="Move Voice marker 2 up"))
    dodo["voice_markers"].reverse()
    # Relationships: add one (picked from existing characters), then describe it.
    pick(page, card, "Add a relationship for dodo", "white-rabbit")
    dodo["relationships"]["white-rabbit"] = ""
    commit_text(page, field_in(card, "Relationship with white-rabbit"), "Races him, loses.")
    dodo["relationships"]["white-rabbit"] = "Races him, loses."
    screenshot(page, f"{tag}-editor-04-character")

    # Remove a voice marker and a relationship elsewhere; edit an existing relationship.
    caterpillar = entity(page, "character", "caterpillar")
    click_saved(page, caterpillar.get_by_role("button", name="Remove Voice marker 2"))
    del find(expected, "characters", "caterpillar")["voice_markers"][1]
    duchess = entity(page, "character", "duchess")
    click_saved(
        page, duchess.get_by_role("button", name="Remove the relationship with cheshire-cat")
    )
    del find(expected, "characters", "duchess")["relationships"]["cheshire-cat"]
    bill = entity(page, "character", "bill")
    commit_text(page, field_in(bill, "Relationship with white-rabbit"), "Sent down the chimney.")
    find(expected, "characters", "bill")["relationships"]["white-rabbit"] = "Sent down the chimney."

    # Rename a character: chapters AND relationships follow.
    card = entity(page, "character", "white-rabbit")
    card.get_by_role("button", name="Rename key…").click()
    dialog = page.get_by_test_id("rename-dialog")
    refs = references(expected, "character", "white-rabbit")
    assert any(r.endswith(":relationships") for r in refs)
    check_reference_dialog(dialog, refs)
    dialog.get_by_role("textbox", name=re.compile("New key for")).fill("the-white-rabbit")
    click_saved(
        page, dialog.get_by_role("button", name=f"Rename and update {len(refs)} references")
    )
    rename_everywhere(expected, "character", "white-rabbit", "the-white-rabbit")


def edit_chapters(page: Page, expected: Blueprint, tag: str) -> None:
    card = entity(page, "chapter", "caucus-race")
    chapter = find(expected, "chapters", "caucus-race")
    commit_text(page, field_in(card, "Title"), "A Caucus-Race, Run in Circles")
    chapter["title"] = "A Caucus-Race, Run in Circles"
    commit_text(page, field_in(card, "Objective"), "Everyone wins; Alice pays for the prizes.")
    chapter["objective"] = "Everyone wins; Alice pays for the prizes."
    pick(page, card, "Add to Required themes", "curiosity")
    chapter["required_themes"].append("curiosity")
    click_saved(page, card.get_by_role("button", name="Remove absurd-logic from Required themes"))
    chapter["required_themes"].remove("absurd-logic")
    pick(page, card, "Add to Participating characters", "the-white-rabbit")
    chapter["participating_characters"].append("the-white-rabbit")
    click_saved(page, card.get_by_role("button", name="Remove dodo from Participating characters"))
    chapter["participating_characters"].remove("dodo")
    pick(page, card, "Add to Prerequisites", "down-the-rabbit-hole")
    chapter["prerequisites"].append("down-the-rabbit-hole")
    click_saved(
        page, card.get_by_role("button", name=re.compile(r"^Remove pool-of-tears\b.*Prerequisites"))
    )
    chapter["prerequisites"].remove("pool-of-tears")
    draft = "They ran in circles until they were dry, and then everyone had won."
    commit_text(page, field_in(card, "Draft text"), draft)
    chapter["draft_text"] = draft
    expect(card).to_contain_text(f"{len(draft.split())} words")
    screenshot(page, f"{tag}-editor-05-chapter")

    # Add a chapter through the dialog (key suggested from the title, then chosen).
    page.get_by_test_id("section-chapters").get_by_role("button", name="+ Add chapter").click()
    dialog = page.get_by_test_id("add-entity-dialog")
    dialog.get_by_role("textbox", name="Title").fill("The QA Interlude")
    key_field = dialog.get_by_role("textbox", name="Key")
    expect(key_field).to_have_value("the-qa-interlude")
    key_field.fill("qa-interlude")
    screenshot(page, f"{tag}-editor-06-add-chapter")
    click_saved(page, dialog.get_by_role("button", name="Add chapter"))
    expected["chapters"].append(
        {
            "key": "qa-interlude",
            "title": "The QA Interlude",
            "objective": "",
            "required_themes": [],
            "participating_characters": [],
            "prerequisites": [],
            "draft_text": None,
        }
    )
    added = entity(page, "chapter", "qa-interlude")
    commit_text(page, field_in(added, "Objective"), "A pause to check that nothing was lost.")
    find(expected, "chapters", "qa-interlude")["objective"] = (
        "A pause to check that nothing was lost."
    )
    pick(page, added, "Add to Prerequisites", "alices-evidence")
    find(expected, "chapters", "qa-interlude")["prerequisites"].append("alices-evidence")

    # Reorder: the new chapter moves up one place.
    click_saved(page, added.get_by_role("button", name="↑ Move up"))
    moved = expected["chapters"].pop()
    expected["chapters"].insert(len(expected["chapters"]) - 1, moved)
    keys = page.get_by_test_id("section-chapters").locator('[data-testid^="chapter-"]')
    expect(keys.nth(len(expected["chapters"]) - 2)).to_have_attribute(
        "data-testid", "chapter-qa-interlude"
    )

    # Delete: the dialog shows what refers to the entity first.
    card = entity(page, "character", "mouse")
    card.get_by_role("button", name="Delete…").click()
    dialog = page.get_by_test_id("delete-dialog")
    refs = references(expected, "character", "mouse")
    assert len(refs) >= 2
    check_reference_dialog(dialog, refs)
    expect(dialog.get_by_role("checkbox", name=re.compile("Also remove these"))).to_be_checked()
    screenshot(page, f"{tag}-editor-07-delete-shows-references")
    click_saved(page, dialog.get_by_role("button", name="Delete character"))
    remove_everywhere(expected, "character", "mouse")
    expect(page.get_by_test_id("character-mouse")).to_have_count(0)


def test_edit_every_kind_of_field_and_reload_keeps_every_edit(
    site: Site, site_context: Callable[..., GuardedContext]
) -> None:
    guarded = site_context()
    page = guarded.context.new_page()
    db = f"e2e-edit-{uuid.uuid4().hex[:8]}"
    open_studio(page, site.studio_url(db))
    story_id = open_story_id(page)
    expected = copy.deepcopy(export_blueprint(page, story_id))

    edit_premise_and_canon(page, expected, site.name)
    edit_themes(page, expected, site.name)
    edit_characters(page, expected, site.name)
    edit_chapters(page, expected, site.name)

    assert export_blueprint(page, story_id) == expected
    assert stored_story(page, db, story_id)["blueprint"] == expected

    page.reload()
    wait_until_ready(page)
    assert open_story_id(page) == story_id
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    assert export_blueprint(page, story_id) == expected
    expect(page.get_by_role("textbox", name="Premise", exact=True)).to_have_value(
        expected["premise"]
    )
    for i, rule in enumerate(expected["canon_rules"], start=1):
        expect(page.get_by_role("textbox", name=f"Canon rule {i}", exact=True)).to_have_value(rule)
    chapter = entity(page, "chapter", "caucus-race")
    expect(field_in(chapter, "Draft text")).to_have_value(
        find(expected, "chapters", "caucus-race")["draft_text"]
    )
    expect(page.get_by_test_id("theme-coming-of-age")).to_be_visible()
    expect(page.get_by_test_id("character-mouse")).to_have_count(0)
    screenshot(page, f"{site.name}-editor-08-after-reload", full_page=True)
    assert guarded.guard.foreign == []
