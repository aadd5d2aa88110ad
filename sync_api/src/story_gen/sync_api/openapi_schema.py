"""Corrections to the OpenAPI document FastAPI generates, applied once when it is first built.

Each correction makes the document say what the server does; none changes behaviour.
"""

from __future__ import annotations

from typing import Any

__all__ = ["close_pattern_maps"]


def close_pattern_maps(node: Any) -> Any:
    """Say that a map with a key pattern takes no other keys (in place; returns ``node``).

    pydantic describes ``dict[Key, V]`` with ``patternProperties`` alone, which in JSON
    Schema leaves every other property name allowed with any value; the models refuse them
    (a relationship to ``"x y"`` is not a key). Without ``additionalProperties: false`` the
    schema calls such requests valid, and clients and fuzzers believe it.
    """
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            close_pattern_maps(value)
    elif isinstance(node, list):
        for value in node:
            close_pattern_maps(value)
    return node
