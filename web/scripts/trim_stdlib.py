"""Drop from Pyodide's standard library zip what a studio in a browser worker never runs.

    trim(SRC, DST) -> (kept, dropped)        # run INSIDE Pyodide by compile-wheels.mjs

The zip is a fifth of a first visit, and GitHub Pages sends it uncompressed
(docs/adr/0061-first-visit-bytes-on-pages.md). What goes: debuggers, profilers, test runners,
the interactive console's editor, process pools, and clients or servers of network protocols
that a browser tab cannot open (``DROPPED``). Nothing the studio, pydantic or Pyodide's own
loader imports is among them, and the build checks it, twice: here, no module that stays may
import a dropped one at module level (a static check over every kept source, so a new Pyodide
that starts importing one fails the build by name); and compile-wheels.mjs then boots Pyodide
on the trimmed zip and imports the studio. Entries are rewritten deflated at level 9 (zipimport
reads only stored and deflated entries), in the original order, with the original times.
"""

from __future__ import annotations

import ast
import zipfile

# Modules and packages dropped (with their submodules), with why. `code` and `codeop` stay
# (Pyodide's console uses them), `subprocess` (asyncio imports it), `csv` (importlib.metadata),
# `socketserver` (logging.config imports it).
DROPPED = {
    # debuggers, profilers, tracing
    "bdb": "debugger",
    "pdb": "debugger",
    "cProfile": "profiler",
    "profile": "profiler",
    "pstats": "profiler",
    "trace": "tracing",
    "timeit": "benchmarking",
    # test runners and documentation tools
    "doctest": "test runner",
    "unittest": "test runner",
    "pydoc": "documentation browser",
    "pyclbr": "class browser",
    "tabnanny": "linter",
    "modulefinder": "packaging tool",
    "compileall": "packaging tool",
    "zipapp": "packaging tool",
    "pickletools": "pickle disassembler",
    # the interactive console's line editor (no terminal in a worker)
    "_pyrepl": "interactive console",
    # processes and sockets a browser tab cannot have
    "multiprocessing": "process pools",
    "concurrent.futures.process": "process pools",
    "wsgiref": "network servers",
    "xmlrpc": "network protocol",
    "ftplib": "network protocol",
    "imaplib": "network protocol",
    "poplib": "network protocol",
    "smtplib": "network protocol",
    "mailbox": "mail folders",
    # formats and tools nothing in the studio reads or runs
    "xml": "XML parsers (the studio reads and writes JSON)",
    "plistlib": "Apple property lists",
    "argparse": "command-line parsing (no command line in a worker)",
    "optparse": "command-line parsing",
    "getopt": "command-line parsing",
    "json.tool": "json's command line",
    "statistics": "statistics",
    "tomllib": "TOML",
}
# Legacy 8-bit text codecs (`encodings/<name>.py` built on a charmap) go too: the studio's text
# is str from JavaScript and UTF-8 JSON, never bytes in a legacy code page. These stay: cp437
# (zipfile's file names), cp1252 and iso8859_15 (the common Western code pages). Decoding any
# other raises "LookupError: unknown encoding".
KEPT_CHARMAPS = {"cp437", "cp1252", "iso8859_15"}


def _is_legacy_charmap(path: str, data: bytes) -> bool:
    if not path.startswith("encodings/") or path.count("/") != 1:
        return False
    name = path.removeprefix("encodings/").removesuffix(".py")
    return name not in KEPT_CHARMAPS and b"codecs.charmap_build(" in data


def _module_name(path: str) -> str:
    return path.removesuffix("/").removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _is_dropped(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in DROPPED)


def _is_main_guard(node: ast.If) -> bool:
    """``if __name__ == "__main__":`` (runs only as a script)."""
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def _module_level_imports(tree: ast.Module, package: str) -> set[str]:
    """Modules imported when the module runs: top-level statements, including those inside
    if/try/with blocks at module level, never inside a function or class body."""
    found: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                found.add(node.module)
            elif node.level > 0:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                found.add(".".join([*base, node.module] if node.module else base))
        elif isinstance(node, ast.If) and _is_main_guard(node):
            continue
        elif isinstance(node, ast.If | ast.Try | ast.With):
            for field in ("body", "orelse", "finalbody"):
                pending.extend(getattr(node, field, []))
            pending.extend(s for handler in getattr(node, "handlers", []) for s in handler.body)
    return found


def check(members: dict[str, bytes]) -> list[str]:
    """``module imports dropped`` for every kept module that would fail to import."""
    problems = []
    legacy = {_module_name(p) for p, data in members.items() if _is_legacy_charmap(p, data)}
    for path, data in members.items():
        # A package's __main__ runs only with `python -m`, never on import.
        if (
            not path.endswith(".py")
            or path.endswith("__main__.py")
            or _is_dropped(_module_name(path))
            or _module_name(path) in legacy
        ):
            continue
        name = _module_name(path)
        package = name if path.endswith("/__init__.py") else name.rpartition(".")[0]
        tree = ast.parse(data, filename=path)
        for imported in sorted(_module_level_imports(tree, package)):
            if _is_dropped(imported) or imported in legacy:
                problems.append(f"{path} imports {imported}")
    return problems


def trim(source: str, target: str) -> tuple[int, int]:
    """Write ``target``: ``source`` without ``DROPPED``. Returns (kept, dropped) byte sizes."""
    with zipfile.ZipFile(source) as zin:
        infos = zin.infolist()
        members = {info.filename: zin.read(info) for info in infos if not info.is_dir()}
    names = {_module_name(path) for path in members}
    unknown = sorted(name for name in DROPPED if name not in names)
    if unknown:
        raise SystemExit(f"trim_stdlib: not in this standard library: {', '.join(unknown)}")
    problems = check(members)
    if problems:
        raise SystemExit(
            "trim_stdlib: a kept module imports a dropped one:\n  " + "\n  ".join(problems)
        )
    kept = dropped = 0
    with zipfile.ZipFile(target, "w") as zout:
        for info in infos:
            size = info.compress_size
            if _is_dropped(_module_name(info.filename)) or (
                not info.is_dir() and _is_legacy_charmap(info.filename, members[info.filename])
            ):
                dropped += size
                continue
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            data = b"" if info.is_dir() else members[info.filename]
            zout.writestr(copy, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
            kept += size
    return kept, dropped
