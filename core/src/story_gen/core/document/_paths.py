"""Key-addressed paths: ``chapters[mad-tea-party].objective``, ``characters[alice].relationships[hatter]``.

Conflicts and patch operations address values by entity key, never by list index, so
an address stays true when the other side inserts, deletes or reorders entities. A
step is a field name with an optional key; keys match ``KEY_PATTERN`` (conflict ids
are hex), so a bracket never needs quoting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from story_gen.core.document._shape import Kind, Shape

__all__ = ["BadPathError", "Step", "child", "format_path", "parse_path", "speak"]

_STEP = re.compile(r"([a-z_][a-z0-9_]*)(?:\[([a-z0-9][a-z0-9_-]*)\])?")


class BadPathError(ValueError):
    """A path that is not of the form ``field[key].field`` or names no field of the document."""


@dataclass(frozen=True)
class Step:
    name: str
    key: str | None = None


def child(path: str, name: str, key: str | None = None) -> str:
    step = f"{name}[{key}]" if key is not None else name
    return f"{path}.{step}" if path else step


def format_path(steps: tuple[Step, ...]) -> str:
    path = ""
    for step in steps:
        path = child(path, step.name, step.key)
    return path


def parse_path(path: str) -> tuple[Step, ...]:
    steps: list[Step] = []
    for position, text in enumerate(path.split(".") if path else []):
        match = _STEP.fullmatch(text)
        if match is None:
            raise BadPathError(
                f"path {path!r}: step {position + 1} ({text!r}) is not of the form "
                "`field` or `field[key]`"
            )
        steps.append(Step(match.group(1), match.group(2)))
    return tuple(steps)


def speak(path: str, shape: Shape) -> str:
    """Say a path in a writer's words: "the objective of chapter `mad-tea-party`"."""
    steps = parse_path(path)
    owner = ""
    current: Shape | None = shape
    for index, step in enumerate(steps):
        found = current.find(step.name) if current is not None else None
        if found is None:
            return f"`{path}`"
        field = found[0]
        last = index == len(steps) - 1
        of = f" of {owner}" if owner else ""
        if step.key is None:
            if not last:
                return f"`{path}`"
            if field.kind in (Kind.SET, Kind.ENTITIES, Kind.MAP, Kind.CONFLICTS):
                plural = "relationships" if field.kind is Kind.MAP else f"{field.noun}s"
                return f"the order of the {plural}{of}"
            return f"the {field.noun}{of}"
        if field.kind is Kind.MAP:
            return f"the {field.noun}{of} with `{step.key}`" if last else f"`{path}`"
        owner = f"{field.noun} `{step.key}`"
        if last:
            return owner
        current = field.shape
    return "the document"
