"""Fixtures for the CLI tests: sample files in a temporary folder, and a runner."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from story_gen.cli.main import cli

from .accounts import Cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints"

Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke ``story-gen`` in-process: ``run("validate", path)`` -> click Result."""
    runner = CliRunner()

    def invoke(*args: object) -> Result:
        return runner.invoke(cli, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def samples(tmp_path: Path) -> list[Path]:
    """Writable copies of the shared sample blueprints."""
    copies = []
    for source in sorted(FIXTURES.glob("*.json")):
        target = tmp_path / source.name
        shutil.copyfile(source, target)
        copies.append(target)
    assert copies, FIXTURES
    return copies


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, Any], Path]:
    """Write a JSON document (or raw text) to ``tmp_path/name``."""

    def write_file(name: str, content: Any) -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text, encoding="utf-8")
        return path

    return write_file


# The live sync API (uvicorn on a loopback port, SQLite or PostgreSQL + S3) for the account
# and folder-sync commands: the sync API suite's fixtures.
from tests.sync_api.conftest import (  # noqa: E402, F401
    _aws_test_credentials,
    app,
    backend,
    clock,
    live_url,
    postgres_url,
    s3_bucket,
    s3_endpoint,
    settings,
    settings_for,
)


@pytest.fixture
def story_gen(tmp_path: Path, live_url: str) -> Cli:  # noqa: F811 (the fixture)
    """``story-gen`` with its own config folder, for an account on the live API."""
    return Cli(tmp_path / "config", live_url)
