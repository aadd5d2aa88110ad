"""Where a package declares ``__all__``, it is sorted and complete, and every name resolves.

The packages in MUST_DECLARE (the core, which other distributions import) must declare one;
the others may keep to their submodules.

In the manner of httpx's tests/test_exported_members.py: the curated public surface is the
package's ``__all__``; a public name that is importable but missing from it (or listed but
missing) is a mistake. ``story_gen.browser`` imports Pyodide's ``js`` and cannot be imported on
CPython, so its surface is checked from the source instead.
"""

from __future__ import annotations
import __future__

import ast
import importlib
import re
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(REPO.glob("*/src/story_gen/**/__init__.py"))
PYODIDE_ONLY = ("story_gen.browser",)
MUST_DECLARE = ("story_gen.core",)


def module_name(init: Path) -> str:
    src = next(parent for parent in init.parents if parent.name == "src")
    return ".".join(init.parent.relative_to(src).parts)


def declared_all(init: Path) -> list[str] | None:
    """The literal ``__all__`` of a package's __init__.py, or None when it has none."""
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                assert node.value is not None
                value = ast.literal_eval(node.value)
                assert isinstance(value, list | tuple), f"{init}: __all__ must be a literal list"
                return [str(name) for name in value]
    return None


def isort_key(name: str) -> tuple[int, list[int | str]]:
    """Ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then the rest; digits numerically."""
    group = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    natural: list[int | str] = [
        int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)
    ]
    return group, natural


def statically_bound(init: Path) -> set[str]:
    """Names a module binds at top level: imports, defs, classes and assignments."""
    names: set[str] = set()
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def own_public_members(module: ModuleType) -> set[str]:
    """Public classes and functions defined in the package (helpers it imports, such as
    ``datetime`` or ``Protocol``, are not part of its surface; neither are submodules)."""
    package = module.__name__
    return {
        name
        for name in dir(module)
        if not name.startswith("_")
        and not isinstance(getattr(module, name), ModuleType | __future__._Feature)
        and str(getattr(getattr(module, name), "__module__", "")).startswith(package)
    }


DECLARING = [init for init in SOURCES if declared_all(init) is not None]


def test_the_packages_that_must_curate_their_surface_do() -> None:
    assert set(MUST_DECLARE) <= {module_name(init) for init in DECLARING}


@pytest.mark.parametrize("init", DECLARING, ids=module_name)
def test_all_is_sorted_without_duplicates(init: Path) -> None:
    names = declared_all(init)
    assert names is not None
    assert len(set(names)) == len(names), f"{module_name(init)}.__all__ lists a name twice"
    assert names == sorted(names, key=isort_key), (
        f"{module_name(init)}.__all__ is not in isort order (`ruff check --fix` sorts it)"
    )


@pytest.mark.parametrize("init", DECLARING, ids=module_name)
def test_all_lists_exactly_the_public_members(init: Path) -> None:
    name, names = module_name(init), set(declared_all(init) or [])
    if name.startswith(PYODIDE_ONLY):
        missing = names - statically_bound(init)
        assert not missing, f"{name}.__all__ names what the module never binds: {sorted(missing)}"
        return
    module = importlib.import_module(name)
    unresolved = sorted(n for n in names if not hasattr(module, n))
    assert not unresolved, f"{name}.__all__ lists names that do not exist: {unresolved}"
    unlisted = sorted(own_public_members(module) - names)
    assert not unlisted, f"{name} exposes public names missing from __all__: {unlisted}"


def test_the_order_check_can_fail() -> None:
    assert sorted(["migrate", "Chapter", "KEY"], key=isort_key) == ["KEY", "Chapter", "migrate"]
    assert sorted(["v10", "v9"], key=isort_key) == ["v9", "v10"]


def test_the_completeness_check_can_fail() -> None:
    module = ModuleType("story_gen.planted")

    class Thing:
        pass

    Thing.__module__ = "story_gen.planted._thing"
    module.Thing = Thing  # type: ignore[attr-defined]
    module.Path = Path  # type: ignore[attr-defined]
    module.helpers = ModuleType("story_gen.planted.helpers")  # type: ignore[attr-defined]
    assert own_public_members(module) == {"Thing"}
