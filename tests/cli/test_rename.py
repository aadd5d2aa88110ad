"""story-gen rename: a key renamed everywhere, what changed printed, refusals write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from story_gen.core import diagnose, load_blueprint, load_story
from tests.cli.conftest import Run
from tests.core.samples import base


def test_renaming_a_character_rewrites_every_reference_and_says_where(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    path = write("story.json", base())
    result = run("rename", path, "Bob", "robert")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f'{path}: character "bob" is now "robert"; 3 references rewritten:',
        "  character `alice` (relationship)",
        "  chapter `middle` (participating character)",
        "  chapter `ending` (participating character)",
    ]
    renamed = load_blueprint(json.loads(path.read_text(encoding="utf-8")))
    assert [c.key for c in renamed.characters] == ["alice", "robert"]
    assert renamed.characters[0].relationships == {"robert": "brother"}
    assert renamed.chapters[2].participating_characters == ["alice", "robert"]
    assert diagnose(renamed.model_dump(mode="json")) == []
    assert "bob" not in path.read_text(encoding="utf-8")


def test_dry_run_prints_the_same_and_writes_nothing(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    path = write("story.json", base())
    before = path.read_bytes()
    result = run("rename", path, "opening", "start", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f'{path}: chapter "opening" would become "start"; 1 reference to rewrite:',
        "  chapter `middle` (prerequisite)",
        "(dry run: nothing written)",
    ]
    assert path.read_bytes() == before


def test_a_story_file_is_renamed_inside_its_blueprint(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    story = {
        "story_id": "00000000-0000-4000-8000-000000000001",
        "title": "Alice",
        "blueprint": base(),
        "created_at_utc": "2026-01-01T00:00:00Z",
        "updated_at_utc": "2026-01-01T00:00:00Z",
    }
    path = write("story.json", story)
    result = run("rename", path, "hope", "faith")
    assert result.exit_code == 0, result.output
    renamed = load_story(json.loads(path.read_text(encoding="utf-8")))
    assert [t.key for t in renamed.blueprint.themes] == ["faith", "loss"]
    assert renamed.blueprint.chapters[2].required_themes == ["faith", "loss"]
    assert renamed.title == "Alice"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("alcie", "x"),
            'No theme, character or chapter has the key "alcie". Did you mean "alice"?',
        ),
        (("alice", "bob"), 'A character with the key "bob" already exists; pick another key.'),
        (("alice", "two words"), 'The new key "two words" is not a valid key'),
        (
            ("alice", "9"),
            "The new key \"9\" is not a valid key: it starts with '9'; use lowercase letters, "
            "digits, - or _, starting with a letter, e.g. k-9.",
        ),
        (("twin", "x"), '"twin" is the key of a theme and a chapter; say which to rename'),
        (("alice", "x", "--kind", "theme"), 'There is no theme with the key "alice".'),
    ],
)
def test_refusals_are_clear_exit_1_and_write_nothing(
    run: Run, write: Callable[[str, Any], Path], args: tuple[str, ...], message: str
) -> None:
    doc = base()
    doc["themes"].append({"key": "twin"})
    doc["chapters"].append({"key": "twin", "required_themes": ["twin"]})
    path = write("story.json", doc)
    before = path.read_bytes()
    result = run("rename", path, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"story-gen: {path}: {message}")
    assert result.stderr.rstrip().endswith("Nothing was written.")
    assert path.read_bytes() == before


def test_kind_picks_one_of_two_entities_sharing_a_key(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    doc = base()
    doc["themes"].append({"key": "twin"})
    doc["chapters"].append({"key": "twin", "required_themes": ["twin"]})
    path = write("story.json", doc)
    result = run("rename", path, "twin", "coda", "--kind", "chapter")
    assert result.exit_code == 0, result.output
    renamed = load_blueprint(json.loads(path.read_text(encoding="utf-8")))
    assert [t.key for t in renamed.themes][-1] == "twin"
    assert renamed.chapters[-1].key == "coda"
    assert renamed.chapters[-1].required_themes == ["twin"]


def test_a_file_with_errors_is_not_renamed(run: Run, write: Callable[[str, Any], Path]) -> None:
    doc = base()
    doc["chapters"][0]["prerequisites"] = ["nowhere"]
    path = write("story.json", doc)
    before = path.read_bytes()
    result = run("rename", path, "hope", "faith")
    assert result.exit_code == 1
    assert "chapter.unknown_prerequisite" in result.stderr
    assert f"{path}: not renamed: fix the errors above first" in result.stderr
    assert path.read_bytes() == before


def test_an_unreadable_file_exits_2(run: Run, tmp_path: Path) -> None:
    result = run("rename", tmp_path / "missing.json", "a", "b")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_renaming_to_the_same_key_changes_nothing(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    path = write("story.json", base())
    before = path.read_bytes()
    result = run("rename", path, "hope", "HOPE")
    assert result.exit_code == 0
    assert "already has the key" in result.stdout
    assert path.read_bytes() == before
