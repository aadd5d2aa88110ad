"""Short content hashes that let a patch recognise the draft and the lines it was made on."""

from __future__ import annotations

import hashlib

__all__ = ["line_hash", "text_hash"]


def text_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()[:16]


def line_hash(line: str) -> str:
    return hashlib.sha256(line.encode()).hexdigest()[:8]
