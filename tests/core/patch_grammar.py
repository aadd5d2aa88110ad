"""Patches drawn from the patch grammar, well formed or not (for the "never a crash" tests).

Every operation kind, with paths built from real and unreal field names, keys of every
shape (valid, missing, badly spelled, empty), values of any JSON type and hunks anywhere:
what a careless or hostile client can send that still parses as a ``Patch``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["malformed_ops", "patch_bodies"]

_NAMES = [
    "title",
    "premise",
    "blueprint",
    "chapters",
    "characters",
    "themes",
    "canon_rules",
    "draft_text",
    "objective",
    "relationships",
    "key",
    "priority",
    "voice_markers",
    "conflicts",
    "required_themes",
    "nonsense",
    "",
    "Chapters",
    "1a",
]
_KEYS = ["alice", "down-the-rabbit-hole", "identity", "zz", "A", None, "", "a b", "0"]
_ELEMENT_KEYS = ["alice", "zz", "identity", "Q", "", "down-the-rabbit-hole"]


@st.composite
def _paths(draw: st.DrawFn) -> str:
    steps = []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from(_NAMES))
        key = draw(st.sampled_from(_KEYS))
        steps.append(name if key is None else f"{name}[{key}]")
    path = ".".join(steps)
    if draw(st.booleans()):
        path = f"blueprint.{path}" if path else "blueprint"
    return path


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["key", "statement", "priority", "title", "x"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)
_AFTER = st.sampled_from(_KEYS)

malformed_ops: st.SearchStrategy[dict[str, Any]] = st.one_of(
    st.fixed_dictionaries({"op": st.just("set"), "path": _paths(), "old": _VALUES, "new": _VALUES}),
    st.fixed_dictionaries(
        {
            "op": st.just("ins"),
            "path": _paths(),
            "key": st.sampled_from(_ELEMENT_KEYS),
            "after": _AFTER,
            "value": _VALUES,
        }
    ),
    st.fixed_dictionaries(
        {
            "op": st.just("del"),
            "path": _paths(),
            "key": st.sampled_from(_ELEMENT_KEYS),
            "after": _AFTER,
            "old": _VALUES,
        }
    ),
    st.fixed_dictionaries(
        {
            "op": st.just("mv"),
            "path": _paths(),
            "key": st.sampled_from(_ELEMENT_KEYS),
            "after": _AFTER,
            "was": _AFTER,
        }
    ),
    st.fixed_dictionaries(
        {
            "op": st.just("text"),
            "path": _paths(),
            "base": st.text(max_size=3),
            "hunks": st.lists(
                st.fixed_dictionaries(
                    {
                        "at": st.integers(0, 100),
                        "old": st.lists(st.text(max_size=3), max_size=2),
                        "new": st.lists(st.text(max_size=3), max_size=2),
                    }
                ),
                max_size=2,
            ),
        }
    ),
)
"""One operation as JSON: always of the grammar's shape, rarely meaningful."""

patch_bodies: st.SearchStrategy[dict[str, Any]] = st.builds(
    lambda ops: {"ops": ops}, st.lists(malformed_ops, min_size=1, max_size=3)
)
"""A patch as a client would send it."""
