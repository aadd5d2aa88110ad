"""Plan renderers: text, JSON, Mermaid and DOT carry the plan faithfully."""

from __future__ import annotations

import json

from story_gen.core import (
    Plan,
    StoryBlueprint,
    plan,
    plan_to_dot,
    plan_to_json,
    plan_to_mermaid,
    plan_to_text,
)


def _blueprint() -> StoryBlueprint:
    return StoryBlueprint.model_validate(
        {
            "themes": [{"key": "hope"}, {"key": "war"}],
            "characters": [{"key": "alice"}],
            "chapters": [
                {"key": "b", "title": 'The "Big" <Day> & more', "prerequisites": ["a"]},
                {
                    "key": "a",
                    "title": "Start",
                    "required_themes": ["hope"],
                    "participating_characters": ["alice"],
                },
                {"key": "c", "prerequisites": ["d"]},
                {"key": "d", "prerequisites": ["c"]},
            ],
        }
    )


def test_json_round_trips_to_the_same_plan() -> None:
    result = plan(_blueprint())
    text = plan_to_json(result)
    assert text.endswith("}\n")
    assert Plan.model_validate(json.loads(text)) == result


def test_text_lists_order_cycles_gaps_and_grid() -> None:
    text = plan_to_text(plan(_blueprint()))
    assert text.splitlines()[:6] == [
        "Writing order (2 of 4 chapters can be ordered):",
        '  1. a  "Start"  (depth 0)',
        '  2. b  "The "Big" <Day> & more"  (depth 1)',
        "Blocked (in or behind a prerequisite cycle, so never ready):",
        "  3. c",
        "  4. d",
    ]
    assert "  c -> d -> c" in text
    assert "  Themes no chapter requires: war" in text
    assert "  Chapters with no character: b, c, d" in text
    assert "  hope  x..." in text


def test_mermaid_escapes_labels_and_marks_blocked_chapters() -> None:
    text = plan_to_mermaid(plan(_blueprint()))
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert '  c1["b<br/>The #quot;Big#quot; #lt;Day#gt; #amp; more"]' in lines
    assert "  c0 --> c1" in lines  # a (prerequisite) --> b
    assert "  c2 --> c3" in lines
    assert "  c3 --> c2" in lines
    assert lines[-1] == "  class c2,c3 blocked"


def test_dot_quotes_ids_and_labels() -> None:
    text = plan_to_dot(plan(_blueprint()))
    assert text.startswith("digraph plan {\n")
    assert '  "b" [label="b\\nThe \\"Big\\" <Day> & more"];' in text
    assert '  "a" -> "b";' in text
    assert '"c" [label="c", color="#cc0000"' in text
    assert text.endswith("}\n")
