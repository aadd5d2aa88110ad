"""The README's first screen is what it is and the two commands (run, test) that work; every
make target it names exists; CI runs the README's test command.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
FIRST_SCREEN_LINES = 30
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
MAKE_COMMAND = re.compile(r"\bmake ([a-z][a-z0-9-]*)")


def command_lines(block: str) -> list[str]:
    """The commands of a shell block: comment-only lines and trailing comments dropped."""
    lines = (line.split("#", 1)[0].strip() for line in block.splitlines())
    return [line for line in lines if line]


def makefile_targets() -> set[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    rules = re.findall(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:(?!=)", makefile, re.MULTILINE)
    return set(rules)


def test_the_first_screen_has_exactly_the_run_and_test_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:FIRST_SCREEN_LINES]) + "\n"
    blocks = list(FENCE.finditer(first_screen))
    assert [block["lang"] for block in blocks] == ["sh"], "one sh block on the first screen"
    assert command_lines(blocks[0]["body"]) == ["make run", "make test"]


def test_it_says_what_it_is_before_the_commands() -> None:
    before = README.split("```", 1)[0]
    prose = [line for line in before.splitlines() if line and not line.startswith("#")]
    assert len(" ".join(prose).split(". ")) >= 3, "three sentences on what it is, then commands"


def test_every_make_target_the_readme_names_exists() -> None:
    named = set(MAKE_COMMAND.findall(README))
    assert {"run", "test"} <= named
    assert named - makefile_targets() == set()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in command_lines(ci)


def test_the_target_parser_sees_rules_but_not_assignments() -> None:
    assert {"run", "test", "check", "wheels"} <= makefile_targets()
    assert "UV" not in makefile_targets()
    assert "PYTHON" not in makefile_targets()
