"""story-gen diff / merge: sentences or patches, merged files, conflicts listed, exit statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from story_gen.core import Patch, Story, StoryBlueprint, apply_patch, load_story
from tests.cli.conftest import Run

Write = Callable[[str, Any], Path]


def alice(samples: list[Path]) -> dict[str, Any]:
    [path] = [p for p in samples if p.name == "alice-in-wonderland.json"]
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


def chapter(raw: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in raw["chapters"] if c["key"] == key)
    return found


def story(blueprint: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "story_id": "00000000-0000-4000-8000-000000000042",
        "title": "Alice",
        "blueprint": blueprint,
        "created_at_utc": "2026-03-01T00:00:00Z",
        "updated_at_utc": "2026-03-01T00:00:00Z",
        **fields,
    }


def edited(raw: dict[str, Any], key: str, **fields: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(raw))
    chapter(copy, key).update(fields)
    return copy


def test_diff_describes_the_changes(run: Run, samples: list[Path], write: Write) -> None:
    raw = alice(samples)
    changed = edited(raw, "mad-tea-party", prerequisites=[])
    changed["themes"][0]["priority"] = 7
    result = run("diff", write("a.json", raw), write("b.json", changed))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "theme `identity`: priority 9 -> 7",
        "chapter `mad-tea-party`: prerequisite `pig-and-pepper` removed",
    ]


def test_diff_json_prints_the_patch_that_turns_a_into_b(
    run: Run, samples: list[Path], write: Write
) -> None:
    raw = alice(samples)
    changed = edited(raw, "caucus-race", objective="Get dry at last.")
    result = run("diff", write("a.json", raw), write("b.json", changed), "--json")
    assert result.exit_code == 0
    patch = Patch.model_validate_json(result.stdout)
    assert len(patch.ops) == 1
    before, after = StoryBlueprint.model_validate(raw), StoryBlueprint.model_validate(changed)
    assert apply_patch(before, patch) == after


def test_diff_of_equal_files_and_of_a_story_against_its_blueprint(
    run: Run, samples: list[Path], write: Write
) -> None:
    raw = alice(samples)
    [path] = [p for p in samples if p.name == "alice-in-wonderland.json"]
    assert run("diff", path, path).stdout == "no differences\n"
    result = run("diff", write("story.json", story(raw)), path)
    assert result.exit_code == 0
    assert result.stdout == "no differences\n"
    assert "comparing the blueprints only" in result.stderr


def test_diff_of_an_unreadable_file_exits_2_without_a_traceback(
    run: Run, samples: list[Path], write: Write
) -> None:
    missing = run("diff", samples[0], "nowhere.json")
    assert missing.exit_code == 2
    assert "nowhere.json: no such file" in missing.stderr
    broken = run("diff", samples[0], write("broken.json", '{"premise": '))
    assert broken.exit_code == 2
    assert "broken.json:1:" in broken.stderr
    duplicate = write("dup.json", {"chapters": [{"key": "a"}, {"key": "A"}]})
    result = run("diff", samples[0], duplicate)
    assert result.exit_code == 2
    assert "key.duplicate" in result.stderr
    assert "Traceback" not in missing.stderr + broken.stderr + result.stderr


def test_merge_of_non_overlapping_edits_is_clean(
    run: Run, samples: list[Path], write: Write, tmp_path: Path
) -> None:
    raw = alice(samples)
    ours = edited(raw, "caucus-race", objective="Get dry at last.")
    theirs = edited(raw, "little-bill", title="Bill goes up the chimney")
    out = tmp_path / "merged.json"
    result = run(
        "merge",
        write("base.json", raw),
        write("ours.json", ours),
        write("theirs.json", theirs),
        "-o",
        out,
    )
    assert result.exit_code == 0, result.stderr
    merged = json.loads(out.read_text(encoding="utf-8"))
    assert chapter(merged, "caucus-race")["objective"] == "Get dry at last."
    assert chapter(merged, "little-bill")["title"] == "Bill goes up the chimney"
    assert result.stdout == ""


def test_merge_with_conflicts_exits_1_lists_them_and_writes_the_story_carrying_them(
    run: Run, samples: list[Path], write: Write, tmp_path: Path
) -> None:
    raw = alice(samples)
    ours = story(edited(raw, "caucus-race", objective="Get dry at last."))
    theirs = story(edited(raw, "caucus-race", objective="Run in circles."))
    out = tmp_path / "merged.json"
    result = run(
        "merge",
        write("b.json", story(raw)),
        write("o.json", ours),
        write("t.json", theirs),
        "-o",
        out,
    )
    assert result.exit_code == 1
    assert "[value] chapters[caucus-race].objective" in result.stderr
    assert '"Get dry at last."' in result.stderr
    assert '"Run in circles."' in result.stderr
    merged = load_story(json.loads(out.read_text(encoding="utf-8")))
    [conflict] = merged.conflicts
    assert conflict.path == "chapters[caucus-race].objective"
    assert {conflict.ours, conflict.theirs} == {"Get dry at last.", "Run in circles."}


def test_merge_to_stdout_and_introduced_errors(run: Run, samples: list[Path], write: Write) -> None:
    raw = alice(samples)
    ours = json.loads(json.dumps(raw))
    ours["chapters"] = [c for c in ours["chapters"] if c["key"] != "alices-evidence"]
    theirs = edited(raw, "who-stole-the-tarts", prerequisites=["alices-evidence"])
    result = run("merge", write("b.json", raw), write("o.json", ours), write("t.json", theirs))
    assert result.exit_code == 1
    merged = StoryBlueprint.model_validate_json(result.stdout)
    assert "alices-evidence" in chapter(merged.model_dump(), "who-stole-the-tarts")["prerequisites"]
    assert "the merge introduced these errors" in result.stderr
    assert "chapter.unknown_prerequisite" in result.stderr


def test_merge_refuses_mixed_kinds_and_different_stories(
    run: Run, samples: list[Path], write: Write
) -> None:
    raw = alice(samples)
    mixed = run("merge", write("b.json", raw), write("o.json", story(raw)), write("t.json", raw))
    assert mixed.exit_code == 2
    assert "three blueprints or three Stories" in mixed.stderr
    other = story(raw, story_id="00000000-0000-4000-8000-000000000043")
    strangers = run(
        "merge", write("b.json", story(raw)), write("o.json", story(raw)), write("t.json", other)
    )
    assert strangers.exit_code == 2
    assert "not versions of one story" in strangers.stderr
    unreadable = run("merge", samples[0], samples[0], "nowhere.json")
    assert unreadable.exit_code == 2
    assert "Traceback" not in mixed.stderr + strangers.stderr + unreadable.stderr
    assert isinstance(load_story(story(raw)), Story)
