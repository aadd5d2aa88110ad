"""story-gen validate: human and JSON output, exit statuses 0 / 1 / 2, files never written."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.cli.conftest import FIXTURES, Run
from tests.cli.samples import done_when_blueprint


def test_the_sample_blueprints_validate_with_exit_0(run: Run, samples: list[Path]) -> None:
    result = run("validate", *samples)
    assert result.exit_code == 0, result.output
    assert " error " not in result.stdout
    assert result.stderr.startswith(f"{len(samples)} file(s) checked, 0 error(s)")


def test_the_done_when_blueprint_reports_everything_in_one_run(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    path = write("story.json", done_when_blueprint())
    before = path.read_bytes()
    result = run("validate", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{path}:themes[1].key: error key.duplicate: " in "\n".join(lines)
    errors = [line.split(": ")[0:2] for line in lines if ": error " in line]
    assert errors == [
        [f"{path}:themes[1].key", "error key.duplicate"],
        [f"{path}:chapters[0].prerequisites[0]", "error chapter.cycle"],
        [f"{path}:chapters[1].required_themes[0]", "error chapter.unknown_theme"],
        [f"{path}:chapters[1].participating_characters[0]", "error chapter.unknown_character"],
    ]
    assert "a -> c -> b -> a" in result.stdout
    assert '    hint: Did you mean "alice"?' in lines
    assert path.read_bytes() == before


def test_json_output_lists_every_file(
    run: Run, samples: list[Path], write: Callable[[str, Any], Path]
) -> None:
    bad = write("bad.json", done_when_blueprint())
    broken = write("broken.json", '{"premise": "x",\n  "themes": [}')
    result = run("validate", "--json", samples[0], bad, broken)
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [f["status"] for f in report["files"]] == ["ok", "errors", "unreadable"]
    assert report["files"][2]["error"]["line"] == 2
    assert report["files"][2]["error"]["column"] == 14
    codes = [d["code"] for d in report["files"][1]["diagnostics"] if d["severity"] == "error"]
    assert codes == [
        "key.duplicate",
        "chapter.cycle",
        "chapter.unknown_theme",
        "chapter.unknown_character",
    ]
    assert report["summary"]["errors"] == 4
    assert report["exit_code"] == 2


def test_unreadable_inputs_exit_2_with_a_clear_message(
    run: Run, tmp_path: Path, write: Callable[[str, Any], Path]
) -> None:
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"premise": "caf\u00e9"}'.encode("latin-1"))
    bad_json = write("trailing.json", '{\n  "premise": "x",\n}\n')
    result = run("validate", tmp_path / "missing.json", latin1, bad_json, tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:4] == [
        f"story-gen: {tmp_path / 'missing.json'}: no such file; check the path",
        f"story-gen: {latin1}:1:17: the file is not UTF-8 text (byte 0xe9); save it as UTF-8",
        f"story-gen: {bad_json}:2:17: not valid JSON: this comma has nothing after it; "
        "JSON allows no comma before a closing ']' or '}'",
        f"story-gen: {tmp_path}: is a folder; give the path of a .json file",
    ]


def test_a_story_envelope_is_validated_with_prefixed_paths(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    story = {
        "story_id": "5f0c6c1e-3b1a-4c55-9d0e-3f2a7b9c1d2e",
        "title": "Alice",
        "blueprint": done_when_blueprint(),
        "created_at_utc": "2026-01-01T00:00:00Z",
        "updated_at_utc": "2026-01-01T00:00:00Z",
    }
    result = run("validate", write("story.json", story))
    assert result.exit_code == 1
    assert ":blueprint.themes[1].key: error key.duplicate:" in result.stdout


def test_the_installed_command_runs_without_a_traceback() -> None:
    fixtures = sorted(str(p) for p in FIXTURES.glob("*.json"))
    ok = subprocess.run(
        [sys.executable, "-m", "story_gen.cli", "validate", *fixtures],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "story_gen.cli", "validate", "no/such/file.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
    assert missing.stderr.startswith("story-gen: no/such/file.json: no such file")


def test_unresolved_conflicts_in_a_story_file_are_listed_without_failing(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    base = {
        "story_id": "5f0c6c1e-3b1a-4c55-9d0e-3f2a7b9c1d2e",
        "title": "Alice",
        "blueprint": {"premise": "A girl follows a rabbit."},
        "created_at_utc": "2026-01-01T00:00:00Z",
        "updated_at_utc": "2026-01-01T00:00:00Z",
    }
    ours = {**base, "blueprint": {"premise": "Ours."}}
    theirs = {**base, "blueprint": {"premise": "Theirs."}}
    merged = write("merged.json", {})  # merge -o replaces it
    result = run(
        "merge",
        write("base.json", base),
        write("ours.json", ours),
        write("theirs.json", theirs),
        "-o",
        str(merged),
    )
    assert result.exit_code == 1  # conflicts remain
    checked = run("validate", merged)
    assert checked.exit_code == 0
    assert ":conflicts[0]: warning story.unresolved_conflict:" in checked.stdout
    assert "premise" in checked.stdout
