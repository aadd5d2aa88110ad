"""Planning: pure functions over a blueprint (writing order, depth, coverage) and renderers."""

from __future__ import annotations

from story_gen.core.planning._plan import Coverage, Plan, plan
from story_gen.core.planning._render import plan_to_dot, plan_to_json, plan_to_mermaid, plan_to_text

__all__ = [
    "Coverage",
    "Plan",
    "plan",
    "plan_to_dot",
    "plan_to_json",
    "plan_to_mermaid",
    "plan_to_text",
]
