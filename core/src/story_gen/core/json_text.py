"""Parse JSON text into a JSON-like value, with a line and column when it is not valid JSON.

Stricter than :func:`json.loads` in two ways, both to protect a writer's work:

- a field written twice in one object is refused (``json.loads`` silently keeps the
  last one, so formatting the file would drop the first);
- ``NaN`` / ``Infinity`` are refused (they are not JSON, and no other tool reads them).

The fast path is the C parser; only when it finds one of those two problems does a
slow walk over the (by then known to be well-formed) text locate it.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["JsonSyntaxError", "parse_json"]


class JsonSyntaxError(ValueError):
    """The text is not valid JSON; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column


_FRIENDLY = (
    (
        "Expecting value",
        "expected a value here (text in double quotes, a number, "
        "true, false, null, an object {...} or a list [...])",
    ),
    ("Expecting property name enclosed in double quotes", "expected a field name in double quotes"),
    ("Expecting ',' delimiter", "expected a ',' between two items, or a closing ']' or '}'"),
    ("Expecting ':' delimiter", "expected ':' after the field name"),
    ("Extra data", "there is more text after the end of the JSON document"),
    ("Unterminated string", "this text value is never closed with a double quote"),
    ("Invalid control character", "a line break or tab inside text must be written as \\n or \\t"),
    ("Invalid \\escape", "this backslash escape is not valid JSON (use \\\\ for a backslash)"),
    ("Invalid \\uXXXX escape", "a \\u escape needs exactly four hex digits"),
)


_TRAILING_COMMA = (
    "this comma has nothing after it; JSON allows no comma before a closing ']' or '}'"
)


def _explain(msg: str, text: str, pos: int) -> tuple[str, int]:
    """A writer's message for a ``json`` error, and the position it is really about.

    Python versions word and place some errors differently (3.13 reports a trailing comma
    at the comma, 3.11 at the bracket after it), so they are normalised here: the same
    text gets the same message and position on CPython 3.11 and in Pyodide.
    """
    if not text.strip():
        return "the file is empty; a blueprint is a JSON object {...}", 0
    if msg.startswith("Illegal trailing comma"):
        return _TRAILING_COMMA, pos
    before = text[:pos].rstrip()
    if (
        msg in ("Expecting value", "Expecting property name enclosed in double quotes")
        and text[pos : pos + 1] in ("]", "}")
        and before.endswith(",")
    ):
        return _TRAILING_COMMA, len(before) - 1
    if not text[pos:].strip() and not msg.startswith("Unterminated string"):
        return (
            "the text ends before the JSON document is complete (a closing } or ] is missing)",
            pos,
        )
    for prefix, friendly in _FRIENDLY:
        if msg.startswith(prefix):
            return friendly, pos
    return msg, pos


def _line_column(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


class _DuplicateFieldError(Exception):
    pass


class _NonFiniteNumberError(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateFieldError
    return obj


def _constant(name: str) -> Any:
    raise _NonFiniteNumberError


def parse_json(text: str) -> object:
    """Parse ``text`` (a leading byte-order mark is ignored); raise :class:`JsonSyntaxError`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        message, pos = _explain(exc.msg, text, exc.pos)
        raise JsonSyntaxError(message, *_line_column(text, pos)) from None
    except (_DuplicateFieldError, _NonFiniteNumberError):
        pass
    except RecursionError:
        raise JsonSyntaxError("the document is nested too deeply", 1, 1) from None
    message, pos = _locate_problem(text)
    raise JsonSyntaxError(message, *_line_column(text, pos))


_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?Infinity|NaN|true|false|null|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 (untyped C helper)


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _locate_problem(text: str) -> tuple[str, int]:
    """Find the first repeated field or non-finite number in otherwise well-formed JSON text.

    A tiny state machine over tokens (the C parser already proved the text well-formed):
    ``key`` expects a field name or a closer, ``value`` a value or a closer, ``sep`` a
    ``,`` or a closer. Each open container on the stack holds its seen field names
    (objects) or ``None`` (lists).
    """
    stack: list[set[str] | None] = []
    state = "value"
    pos = _skip_ws(text, 0)
    while pos < len(text):
        char = text[pos]
        if char in "}]":
            stack.pop()
            pos, state = pos + 1, "sep"
        elif state == "sep":
            pos += 1  # the ','
            state = "key" if stack and stack[-1] is not None else "value"
        elif state == "key":
            name, end = _scanstring(text, pos + 1)
            seen = stack[-1]
            if seen is not None and name in seen:
                return (
                    f'the field "{name}" appears twice in this object; JSON keeps only the '
                    "last one, so remove or rename one of them",
                    pos,
                )
            if seen is not None:
                seen.add(name)
            pos, state = _skip_ws(text, end) + 1, "value"  # past the ':'
        elif char == "{":
            stack.append(set())
            pos, state = pos + 1, "key"
        elif char == "[":
            stack.append(None)
            pos, state = pos + 1, "value"
        elif char == '"':
            pos, state = _scanstring(text, pos + 1)[1], "sep"
        else:
            match = _SCALAR.match(text, pos)
            token = match.group() if match else text[pos]
            if token.lstrip("-") in ("NaN", "Infinity"):
                return (f"{token} is not a JSON number; write a finite number or null", pos)
            pos, state = pos + len(token), "sep"
        pos = _skip_ws(text, pos)
    return ("the document is not valid JSON", 0)
