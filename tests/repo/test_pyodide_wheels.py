"""The Pyodide wheel pins agree with uv.lock and with the Pyodide runtime, and the manifest
builder (pyodide/wheels.py) refuses anything it cannot account for.

Agreement with uv.lock means CPython and Pyodide test the same versions of every pure library,
and a dependency added to the core (or to pytest/hypothesis) cannot be forgotten in Pyodide.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.markers import Marker

REPO = Path(__file__).resolve().parents[2]
APP_DISTRIBUTIONS = ("story-gen-core", "story-gen-client", "story-gen-browser")
NOT_SHIPPED = frozenset({"httpx"})
"""The client's httpx transport stays out of Pyodide: the studio runs the client over fetch (an
import-linter contract keeps httpx out of story_gen.browser; tests/client/test_without_httpx.py
imports the client without it)."""
TEST_ROOTS = ("pytest", "hypothesis")
# Pyodide 314's interpreter, for evaluating dependency markers such as sys_platform == 'win32'.
PYODIDE_ENVIRONMENT = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "os_name": "posix",
    "platform_machine": "wasm32",
    "python_version": "3.14",
    "python_full_version": "3.14.2",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


def load_wheels_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pyodide_wheels", REPO / "pyodide" / "wheels.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


wheels = load_wheels_script()


@pytest.fixture(scope="module")
def locked() -> dict[str, dict[str, Any]]:
    with (REPO / "uv.lock").open("rb") as lock:
        return {package["name"]: package for package in tomllib.load(lock)["package"]}


def closure(roots: tuple[str, ...], locked: dict[str, dict[str, Any]]) -> set[str]:
    """Every third-party distribution `roots` need on Pyodide, following uv.lock."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name in NOT_SHIPPED:
            continue
        seen.add(name)
        for dependency in locked[name].get("dependencies", []):
            marker = dependency.get("marker")
            if marker is None or Marker(marker).evaluate(PYODIDE_ENVIRONMENT):
                todo.append(dependency["name"])
    return {name for name in seen if not name.startswith("story-gen-")}


def pins(group: str) -> dict[str, str]:
    return {pin.name: pin.version for pin in wheels.load_pins() if pin.group == group}


def test_runtime_pins_are_exactly_what_our_wheels_need(locked: dict[str, Any]) -> None:
    assert set(pins("runtime")) == closure(APP_DISTRIBUTIONS, locked)


def test_test_pins_are_exactly_what_pytest_and_hypothesis_need(locked: dict[str, Any]) -> None:
    assert set(pins("test")) == closure(TEST_ROOTS, locked) - set(pins("runtime"))


@pytest.mark.parametrize("group", ["runtime", "test"])
def test_pinned_versions_match_uv_lock(group: str, locked: dict[str, Any]) -> None:
    differing = {
        name: (version, locked[name]["version"])
        for name, version in pins(group).items()
        if locked[name]["version"] != version
    }
    assert differing == {}, "pyodide/requirements-*.txt (pin, uv.lock) disagree; align them"


def test_the_platform_tag_is_the_pyodide_runtime_s() -> None:
    runtime = REPO / "node_modules" / "pyodide"
    info = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    installed = json.loads((runtime / "package.json").read_text(encoding="utf-8"))["version"]
    declared = json.loads((REPO / "pyodide" / "package.json").read_text(encoding="utf-8"))
    assert declared["dependencies"]["pyodide"] == installed
    assert info["python"].startswith(f"{wheels.PYTHON_VERSION}.")
    assert f"pyemscripten_{info['abi_version']}_{info['arch']}" == wheels.PLATFORM


PINNED = """\
# a comment
pydantic==2.14.4 \\
    --hash=sha256:{a}
typing-extensions==4.16.0 --hash=sha256:{b}
""".format(a="a" * 64, b="b" * 64)


def test_requirements_are_parsed_into_pins() -> None:
    assert wheels.parse_requirements(PINNED, "runtime") == [
        wheels.Pin("pydantic", "2.14.4", "a" * 64, "runtime"),
        wheels.Pin("typing-extensions", "4.16.0", "b" * 64, "runtime"),
    ]


@pytest.mark.parametrize(
    "line",
    ["pydantic==2.14.4", "pydantic>=2 --hash=sha256:" + "a" * 64, "pydantic==2 --hash=md5:x"],
)
def test_a_pin_without_exactly_one_sha256_is_refused(line: str) -> None:
    with pytest.raises(wheels.WheelError, match="pin every wheel with exactly one hash"):
        wheels.parse_requirements(line + "\n", "runtime")


def test_classify_groups_and_orders_every_wheel() -> None:
    pins_ = wheels.parse_requirements(PINNED, "runtime")
    files = [
        ("story_gen_core-0.1.0-py3-none-any.whl", "c" * 64, 30),
        ("typing_extensions-4.16.0-py3-none-any.whl", "b" * 64, 20),
        ("pydantic-2.14.4-py3-none-any.whl", "a" * 64, 10),
    ]
    manifest = json.loads(wheels.manifest_json(wheels.classify(files, pins_), "314.0.7"))
    assert [(w["name"], w["group"], w["size"]) for w in manifest["wheels"]] == [
        ("pydantic", "runtime", 10),
        ("typing-extensions", "runtime", 20),
        ("story-gen-core", "app", 30),
    ]
    assert manifest["generated_by"].startswith("pyodide/wheels.py")


def test_classify_names_every_problem_at_once() -> None:
    pins_ = wheels.parse_requirements(PINNED, "runtime")
    files = [
        ("pydantic-2.13.0-py3-none-any.whl", "a" * 64, 1),  # pydantic 2.14.4's hash
        ("requests-2.0-py3-none-any.whl", "d" * 64, 1),
        ("story_gen_core-0.1.0-py3-none-any.whl", "e" * 64, 1),
        ("story_gen_core-0.2.0-py3-none-any.whl", "f" * 64, 1),
    ]
    with pytest.raises(wheels.WheelError) as raised:
        wheels.classify(files, pins_)
    assert str(raised.value).splitlines() == [
        "pydantic-2.13.0-py3-none-any.whl: its hash is pinned for pydantic==2.14.4 in the "
        "runtime requirements; the hash is on the wrong line",
        "requests-2.0-py3-none-any.whl: not pinned in pyodide/requirements-*.txt (stale or "
        "foreign wheel); delete it or run `make pyodide-wheels`",
        "pydantic==2.14.4 (runtime): pinned but missing; run `make pyodide-wheels`",
        "typing-extensions==4.16.0 (runtime): pinned but missing; run `make pyodide-wheels`",
        "story-gen-core: more than one app wheel; run `make wheels` (it rebuilds them from scratch)",
    ]
