"""Importing the core loads none of the server's, the CLI's or the browser's dependencies.

Checked in a fresh interpreter, because this test session itself has imported plenty.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Top-level packages (and our own siblings) that must stay out of a process that only needs the core.
MUST_NOT_LOAD = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "boto3",
    "botocore",
    "httpx",
    "click",
    "uvicorn",
    "mangum",
    "js",
    "pyodide",
    "story_gen.browser",
    "story_gen.sync_api",
    "story_gen.cli",
)


def modules_after_importing(module: str) -> set[str]:
    script = f"import json, sys\nimport {module}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def loaded(forbidden: str, modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name == forbidden or name.startswith(f"{forbidden}."))


@pytest.fixture(scope="module")
def core_modules() -> set[str]:
    return modules_after_importing("story_gen.core")


@pytest.mark.parametrize("forbidden", MUST_NOT_LOAD)
def test_importing_the_core_does_not_load(forbidden: str, core_modules: set[str]) -> None:
    assert loaded(forbidden, core_modules) == []


def test_the_probe_sees_what_an_import_loads(core_modules: set[str]) -> None:
    # The check can fail: importing the CLI does load click, and the core does load pydantic.
    assert "pydantic" in core_modules
    assert loaded("click", modules_after_importing("story_gen.cli.main")) != []
