"""The core stays pure: no files, network, clock, randomness or process state (checked by AST).

What the core needs from the outside world (a timestamp, an id, a file's text) comes in as an
argument; that is what lets the same code run on the server, in the CLI and in Pyodide, and
what makes every core function testable without fakes. import-linter guards the boundaries
between our own packages; this check guards the standard library and third-party side.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORE_SRC = REPO / "core" / "src"
CORE_PACKAGE = "story_gen.core"

# Standard-library modules that reach outside the process or its determinism.
FORBIDDEN_STDLIB = {
    "asyncio": "event loops and sockets",
    "concurrent": "threads and processes",
    "ctypes": "native memory",
    "dbm": "files",
    "fileinput": "files",
    "ftplib": "the network",
    "glob": "the file system",
    "http": "the network",
    "importlib": "dynamic imports defeat this check",
    "io": "file objects",
    "logging": "output streams; return diagnostics instead",
    "mmap": "files",
    "multiprocessing": "processes",
    "os": "the environment, files and randomness",
    "pathlib": "the file system",
    "random": "randomness; take a seed or the values as arguments",
    "secrets": "randomness",
    "select": "the network",
    "selectors": "the network",
    "shelve": "files",
    "shutil": "the file system",
    "signal": "process state",
    "smtplib": "the network",
    "socket": "the network",
    "sqlite3": "files",
    "ssl": "the network",
    "subprocess": "processes",
    "sys": "interpreter state and streams",
    "tempfile": "the file system",
    "threading": "threads",
    "time": "the clock; take the time as an argument",
    "urllib": "the network",
    "webbrowser": "processes",
    "zoneinfo": "the system time-zone database",
}
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions"}
FORBIDDEN_BUILTINS = {
    "open": "reads or writes files; take the text as an argument",
    "input": "reads the terminal",
    "print": "writes to stdout; return the text instead",
    "breakpoint": "stops the program",
    "__import__": "dynamic imports defeat this check",
    "exec": "runs code this check cannot see",
    "eval": "runs code this check cannot see",
}
# Attribute calls that read the clock or draw randomness, whatever the receiver is named.
FORBIDDEN_METHODS = {
    "now": "reads the clock; take the time as an argument",
    "utcnow": "reads the clock; take the time as an argument",
    "today": "reads the clock; take the date as an argument",
    "uuid1": "reads the clock and MAC address; take the id as an argument",
    "uuid4": "draws randomness; take the id as an argument",
    "uuid6": "reads the clock; take the id as an argument",
    "uuid7": "reads the clock and draws randomness; take the id as an argument",
}
FORBIDDEN_NAMES_FROM = {"uuid": {"uuid1", "uuid4", "uuid6", "uuid7", "getnode"}}


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def _absolute(module: str | None, level: int, package: str) -> str:
    """The absolute name of `from <level dots><module> import ...` written inside `package`."""
    if level == 0:
        return module or ""
    base = package.split(".")[: len(package.split(".")) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _import_problem(module: str) -> str | None:
    top = module.split(".")[0]
    if module == CORE_PACKAGE or module.startswith(f"{CORE_PACKAGE}."):
        return None
    if top == "story_gen":
        return f"imports {module}: the core depends on nothing of ours but itself"
    if top in FORBIDDEN_STDLIB:
        return f"imports {module}: {FORBIDDEN_STDLIB[top]}"
    if top in sys.stdlib_module_names or top == "__future__" or top in ALLOWED_THIRD_PARTY:
        return None
    return f"imports {module}: the core may import only pydantic and the standard library"


def check_source(source: str, path: str, package: str) -> list[Violation]:
    """Every purity violation in one module's source (`package` is the one it belongs to)."""
    tree = ast.parse(source, filename=path)
    found: list[Violation] = []

    def report(node: ast.AST, message: str) -> None:
        line, column = getattr(node, "lineno", 0), getattr(node, "col_offset", 0)
        found.append(Violation(path, line, column + 1, message))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (problem := _import_problem(alias.name)) is not None:
                    report(node, problem)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node.module, node.level, package)
            if (problem := _import_problem(module)) is not None:
                report(node, problem)
            for alias in node.names:
                if alias.name in FORBIDDEN_NAMES_FROM.get(module, set()):
                    why = FORBIDDEN_METHODS.get(alias.name, "reads the machine")
                    report(node, f"imports {module}.{alias.name}: {why}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_BUILTINS:
                report(node, f"calls {func.id}(): {FORBIDDEN_BUILTINS[func.id]}")
            elif isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_METHODS:
                report(node, f"calls .{func.attr}(): {FORBIDDEN_METHODS[func.attr]}")
    return sorted(found)


def check_package(src: Path, package: str) -> list[Violation]:
    """Purity violations in every module of `package` under the source root `src`."""
    root = src.joinpath(*package.split("."))
    violations: list[Violation] = []
    for path in sorted(root.rglob("*.py")):
        # a/b/c.py belongs to package a.b, and so does a/b/__init__.py
        module_package = ".".join(path.relative_to(src).parts[:-1])
        shown = str(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
        violations += check_source(path.read_text(encoding="utf-8"), shown, module_package)
    return violations


def test_the_core_is_pure() -> None:
    violations = check_package(CORE_SRC, CORE_PACKAGE)
    assert not violations, "the core must do no I/O (see docs/testing.md):\n" + "\n".join(
        map(str, violations)
    )


def test_the_check_sees_the_whole_core() -> None:
    modules = sorted(CORE_SRC.joinpath("story_gen", "core").rglob("*.py"))
    assert len(modules) >= 5, modules  # the contract's modules exist; a wrong root finds none


PLANTED = """\
from __future__ import annotations
import os.path
from datetime import datetime
from uuid import UUID, uuid4
from pathlib import Path
import story_gen.browser
from ..sync_api import db
from . import keys
import pydantic
import requests

def stamp(now: datetime) -> str:
    return now.isoformat()

def bad() -> None:
    print(datetime.now(), datetime.utcnow(), uuid4())
    open("x")
"""


def test_the_check_reports_each_planted_violation_with_its_place(tmp_path: Path) -> None:
    package = tmp_path / "story_gen" / "core"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "planted.py").write_text(PLANTED, encoding="utf-8")

    report = [(v.line, v.message.split(":")[0]) for v in check_package(tmp_path, CORE_PACKAGE)]

    assert report == [
        (2, "imports os.path"),
        (4, "imports uuid.uuid4"),
        (5, "imports pathlib"),
        (6, "imports story_gen.browser"),
        (7, "imports story_gen.sync_api"),
        (10, "imports requests"),
        (16, "calls print()"),
        (16, "calls .now()"),
        (16, "calls .utcnow()"),
        (17, "calls open()"),
    ]


def test_a_violation_names_file_line_and_how_to_fix_it(tmp_path: Path) -> None:
    [violation] = check_source("import time\n", "core/x.py", CORE_PACKAGE)
    assert str(violation) == "core/x.py:1:1: imports time: the clock; take the time as an argument"


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import datetime, timezone\nx = datetime(2020, 1, 1, tzinfo=timezone.utc)\n",
        "import json, re\nfrom uuid import UUID, uuid5\n",
        "from typing import Any\nfrom collections.abc import Mapping\n",
        "from . import keys\nfrom .blueprint import StoryBlueprint\n",
    ],
)
def test_pure_code_passes(source: str) -> None:
    assert check_source(source, "core/x.py", CORE_PACKAGE) == []
