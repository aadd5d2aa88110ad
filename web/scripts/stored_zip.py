"""Rewrite zip archives (the stdlib zip, wheels) with every entry STORED, for transfer compression.

    python3 web/scripts/stored_zip.py SRC DST [SRC DST ...]

The build runs it inside Pyodide (compile-wheels.mjs ``storedCopies``): the shipped wheels have
Zstandard entries, which only Python 3.14's zipfile reads.

A deflated zip cannot be compressed further, but the same files stored uncompressed and then
brotli'd as one stream come out 35-40% smaller (the window spans files). scripts/build.mjs
makes the .br/.gz siblings from these stored copies: a server that negotiates an encoding
sends the smaller stream, one that does not sends the original deflated file. Both are valid
archives with identical members. Standard library only.
"""

from __future__ import annotations

import sys
import zipfile


def restore(source: str, target: str) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_STORED
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            zout.writestr(copy, zin.read(info))


def main(argv: list[str]) -> int:
    if len(argv) % 2 != 0 or not argv:
        print("usage: stored_zip.py SRC DST [SRC DST ...]", file=sys.stderr)
        return 2
    for source, target in zip(argv[::2], argv[1::2], strict=True):
        restore(source, target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
