"""The shared sample blueprints: no errors, and canonical form is the file plus a newline."""

from __future__ import annotations

from pathlib import Path

import pytest

from story_gen.core import (
    Severity,
    diagnose,
    load_blueprint,
    load_blueprint_json,
    parse_json,
    to_canonical_json,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints"
FILES = sorted(FIXTURES.glob("*.json"))


def test_the_fixtures_are_there() -> None:
    assert len(FILES) >= 2, FIXTURES


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_fixture_has_no_errors_and_is_canonical_but_for_the_final_newline(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert [d for d in diagnose(parse_json(text)) if d.severity is Severity.ERROR] == []
    canonical = to_canonical_json(load_blueprint_json(text))
    assert canonical == text.rstrip("\n") + "\n"
    assert to_canonical_json(load_blueprint(parse_json(canonical))) == canonical
