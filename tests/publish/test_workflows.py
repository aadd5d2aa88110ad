"""The GitHub Actions workflows: valid against GitHub's workflow schema (the copy vendored in
check-jsonschema: no network at test time), every action pinned to a commit, and each workflow
doing its one job (docs/publishing.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).with_name("check-jsonschema")),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, paths),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def load(name: str) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return loaded


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """action (without its pin) -> the step using it."""
    return {step["uses"].split("@")[0]: step for step in steps(workflow) if "uses" in step}


def test_the_three_workflows_are_there() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == ["ci.yml", "pages.yml", "wiki.yml"]


def test_every_workflow_is_valid_against_githubs_schema() -> None:
    result = validate(*sorted(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "name: broken\non: push\njobs:\n  build:\n    steps:\n      - run: make\n"
        "        timeout-minutes: soon\n",
        encoding="utf-8",
    )
    result = validate(broken)
    assert result.returncode != 0
    assert "runs-on" in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml", "wiki.yml"])
def test_every_action_is_pinned_to_a_commit_with_its_version_named(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if "uses:" not in line:
            continue
        action = line.split("uses:", 1)[1].split("#", 1)[0].strip()
        assert PINNED.match(action), line
        assert re.search(r"# v\d+\.\d+\.\d+$", line), f"name the version after the pin: {line}"


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml", "wiki.yml"])
def test_needs_name_real_jobs_and_permissions_are_explicit(name: str) -> None:
    workflow = load(name)
    assert "permissions" in workflow
    jobs = workflow["jobs"]
    for job in jobs.values():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            assert need in jobs, need
        assert "timeout-minutes" in job


def test_ci_runs_the_gate_on_pushes_and_pull_requests() -> None:
    workflow = load("ci.yml")
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    assert "push" in triggers
    assert "bash .ci/run" in runs(workflow)


def test_pages_builds_make_pages_and_deploys_with_the_official_actions() -> None:
    workflow = load("pages.yml")
    assert "make pages" in runs(workflow)
    actions = uses(workflow)
    assert {
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    } <= set(actions)
    upload = actions["actions/upload-pages-artifact"]["with"]
    assert upload["path"] == "build/pages"
    assert upload["include-hidden-files"] is True  # .nojekyll
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_wiki_runs_make_wiki_sync_push_with_the_workflows_token() -> None:
    workflow = load("wiki.yml")
    assert "make wiki-sync-push" in runs(workflow)
    assert workflow["permissions"] == {"contents": "write"}
    env = steps(workflow)[-1]["env"]
    assert "secrets.GITHUB_TOKEN" in env["WIKI_REMOTE"]
    assert env["WIKI_REMOTE"].endswith(".wiki.git")
