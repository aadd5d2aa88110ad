"""story-gen fmt: canonical rewrite, idempotent, --check for CI, files with errors untouched."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.cli.conftest import Run
from tests.cli.samples import done_when_blueprint


def test_samples_are_canonical_but_for_the_final_newline(run: Run, samples: list[Path]) -> None:
    originals = {path: path.read_text(encoding="utf-8") for path in samples}
    check = run("fmt", "--check", *samples)
    assert check.exit_code == 1
    assert check.stdout.splitlines() == [f"{path}: would be reformatted" for path in samples]
    assert {path: path.read_text(encoding="utf-8") for path in samples} == originals

    result = run("fmt", *samples)
    assert result.exit_code == 0, result.output
    for path in samples:
        assert path.read_text(encoding="utf-8") == originals[path] + "\n"

    again = run("fmt", "--check", *samples)
    assert (again.exit_code, again.stdout) == (0, "")
    mtimes = {path: path.stat().st_mtime_ns for path in samples}
    assert run("fmt", *samples).exit_code == 0
    assert {path: path.stat().st_mtime_ns for path in samples} == mtimes  # nothing rewritten


def test_fmt_normalises_keys_text_and_field_order(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    path = write(
        "messy.json",
        {
            "chapters": [
                {
                    "prerequisites": [],
                    "key": " Opening ",
                    "title": "  Start  ",
                    "required_themes": ["Hope", "hope"],
                    "draft_text": "Once.  \n\n",
                }
            ],
            "themes": [{"key": "HOPE", "priority": 7}],
            "premise": " p ",
        },
    )
    assert run("fmt", path).exit_code == 0
    written = path.read_text(encoding="utf-8")
    assert list(json.loads(written)) == [
        "premise",
        "canon_rules",
        "themes",
        "characters",
        "chapters",
    ]
    chapter = json.loads(written)["chapters"][0]
    assert chapter == {
        "key": "opening",
        "title": "Start",
        "objective": "",
        "required_themes": ["hope"],
        "participating_characters": [],
        "prerequisites": [],
        "draft_text": "Once.",
    }
    assert written.endswith("}\n")


def test_a_file_with_errors_is_never_touched(run: Run, write: Callable[[str, Any], Path]) -> None:
    path = write("bad.json", done_when_blueprint())
    before = path.read_bytes()
    stat = path.stat()
    result = run("fmt", path)
    assert result.exit_code == 1
    assert "error key.duplicate" in result.stderr
    assert f"{path}: not formatted: fix the errors above first" in result.stderr
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert [p.name for p in path.parent.iterdir()] == ["bad.json"]  # no temporary left behind


def test_unreadable_files_exit_2_and_others_are_still_formatted(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    good = write("good.json", {"premise": "p"})
    broken = write("broken.json", '{"premise": ')
    result = run("fmt", broken, good)
    assert result.exit_code == 2
    assert f"story-gen: {broken}:1:13: not valid JSON" in result.stderr
    assert broken.read_text(encoding="utf-8") == '{"premise": '
    assert json.loads(good.read_text(encoding="utf-8"))["canon_rules"] == []


def test_file_permissions_survive_a_rewrite(run: Run, write: Callable[[str, Any], Path]) -> None:
    path = write("story.json", {"premise": "p"})
    os.chmod(path, 0o640)
    assert run("fmt", path).exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_symbolic_link_is_followed_not_replaced(
    run: Run, write: Callable[[str, Any], Path], tmp_path: Path
) -> None:
    target = write("real.json", {"premise": "p"})
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run("fmt", link).exit_code == 0
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["canon_rules"] == []
