"""The Markdown story bible: every section, chapters in writing order, drafts included."""

from __future__ import annotations

from story_gen.core import StoryBlueprint, load_blueprint, to_markdown
from tests.core.samples import base


def test_the_bible_has_every_section_in_order() -> None:
    bp = load_blueprint(base())
    text = to_markdown(bp, title="Alice")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Alice",
        "## Premise",
        "## Canon",
        "## Themes",
        "## Characters",
        "### `alice`",
        "### `bob`",
        "## Chapters",
        "### 1. opening (`opening`)",
        "### 2. middle (`middle`)",
        "### 3. ending (`ending`)",
    ]
    assert "A girl follows a rabbit." in text
    assert "- Nothing is as it seems." in text
    assert "  - `bob`: brother" in text
    assert "- Appears in 2 chapter(s): first `opening`, last `ending`" in text
    assert "Finally." in text
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_themes_by_priority_and_chapters_in_writing_order() -> None:
    doc = base()
    doc["chapters"].reverse()  # ending, middle, opening: writing order undoes it
    doc["themes"].append({"key": "war", "priority": 10})
    text = to_markdown(load_blueprint(doc, strict=False))
    assert text.startswith("# Story bible\n")
    assert text.index("**`war`**") < text.index("**`hope`**") < text.index("**`loss`**")
    assert text.index("1. opening") < text.index("2. middle") < text.index("3. ending")


def test_an_empty_blueprint_and_a_blocked_chapter() -> None:
    assert "_No premise yet._" in to_markdown(StoryBlueprint())
    assert "_No chapters yet._" in to_markdown(StoryBlueprint())
    bp = StoryBlueprint.model_validate(
        {"chapters": [{"key": "a", "prerequisites": ["b"]}, {"key": "b", "prerequisites": ["a"]}]}
    )
    text = to_markdown(bp)
    assert text.count("> **Blocked:**") == 2
    assert "_No draft yet._" in text
