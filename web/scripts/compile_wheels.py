"""Make the wheels the studio ships: run INSIDE Pyodide by compile-wheels.mjs.

    main(pairs, boot_modules, keep_sources)   # pairs: [(SRC, DST), ...]

Every boot installs the wheels into Pyodide's in-memory file system, so nothing CPython
compiles is kept between visits: without bytecode in the wheel each start compiles pydantic
and our modules from source again (about 1 s of a warm start on the project machine). And a
first visit downloads every wheel, as it is, from hosts that do not compress archives (GitHub
Pages sends a `.whl` as application/octet-stream, uncompressed). So DST is SRC with
(docs/adr/0026-bytecode-in-the-studio-wheels.md, docs/adr/0061-first-visit-bytes-on-pages.md):

- ``__pycache__/<module>.<cache tag>.pyc`` beside every module the studio imports while it
  boots (``boot_modules``: paths inside site-packages, found by compile-wheels.mjs importing
  the studio), compiled by the very interpreter that will import it (Pyodide's CPython, so the
  magic number and bytecode match). The pycs are "unchecked hash-based" (PEP 552): the
  installer sets fresh mtimes, which would invalidate timestamp-based pycs.
- one form per module in third-party wheels: the pyc of a module imported at boot replaces its
  source (as ``<module>.pyc`` where the source was: Python imports a pyc in ``__pycache__``
  only beside its source); a module the boot does not import keeps its source only (compiled
  if ever imported). Our own wheels (``keep_sources``) keep every source beside its pyc in
  ``__pycache__``, for tracebacks.
- pydantic's ``v1`` package left out (``DROPPED``): a copy of pydantic 1 for code not yet
  ported, which the studio's models (pydantic 2) never import.
- every entry compressed with Zstandard (zip method 93, Python 3.14's zipfile, which Pyodide's
  installer uses), as fast to unpack as deflate. The shared libraries (``.so``) too: the worker
  that makes the memory snapshot reads them out of the wheel before Python starts
  (pyodide/lib/wheel-libraries.mjs: fflate for the archive, fzstd for the entries).

RECORD lists exactly the files in the wheel; the output is deterministic (the same inputs give
the same bytes). Standard library only.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import py_compile
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

NEW_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
# Folders of third-party wheels the studio never imports (a quarter of pydantic's wheel).
DROPPED = ("pydantic/v1/",)
# Zstandard when this Python has it (3.14, the build's Pyodide); deflate elsewhere (the unit
# tests on CPython 3.11 exercise the same policy).
COMPRESSION = getattr(zipfile, "ZIP_ZSTANDARD", zipfile.ZIP_DEFLATED)
LEVEL = 19 if COMPRESSION != zipfile.ZIP_DEFLATED else 9


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


def compile_wheel(source: Path, target: Path, boot: Iterable[str], *, keep_sources: bool) -> int:
    """Write ``target`` from ``source`` (see the module docstring). Returns the pycs added."""
    booted = set(boot)
    with zipfile.ZipFile(source) as wheel, tempfile.TemporaryDirectory() as tmp:
        entries = [(info, wheel.read(info)) for info in wheel.infolist()]
        record_info, _ = next(e for e in entries if e[0].filename.endswith(".dist-info/RECORD"))
        body: list[tuple[zipfile.ZipInfo, bytes]] = []
        added: list[tuple[zipfile.ZipInfo, bytes]] = []
        for info, data in entries:
            if info is record_info or info.filename.startswith(DROPPED):
                continue
            if not _is_module(info.filename) or info.filename not in booted:
                body.append((info, data))
                continue
            if keep_sources:
                body.append((info, data))
                pyc_name = importlib.util.cache_from_source(info.filename)
            else:
                pyc_name = info.filename + "c"
            entry = zipfile.ZipInfo(pyc_name, NEW_ENTRY_TIME)
            entry.external_attr = 0o644 << 16
            added.append((entry, _compiled(data, info.filename, Path(tmp))))
        files = [*body, *added]
        record = [_record_line(info.filename, data) for info, data in files]
        record.append(f"{record_info.filename},,")
        files.append((record_info, ("\n".join(record) + "\n").encode()))
        with zipfile.ZipFile(target, "w") as out:
            # The record stays last, as wheels have it.
            for info, data in files:
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.external_attr = info.external_attr
                out.writestr(copy, data, compress_type=COMPRESSION, compresslevel=LEVEL)
    return len(added)


def main(pairs: list[tuple[str, str]], boot: list[str], keep_sources: list[str]) -> int:
    for source, target in pairs:
        keep = Path(source).name in keep_sources
        count = compile_wheel(Path(source), Path(target), boot, keep_sources=keep)
        print(
            f"{Path(source).name}: {count} modules compiled ({sys.implementation.cache_tag})"
            + ("" if keep else ", sources kept only for modules the boot does not import")
        )
    return 0
