"""The demo stories shipped with the studio (public-domain samples, package data in ``demos/``).

A writer's first visit seeds every demo into the library and opens the first one, so the
studio never starts empty; a demo deleted later is not seeded again (``demos_seeded`` meta).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from story_gen.core import StoryBlueprint

__all__ = ["DEMOS", "Demo", "demo_blueprint"]


@dataclass(frozen=True)
class Demo:
    key: str
    title: str


DEMOS: tuple[Demo, ...] = (
    Demo(key="alice-in-wonderland", title="Alice's Adventures in Wonderland"),
    Demo(key="a-christmas-carol", title="A Christmas Carol"),
)


@cache
def _demo_text(key: str) -> str:
    return resources.files("story_gen.browser").joinpath("demos", f"{key}.json").read_text("utf-8")


def demo_blueprint(key: str) -> StoryBlueprint:
    return StoryBlueprint.model_validate(json.loads(_demo_text(key)))
