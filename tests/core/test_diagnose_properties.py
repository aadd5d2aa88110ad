"""Invariants of diagnose() and the loaders over generated documents."""

from __future__ import annotations

import copy
import json

from hypothesis import given
from pydantic import ValidationError

from story_gen.core import (
    StoryBlueprint,
    diagnose,
    inspect_blueprint,
    load_blueprint,
    parse_path,
    to_canonical_json,
)
from story_gen.core.diagnosis import STRUCTURAL_CODES
from tests.core.strategies import blueprints, json_values, messy_blueprints


def _model_or_none(raw: object) -> StoryBlueprint | None:
    try:
        return StoryBlueprint.model_validate(raw)
    except ValidationError:
        return None


@given(json_values)
def test_diagnose_never_raises_on_any_json_value(raw: object) -> None:
    diagnostics = diagnose(raw)
    assert all(d.message and d.code for d in diagnostics)


@given(messy_blueprints())
def test_on_messy_blueprints_diagnose_is_deterministic_and_every_path_points_inside(
    raw: object,
) -> None:
    before = copy.deepcopy(raw)
    first = diagnose(raw)
    assert diagnose(copy.deepcopy(raw)) == first
    assert raw == before  # the input is never modified
    for diagnostic in first:
        node = raw
        parts = parse_path(diagnostic.path)
        for depth, part in enumerate(parts):
            if isinstance(node, dict) and part not in node:
                # only the final part may be absent (a missing field)
                assert depth == len(parts) - 1, diagnostic
                break
            node = node[part]  # type: ignore[index]


@given(messy_blueprints())
def test_structural_errors_exactly_when_the_model_refuses_and_normalising_is_idempotent(
    raw: object,
) -> None:
    structural = [d for d in diagnose(raw) if d.code in STRUCTURAL_CODES]
    model = _model_or_none(raw)
    assert (model is None) == bool(structural), structural
    assert inspect_blueprint(raw).value == model
    if model is not None:
        once = to_canonical_json(model)
        again = to_canonical_json(StoryBlueprint.model_validate(json.loads(once)))
        assert again == once
        assert to_canonical_json(load_blueprint(json.loads(once), strict=False)) == once


@given(json_values)
def test_structural_errors_exactly_when_the_model_refuses_arbitrary_json(raw: object) -> None:
    structural = [d for d in diagnose(raw) if d.code in STRUCTURAL_CODES]
    assert (_model_or_none(raw) is None) == bool(structural)


@given(blueprints())
def test_generated_blueprints_have_no_errors_and_load(raw: dict[str, object]) -> None:
    assert [d for d in diagnose(raw) if d.severity == "error"] == []
    assert load_blueprint(raw) == StoryBlueprint.model_validate(raw)
