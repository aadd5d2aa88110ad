"""describe(patch): one sentence per changed thing, naming it first."""

from __future__ import annotations

from typing import Any

from story_gen.core import StoryBlueprint, describe, diff


def blueprint(**changes: Any) -> StoryBlueprint:
    raw: dict[str, Any] = {
        "premise": "A girl follows a rabbit.",
        "canon_rules": ["Size changes only by eating or drinking."],
        "themes": [{"key": "identity", "priority": 9}],
        "characters": [
            {
                "key": "alice",
                "voice_markers": ["polite"],
                "relationships": {"hatter": "puzzled by"},
            },
            {"key": "hatter"},
        ],
        "chapters": [
            {"key": "pig-and-pepper", "objective": "Hold the baby."},
            {
                "key": "mad-tea-party",
                "objective": "Endure the tea party.",
                "prerequisites": ["pig-and-pepper"],
                "draft_text": "one\ntwo",
            },
        ],
    }
    raw.update(changes)
    return StoryBlueprint.model_validate(raw)


BASE = blueprint()


def said(**changes: Any) -> list[str]:
    return describe(diff(BASE, blueprint(**changes)))


def test_the_issue_example() -> None:
    raw = BASE.model_dump(mode="json")
    raw["chapters"][1]["prerequisites"] = []
    raw["themes"][0]["priority"] = 7
    assert describe(diff(BASE, StoryBlueprint.model_validate(raw))) == [
        "theme `identity`: priority 9 -> 7",
        "chapter `mad-tea-party`: prerequisite `pig-and-pepper` removed",
    ]


def test_changes_to_one_entity_share_a_sentence() -> None:
    raw = BASE.model_dump(mode="json")
    chapter = raw["chapters"][1]
    chapter.update(objective="Leave the party.", draft_text="one\nTWO\nthree")
    chapter["required_themes"] = ["identity"]
    assert describe(diff(BASE, StoryBlueprint.model_validate(raw))) == [
        'chapter `mad-tea-party`: objective "Endure the tea party." -> "Leave the party."; '
        "required theme `identity` added; draft edited (2 lines added, 1 removed)"
    ]


def test_entities_added_removed_and_moved() -> None:
    pig, tea = BASE.chapters
    new = StoryBlueprint.model_validate({"chapters": [{"key": "croquet"}]}).chapters[0]
    assert describe(diff(BASE, BASE.model_copy(update={"chapters": [tea, new]}))) == [
        "chapter `pig-and-pepper`: removed",
        "chapter `croquet`: added after `mad-tea-party`",
    ]
    assert describe(diff(BASE, BASE.model_copy(update={"chapters": [tea, pig]}))) == [
        "chapter `mad-tea-party`: moved to the start"
    ]


def test_premise_canon_rules_characters_and_long_texts() -> None:
    long = "A very long premise " * 10
    assert said(premise=long.strip())[0].startswith(
        'premise: "A girl follows a rabbit." -> "A very long'
    )
    assert said(premise=long.strip())[0].endswith('…"')
    assert said(
        canon_rules=["Size changes only by eating or drinking.", "Nobody admits nonsense."]
    ) == ['canon rules: "Nobody admits nonsense." added']
    raw = BASE.model_dump(mode="json")
    raw["characters"][0]["relationships"] = {"hatter": "fond of", "queen": "afraid of"}
    raw["characters"][0]["voice_markers"] = []
    assert describe(diff(BASE, StoryBlueprint.model_validate(raw))) == [
        'character `alice`: voice marker "polite" removed; relationship with `hatter` '
        '"puzzled by" -> "fond of"; relationship with `queen` added ("afraid of")'
    ]


def test_an_empty_patch_says_nothing() -> None:
    assert describe(diff(BASE, BASE)) == []


def test_story_level_changes_title_and_conflicts() -> None:
    from datetime import UTC, datetime
    from uuid import UUID

    from story_gen.core import Story, merge, resolve

    def story(document: StoryBlueprint, title: str = "Alice") -> Story:
        now = datetime(2026, 3, 1, tzinfo=UTC)
        return Story.new(story_id=UUID(int=1), title=title, blueprint=document, now=now)

    raw = BASE.model_dump(mode="json")
    raw["premise"] = "A girl falls."
    ours = story(StoryBlueprint.model_validate(raw))
    raw["premise"] = "A girl dreams."
    theirs = story(StoryBlueprint.model_validate(raw), title="Wonderland")
    merged = merge(story(BASE), ours, theirs).merged
    [conflict] = merged.conflicts
    assert describe(diff(story(BASE), merged)) == [
        'title: "Alice" -> "Wonderland"',
        f'premise: "A girl follows a rabbit." -> "{"A girl dreams." if conflict.provisional == "theirs" else "A girl falls."}"',
        f"conflicts: `{conflict.conflict_id}` recorded at premise",
    ]
    assert describe(diff(merged, resolve(merged, conflict.conflict_id, "ours")))[-1] == (
        f"conflicts: `{conflict.conflict_id}` resolved"
    )
