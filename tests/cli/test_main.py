"""The command group: every registered command loads; no traceback ever reaches a writer."""

from __future__ import annotations

import subprocess
import sys

from story_gen.cli.main import COMMANDS
from tests.cli.conftest import FIXTURES, Run

_FAILING_COMMAND = """
import click
from story_gen.cli.main import cli, main

@cli.command("explode")
def explode() -> None:
    raise RuntimeError("a bug nobody anticipated")

main()
"""


def test_commands_are_registered_sorted_and_each_has_help(run: Run) -> None:
    assert list(COMMANDS) == sorted(COMMANDS)
    assert {"validate", "fmt", "plan", "export", "schema"} <= set(COMMANDS)
    for name in COMMANDS:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert result.stdout.startswith(f"Usage: cli {name}")
    listing = run("--help").stdout
    assert all(f"  {name} " in listing for name in COMMANDS)


def test_an_unexpected_failure_is_one_line_not_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _FAILING_COMMAND, "explode"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "story-gen: internal error (RuntimeError: a bug nobody anticipated); this is a bug"
    )


def test_a_closed_pipe_is_not_reported_as_an_error() -> None:
    fixture = sorted(FIXTURES.glob("*.json"))[-1]
    producer = subprocess.Popen(
        [sys.executable, "-m", "story_gen.cli", "plan", str(fixture)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert producer.stdout is not None
    producer.stdout.close()  # the reader is gone before the plan is written
    _, stderr = producer.communicate()
    assert b"Traceback" not in stderr
    assert b"internal error" not in stderr
