"""Only one module of the whole code base touches Pyodide's JavaScript bridge.

``js`` and ``pyodide`` (``pyodide.ffi``, ``pyodide_js``, ...) are imported by
``story_gen.browser._js`` alone; everything else in browser/ works with plain Python values and
JSON strings, so it can be read, typed and reasoned about without the FFI (STYLE.md, item 4),
and core/, cli/ and sync_api/ never see it at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = [REPO / part / "src" for part in ("core", "browser", "sync_api", "cli")]
BRIDGE = REPO / "browser" / "src" / "story_gen" / "browser" / "_js.py"
FFI_MODULES = ("js", "pyodide", "pyodide_js", "_pyodide")


def ffi_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of the JavaScript bridge in `source`, nested ones too."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found += [(node.lineno, m) for m in modules if m.split(".")[0] in FFI_MODULES]
    return found


def test_the_sources_are_found() -> None:
    assert BRIDGE.exists()
    assert all(any(src.rglob("*.py")) for src in SOURCES)


def test_only_the_bridge_module_imports_js_or_pyodide() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{line}: imports {module}"
        for src in SOURCES
        for path in sorted(src.rglob("*.py"))
        if path != BRIDGE
        for line, module in ffi_imports(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, (
        "only story_gen.browser._js may import js/pyodide; move the call there:\n"
        + "\n".join(offenders)
    )


def test_the_bridge_check_finds_every_form_of_import() -> None:
    source = (
        "import js\nfrom pyodide.ffi import to_js\nimport json\n"
        "def f():\n    import pyodide_js\n    from js import indexedDB\n"
    )
    assert ffi_imports(source) == [(1, "js"), (2, "pyodide.ffi"), (5, "pyodide_js"), (6, "js")]
