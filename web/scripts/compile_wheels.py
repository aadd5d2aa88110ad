"""Add compiled bytecode to the studio's wheels: run INSIDE Pyodide by compile-wheels.mjs.

    compile_wheels.py SRC DST [SRC DST ...]

Every boot installs the wheels into Pyodide's in-memory file system, so nothing CPython
compiles is kept between visits: without bytecode in the wheel each start compiles pydantic
and our modules from source again (about 1 s of a warm start on the project machine). This
writes DST, a copy of the wheel SRC with ``__pycache__/<module>.<cache tag>.pyc`` beside
every module, compiled by the very interpreter that will import it (Pyodide's CPython, so the
magic number and bytecode match). The pycs are "unchecked hash-based" (PEP 552): the
installer sets fresh mtimes, which would invalidate timestamp-based pycs, and the sources stay
in the wheel for tracebacks. RECORD lists the new files; the output is deterministic (the same
wheel gives the same bytes). Standard library only.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path

NEW_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


def _compiled(source: bytes, install_path: str, scratch: Path) -> bytes:
    """Unchecked hash-based bytecode of one module's source."""
    src, out = scratch / "module.py", scratch / "module.pyc"
    src.write_bytes(source)
    py_compile.compile(
        str(src),
        cfile=str(out),
        dfile=install_path,
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    return out.read_bytes()


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def _is_module(name: str) -> bool:
    top = name.split("/", 1)[0]
    return name.endswith(".py") and not top.endswith((".dist-info", ".data"))


def compile_wheel(source: Path, target: Path) -> int:
    """Write ``target``: ``source`` plus a pyc per module. Returns how many were compiled."""
    with zipfile.ZipFile(source) as wheel, tempfile.TemporaryDirectory() as tmp:
        entries = [(info, wheel.read(info)) for info in wheel.infolist()]
        record = next(i for i, (info, _) in enumerate(entries) if info.filename.endswith(".dist-info/RECORD"))
        added: list[tuple[zipfile.ZipInfo, bytes]] = []
        for info, data in entries:
            if not _is_module(info.filename):
                continue
            pyc_name = importlib.util.cache_from_source(info.filename)
            pyc = _compiled(data, info.filename, Path(tmp))
            entry = zipfile.ZipInfo(pyc_name, NEW_ENTRY_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            added.append((entry, pyc))
        record_info, record_data = entries[record]
        lines = record_data.decode().splitlines()
        own = next(i for i, line in enumerate(lines) if line.startswith(f"{record_info.filename},"))
        lines[own:own] = [_record_line(info.filename, data) for info, data in added]
        entries[record] = (record_info, ("\n".join(lines) + "\n").encode())
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            # The record stays last, as wheels have it.
            body = [e for i, e in enumerate(entries) if i != record]
            for info, data in [*body, *added, entries[record]]:
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = zipfile.ZIP_DEFLATED
                copy.external_attr = info.external_attr
                out.writestr(copy, data)
    return len(added)


def main(argv: list[str]) -> int:
    if len(argv) % 2 != 0 or not argv:
        print("usage: compile_wheels.py SRC DST [SRC DST ...]", file=sys.stderr)
        return 2
    for source, target in zip(argv[::2], argv[1::2], strict=True):
        count = compile_wheel(Path(source), Path(target))
        print(f"{Path(source).name}: {count} modules compiled ({sys.implementation.cache_tag})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
