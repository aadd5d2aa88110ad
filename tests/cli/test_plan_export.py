"""story-gen plan / export / schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # (via schemathesis; no stubs)
import pytest

from story_gen.core import blueprint_json_schema, story_json_schema
from tests.cli.conftest import Run
from tests.cli.samples import cyclic_but_loadable, done_when_blueprint


def test_plan_text_of_a_sample(run: Run, samples: list[Path]) -> None:
    [alice] = [p for p in samples if p.name == "alice-in-wonderland.json"]
    result = run("plan", alice)
    assert result.exit_code == 0
    assert result.stdout.startswith("Writing order (12 of 12 chapters can be ordered):\n")
    assert "Coverage gaps: none." in result.stdout


@pytest.mark.parametrize(
    ("output_format", "start"),
    [("json", "{\n"), ("mermaid", "flowchart TD\n"), ("dot", "digraph plan {\n")],
)
def test_plan_formats(run: Run, samples: list[Path], output_format: str, start: str) -> None:
    result = run("plan", samples[0], "--format", output_format)
    assert result.exit_code == 0
    assert result.stdout.startswith(start)


def test_plan_shows_a_cycle_and_lists_the_errors_on_stderr(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    result = run("plan", write("cyclic.json", cyclic_but_loadable()), "--format", "json")
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["blocked"] == ["x", "y"]
    assert plan["cycles"] == [["x", "y"]]
    assert "error chapter.cycle" in result.stderr


def test_plan_refuses_a_document_the_model_cannot_hold(
    run: Run, write: Callable[[str, Any], Path]
) -> None:
    result = run("plan", write("bad.json", done_when_blueprint()))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "cannot be read as a blueprint" in result.stderr


def test_export_markdown_to_a_file_and_json_to_stdout(
    run: Run, samples: list[Path], tmp_path: Path
) -> None:
    source = samples[0]
    before = source.read_bytes()
    out = tmp_path / "bible.md"
    result = run("export", source, "--format", "md", "-o", out, "--title", "A Christmas Carol")
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# A Christmas Carol\n\n## Premise\n")
    as_json = run("export", source, "--format", "json")
    assert as_json.stdout == before.decode("utf-8") + "\n"
    assert source.read_bytes() == before


def test_export_never_overwrites_its_input(run: Run, samples: list[Path]) -> None:
    before = samples[0].read_bytes()
    result = run("export", samples[0], "--format", "md", "-o", samples[0])
    assert result.exit_code == 2
    assert "export never overwrites its input" in result.stderr
    assert samples[0].read_bytes() == before


def test_export_of_a_broken_file_writes_nothing(
    run: Run, write: Callable[[str, Any], Path], tmp_path: Path
) -> None:
    out = tmp_path / "out.md"
    result = run("export", write("bad.json", done_when_blueprint()), "--format", "md", "-o", out)
    assert result.exit_code == 1
    assert not out.exists()


def test_export_of_a_story_uses_its_title(run: Run, write: Callable[[str, Any], Path]) -> None:
    story = {
        "story_id": "5f0c6c1e-3b1a-4c55-9d0e-3f2a7b9c1d2e",
        "title": "Wonderland",
        "blueprint": {"premise": "p"},
        "created_at_utc": "2026-01-01T00:00:00Z",
        "updated_at_utc": "2026-01-01T00:00:00Z",
    }
    result = run("export", write("story.json", story), "--format", "md")
    assert result.stdout.startswith("# Wonderland\n")


def test_schema_commands_print_the_core_schemas(run: Run) -> None:
    assert json.loads(run("schema").stdout) == blueprint_json_schema()
    assert json.loads(run("schema", "--story").stdout) == story_json_schema()


def test_canonical_output_conforms_to_the_published_schema(run: Run, samples: list[Path]) -> None:
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in samples:
        document = json.loads(run("export", path, "--format", "json").stdout)
        jsonschema.Draft202012Validator(schema).validate(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({"premise": "missing the rest"})
