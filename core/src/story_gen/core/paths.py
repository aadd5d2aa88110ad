"""JSON paths as diagnostics show them and edits address them: ``chapters[3].prerequisites[0]``.

A path is a sequence of parts: ``str`` for an object field, ``int`` for a list
index. Field names that are not plain identifiers are written as JSON strings in
brackets (``relationships["mad hatter"]``), so every path parses back to its parts.
The empty path ``""`` is the whole document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

__all__ = ["InvalidPathError", "PathPart", "format_path", "parse_path"]

PathPart = str | int

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_INDEX = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r'\[("(?:[^"\\]|\\.)*")\]')


class InvalidPathError(ValueError):
    """A path string that is not of the form ``field[index].field["quoted field"]``."""


def format_path(parts: Sequence[PathPart]) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN.fullmatch(part):
            out.append(f".{part}" if out else part)
        else:
            out.append(f"[{json.dumps(part, ensure_ascii=False)}]")
    return "".join(out)


def parse_path(text: str) -> tuple[PathPart, ...]:
    parts: list[PathPart] = []
    pos = 0
    while pos < len(text):
        if text[pos] == "[":
            index = _INDEX.match(text, pos)
            if index:
                parts.append(int(index.group(1)))
                pos = index.end()
                continue
            quoted = _QUOTED.match(text, pos)
            if quoted:
                parts.append(json.loads(quoted.group(1)))
                pos = quoted.end()
                continue
            raise InvalidPathError(f"bad bracket at character {pos + 1} of path {text!r}")
        if parts and text[pos] != ".":
            raise InvalidPathError(f"expected '.' or '[' at character {pos + 1} of {text!r}")
        if parts:
            pos += 1
        name = _PLAIN.match(text, pos)
        if not name:
            raise InvalidPathError(f"expected a field name at character {pos + 1} of {text!r}")
        parts.append(name.group())
        pos = name.end()
    return tuple(parts)
