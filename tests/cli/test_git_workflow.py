"""The documented git workflows (docs/cli.md): ``story-gen merge`` as git's merge driver for
blueprints and story files, and a folder of stories under git kept in step with ``story-gen
sync`` from two clones. Real git, real API."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from .accounts import Cli, alice, read

DRIVER = (
    f"{shlex.quote(sys.executable)} -m story_gen.cli merge %O %A %B -o %A "
    "--conflicts %P.conflicts.json"
)


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=Writer", "-c", "user.email=w@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=check,
    )


def new_repo(path: Path) -> Path:
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    configure(path)
    (path / ".gitattributes").write_text("*.json merge=story-gen\n", "utf-8")
    (path / ".gitignore").write_text(".story-gen/\n*.conflicts.json\n", "utf-8")
    return path


def configure(repo: Path) -> None:
    git(repo, "config", "merge.story-gen.name", "story-gen three-way blueprint merge")
    git(repo, "config", "merge.story-gen.driver", DRIVER)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, "--allow-empty")


def set_objective(path: Path, index: int, value: str, *, story_file: bool = False) -> None:
    document = read(path)
    blueprint: dict[str, Any] = document["blueprint"] if story_file else document
    blueprint["chapters"][index]["objective"] = value
    path.write_text(json.dumps(document, indent=2), "utf-8")


def test_merge_driver_merges_blueprints_and_keeps_conflicts_in_a_sidecar(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    story = repo / "alice.json"
    story.write_text(json.dumps(alice(), indent=2), "utf-8")
    commit(repo, "alice")
    git(repo, "checkout", "-q", "-b", "other")
    set_objective(story, 0, "from the other branch")
    set_objective(story, 2, "other's version")
    commit(repo, "other")
    git(repo, "checkout", "-q", "main")
    set_objective(story, 1, "from main")
    set_objective(story, 2, "main's version")
    commit(repo, "main")

    merged = git(repo, "merge", "-q", "other", check=False)
    assert merged.returncode != 0  # the conflict stops the merge for the writer to look
    chapters = read(story)["chapters"]
    assert chapters[0]["objective"] == "from the other branch"
    assert chapters[1]["objective"] == "from main"
    both = {"main's version", "other's version"}
    assert chapters[2]["objective"] in both  # the provisional value (ADR 0041)
    sidecar = read(repo / "alice.json.conflicts.json")
    [conflict] = sidecar["conflicts"]
    assert conflict["path"] == f"chapters[{chapters[2]['key']}].objective"
    assert {conflict["ours"], conflict["theirs"]} == both
    assert "<<<<<<<" not in story.read_text("utf-8")


def test_merge_driver_merges_different_fields_cleanly(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    story = repo / "alice.json"
    story.write_text(json.dumps(alice(), indent=2), "utf-8")
    commit(repo, "alice")
    git(repo, "checkout", "-q", "-b", "other")
    set_objective(story, 0, "from the other branch")
    commit(repo, "other")
    git(repo, "checkout", "-q", "main")
    set_objective(story, 1, "from main")
    commit(repo, "main")
    git(repo, "merge", "-q", "--no-edit", "other")
    chapters = read(story)["chapters"]
    assert (chapters[0]["objective"], chapters[1]["objective"]) == (
        "from the other branch",
        "from main",
    )
    assert not (repo / "alice.json.conflicts.json").exists()


def test_a_folder_under_git_and_story_gen_sync_converge_from_two_clones(
    story_gen: Cli, tmp_path: Path
) -> None:
    story_gen.sign_up()
    first = new_repo(tmp_path / "first")
    (first / "alice.json").write_text(json.dumps(alice(), indent=2), "utf-8")
    commit(first, "a blueprint")
    assert story_gen("sync", first).exit_code == 0
    commit(first, "synced")
    git(tmp_path, "clone", "-q", str(first), "second")
    second = tmp_path / "second"
    configure(second)
    assert story_gen("sync", second).exit_code == 0  # a fresh clone: no state, bases fetched
    assert git(second, "status", "--porcelain").stdout == ""

    set_objective(first / "alice.story.json", 0, "edited in the first clone", story_file=True)
    set_objective(second / "alice.story.json", 1, "edited in the second clone", story_file=True)
    assert story_gen("sync", first).exit_code == 0
    commit(first, "first's edit")
    assert story_gen("sync", second).exit_code == 0  # merged on the server
    commit(second, "second's edit")

    git(second, "pull", "-q", "--no-rebase", "--no-edit", str(first), "main")
    assert story_gen("sync", second).exit_code == 0
    commit(second, "synced after the merge")
    git(first, "pull", "-q", "--no-rebase", "--no-edit", str(second), "main")
    assert story_gen("sync", first).exit_code == 0
    assert git(first, "status", "--porcelain").stdout == ""

    document = read(first / "alice.story.json")
    assert document == read(second / "alice.story.json")
    objectives = [c["objective"] for c in document["blueprint"]["chapters"][:2]]
    assert objectives == ["edited in the first clone", "edited in the second clone"]
    with story_gen.client() as story_client:
        [story] = story_client.list_stories()
        head = story_client.get_story(story.story_id)
    assert document["revision"] == head.revision
    assert document["story_id"] == str(uuid.UUID(document["story_id"]))
    assert [c.objective for c in head.blueprint.chapters[:2]] == objectives
