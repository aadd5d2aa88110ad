"""Canonical JSON: one byte sequence per document, so diffs stay small and sync can compare bytes.

Key order is the contract's field order (the order earlier story_gen tools wrote),
UTF-8 without escaping, two-space indent, newline at the end.
``to_canonical_json(load(x))`` is idempotent because validation already normalised.
"""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["to_canonical_json"]


def to_canonical_json(model: BaseModel) -> str:
    return model.model_dump_json(indent=2) + "\n"
