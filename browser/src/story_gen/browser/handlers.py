"""Importing this module registers every handler in :data:`story_gen.browser._registry.registry`."""

from __future__ import annotations

from story_gen.browser import (
    _handlers_library,
    _handlers_story,
    _handlers_story_lifecycle,
    _handlers_sync,
)
from story_gen.browser._registry import registry

__all__ = ["registry"]

_MODULES = (_handlers_library, _handlers_story, _handlers_story_lifecycle, _handlers_sync)
