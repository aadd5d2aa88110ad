"""Importing: the core's diagnostics are shown BEFORE anything is stored.

A broken file gets a clear error (what, where) and changes nothing, neither the library on
screen nor a single record in IndexedDB. A file with only warnings is shown with its warnings
and still nothing is stored: Cancel leaves everything as it was, Import stores it. A good file
imports the same way (the control)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable

from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.e2e.studio import REPO, GuardedContext, wait_until_ready
from tests.e2e.ui import (
    blueprint_of,
    entity,
    idb_dump,
    open_story_id,
    open_studio,
    record_saves,
    saved_after,
    screenshot,
)

FIXTURES = REPO / "tests" / "fixtures" / "blueprints"

BROKEN = {
    # Cut off mid-document: the error says where (line and column).
    "truncated.json": '{\n  "premise": "A story",\n  "themes": [\n    {"key": "hope",',
    # Valid JSON, wrong shapes: a number for text, a bad key, a priority out of range.
    "wrong-types.json": json.dumps(
        {
            "premise": 42,
            "themes": [{"key": "Not A Key!", "statement": "x", "priority": 11}],
            "chapters": "one, two, three",
        }
    ),
    # A field the contract does not have, and a key used twice.
    "unknown-field-duplicate-key.json": json.dumps(
        {
            "premise": "Two themes, one key.",
            "themes": [{"key": "hope", "statement": "a"}, {"key": "hope", "statement": "b"}],
            "chapterz": [],
        }
    ),
    # Not a blueprint at all.
    "a-list.json": "[1, 2, 3]",
    "empty.json": "",
}


def import_file(page: Page, name: str, content: str) -> None:
    payload = FilePayload(name=name, mimeType="application/json", buffer=content.encode())
    page.get_by_test_id("import-file").set_input_files(files=[payload])


def library_rows(page: Page) -> list[str]:
    rows = page.get_by_test_id("story-row")
    return sorted(rows.all_inner_texts())


def test_a_broken_file_is_refused_clearly_and_changes_nothing(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    page = guarded.context.new_page()
    db = f"e2e-import-{uuid.uuid4().hex[:8]}"
    open_studio(page, studio_url(db=db, hash_route="#/"))
    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_test_id("story-row")).to_have_count(2)
    rows_before = library_rows(page)
    stored_before = idb_dump(page, db)

    for name, content in BROKEN.items():
        import_file(page, name, content)
        report = page.get_by_test_id("import-report")
        expect(report).to_be_visible()
        expect(report.get_by_role("heading", name=f"{name} was not imported")).to_be_visible()
        expect(report.get_by_role("alert")).to_contain_text("nothing was stored")
        problems = report.get_by_test_id("import-diagnostics").locator("li")
        expect(problems.first).to_be_visible()
        # Every problem says where (a path, or "(whole file)") and what is wrong.
        for text in problems.all_inner_texts():
            where, _, what = text.partition(" — ")
            assert where.strip(), f"{name}: a problem without a place: {text!r}"
            assert len(what.strip()) > 10, f"{name}: a problem without an explanation: {text!r}"
        if name == "truncated.json":
            expect(report).to_contain_text(re.compile(r"line \d+", re.IGNORECASE))
        if name == "wrong-types.json":
            expect(report).to_contain_text("premise")
            expect(report).to_contain_text("priority")
        screenshot(page, f"import-refused-{name.removesuffix('.json')}")
        report.get_by_role("button", name="Close").first.click()
        expect(report).to_be_hidden()
        # Nothing changed, on screen or in storage.
        assert library_rows(page) == rows_before, name
        assert idb_dump(page, db) == stored_before, name

    # Still nothing after a reload.
    page.reload()
    wait_until_ready(page)
    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_test_id("story-row")).to_have_count(2)
    assert library_rows(page) == rows_before
    assert idb_dump(page, db) == stored_before

    # Warnings only: shown first, nothing stored until the writer says Import.
    warned = json.dumps(
        {
            "premise": "A lighthouse keeper finds a letter.",
            "themes": [
                {"key": "solitude", "statement": "Being alone is not being lonely."},
                {"key": "unused", "statement": "Nobody needs this theme."},
            ],
            "chapters": [{"key": "letter", "title": "The letter", "required_themes": ["solitude"]}],
        }
    )
    for choice in ("Cancel", "Import"):
        import_file(page, "lighthouse.json", warned)
        report = page.get_by_test_id("import-report")
        expect(report.get_by_role("heading", name="Import lighthouse.json?")).to_be_visible()
        expect(report.get_by_role("status")).to_contain_text("Nothing is stored yet")
        warnings = report.get_by_test_id("import-diagnostics")
        expect(warnings.get_by_role("heading", name=re.compile(r"^Warnings"))).to_be_visible()
        expect(warnings).to_contain_text("themes[1]")
        # The review itself stored nothing.
        assert library_rows(page) == rows_before
        assert idb_dump(page, db) == stored_before
        if choice == "Cancel":
            screenshot(page, "import-review-warnings")
            report.get_by_role("button", name="Cancel").click()
            expect(report).to_be_hidden()
            assert library_rows(page) == rows_before
            assert idb_dump(page, db) == stored_before
        else:
            report.get_by_role("button", name="Import", exact=True).click()
            expect(report).to_be_hidden()
            story_id = open_story_id(page)
            expect(page.get_by_test_id("story-title")).to_have_value("Lighthouse")
            expect(page.get_by_test_id("problems-warning")).to_be_visible()
            assert story_id in {key for key, _ in idb_dump(page, db)["summaries"]}

    # The control: a good blueprint file, reviewed, then imported and opened.
    good = (FIXTURES / "a-christmas-carol.json").read_text(encoding="utf-8")
    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_test_id("story-row")).to_have_count(3)
    stored_with_lighthouse = idb_dump(page, db)
    import_file(page, "a-christmas-carol.json", good)
    report = page.get_by_test_id("import-report")
    expect(report.get_by_role("heading", name="Import a-christmas-carol.json?")).to_be_visible()
    assert idb_dump(page, db) == stored_with_lighthouse
    report.get_by_role("button", name="Import", exact=True).click()
    open_story_id(page)
    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_test_id("story-row")).to_have_count(4)
    assert idb_dump(page, db) != stored_with_lighthouse
    assert guarded.guard.foreign == []


# ------------------------------------------------------------------ round trips (issue 11: 1, 2)


def row_of(page: Page, title: str) -> Locator:
    return page.get_by_test_id("story-row").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )


def row_action(page: Page, title: str, action: str) -> None:
    row = row_of(page, title)
    row.locator("summary").click()
    row.get_by_role("button", name=action, exact=True).click()


def download(page: Page, click: Callable[[], None]) -> tuple[str, bytes]:
    with page.expect_download() as info:
        click()
    path = info.value.path()
    return info.value.suggested_filename, path.read_bytes()


def import_bytes(page: Page, name: str, content: bytes, mime: str) -> Locator:
    payload = FilePayload(name=name, mimeType=mime, buffer=content)
    page.get_by_test_id("import-file").set_input_files(files=[payload])
    report = page.get_by_test_id("import-report")
    expect(report).to_be_visible()
    return report


def titles(page: Page) -> list[str]:
    return sorted(page.get_by_test_id("story-row").locator("a.story-title").all_inner_texts())


def test_a_story_with_problems_and_the_whole_library_round_trip(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    open_studio(page, studio_url(hash_route="#/"))
    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_test_id("story-row")).to_have_count(2)
    alice = "Alice's Adventures in Wonderland"
    broken = f"{alice} (copy)"
    row_action(page, alice, "Duplicate")
    row_action(page, "A Christmas Carol", "Duplicate")
    expect(page.get_by_test_id("story-row")).to_have_count(4)

    # Break a reference in the copy: delete a theme and keep what refers to it.
    row_of(page, broken).get_by_role("link", name=broken).click()
    copy_id = open_story_id(page)
    blueprint = blueprint_of(page)
    referring = [c["key"] for c in blueprint["chapters"] if "identity" in c["required_themes"]]
    entity(page, "theme", "identity").get_by_role("button", name="Delete…").click()
    dialog = page.get_by_test_id("delete-dialog")
    dialog.get_by_role("checkbox", name=re.compile("Also remove these")).uncheck()
    saved_after(page, dialog.get_by_role("button", name="Delete theme").click)
    expect(page.get_by_test_id("problems-error")).to_be_visible()

    # Export JSON carries the title and the story's identity.
    page.get_by_role("link", name="Library").first.click()
    story_file, story_bytes = download(page, lambda: row_action(page, broken, "Export JSON"))
    exported = json.loads(story_bytes)
    assert exported["title"] == broken
    assert exported["story_id"] == copy_id
    archive_file, archive_bytes = download(
        page, lambda: page.get_by_role("button", name="Download all (.zip)").click()
    )
    archive_titles = titles(page)
    assert len(archive_titles) == 4

    # Another library (a fresh database: the demos only).
    other = guarded.context.new_page()
    open_studio(other, studio_url(hash_route="#/"))
    other.get_by_role("link", name="Library").first.click()
    expect(other.get_by_test_id("story-row")).to_have_count(2)

    # 1. A story with an error is shown with it, and imported on the writer's word.
    report = import_bytes(other, story_file, story_bytes, "application/json")
    expect(report.get_by_role("heading", name=f"Import {story_file}?")).to_be_visible()
    expect(report.get_by_role("status")).to_contain_text("Nothing is stored yet")
    errors = report.get_by_test_id("import-diagnostics")
    expect(errors.get_by_role("heading", name=re.compile(r"^Errors"))).to_be_visible()
    expect(errors).to_contain_text("identity")
    screenshot(other, "import-review-with-errors")
    report.get_by_role("button", name="Import", exact=True).click()
    expect(report).to_be_hidden()
    assert open_story_id(other) == copy_id
    expect(other.get_by_test_id("story-title")).to_have_value(broken)
    problems = other.get_by_test_id("problems-error").locator(
        'button.problem[data-code="chapter.unknown_theme"]'
    )
    expect(problems).to_have_count(len(referring))
    screenshot(other, "import-imported-with-its-problems")

    # 2. The same story again: replace / keep both / skip; skip makes no duplicate.
    other.get_by_role("link", name="Library").first.click()
    expect(other.get_by_test_id("story-row")).to_have_count(3)
    report = import_bytes(other, story_file, story_bytes, "application/json")
    choice = report.get_by_test_id("import-existing")
    expect(choice).to_contain_text(f"“{broken}” is already in your library")
    for option in ("Replace it", "Keep both", "Skip this story"):
        expect(choice.get_by_role("radio", name=re.compile(option))).to_be_visible()
    expect(choice.get_by_role("radio", name="Skip this story")).to_be_checked()
    screenshot(other, "import-already-there")
    report.get_by_role("button", name="Import", exact=True).click()
    expect(report).to_be_hidden()
    expect(other.get_by_test_id("story-row")).to_have_count(3)
    assert titles(other).count(broken) == 1

    # 2. The whole archive: every story is imported; those already there are skipped.
    report = import_bytes(other, archive_file, archive_bytes, "application/zip")
    expect(report.get_by_role("heading", name=f"Import {archive_file}?")).to_be_visible()
    expect(report.get_by_test_id("import-item")).to_have_count(4)
    expect(report.get_by_test_id("import-existing")).to_have_count(3)
    screenshot(other, "import-archive-review")
    report.get_by_role("button", name="Import", exact=True).click()
    expect(report).to_be_hidden()
    expect(other.get_by_test_id("story-row")).to_have_count(4)
    assert titles(other) == archive_titles
    assert guarded.guard.foreign == []
