"""A patch of any shape the grammar allows either applies or raises PatchDoesNotApplyError.

Before, a malformed path escaped as ``BadPathError`` and a list operation on a scalar field
as ``AttributeError``: the sync server answered those with a 500 (issue 13, item 3).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from story_gen.core import (
    Patch,
    PatchDoesNotApplyError,
    Story,
    StoryBlueprint,
    apply_patch,
    rebase,
)
from tests.core.patch_grammar import patch_bodies

_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/blueprints/alice-in-wonderland.json"
_STORY = Story.new(
    story_id=uuid.UUID("00000000-0000-4000-8000-000000000001"),
    title="Alice",
    blueprint=StoryBlueprint.model_validate(json.loads(_FIXTURE.read_text("utf-8"))),
    now=datetime(2026, 1, 1, tzinfo=UTC),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patch_bodies)
def test_apply_and_rebase_only_ever_refuse_with_the_patch_error(body: dict[str, Any]) -> None:
    patch = Patch.model_validate(body)
    for apply in (apply_patch, lambda story, p: rebase(story, p).merged):
        problems: list[str] = []
        try:
            apply(_STORY, patch)
        except PatchDoesNotApplyError as error:
            problems = error.problems or [""]
        assert all(problems), "a refusal names its problems"


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        ({"op": "set", "path": "priority[A]", "new": 1}, "is not of the form"),
        ({"op": "del", "path": "blueprint", "key": "alice"}, "not a list"),
        (
            {"op": "ins", "path": "chapters[down-the-rabbit-hole].objective", "key": "zz"},
            "not a list",
        ),
        ({"op": "mv", "path": "title", "key": "zz"}, "not a list"),
    ],
)
def test_malformed_operations_are_refused_with_a_reason(op: dict[str, Any], expected: str) -> None:
    patch = Patch.model_validate({"ops": [op]})
    for apply in (apply_patch, lambda story, p: rebase(story, p).merged):
        with pytest.raises(PatchDoesNotApplyError) as caught:
            apply(_STORY, patch)
        assert expected in " ".join(caught.value.problems)
