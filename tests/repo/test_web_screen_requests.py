"""The studio's screens talk through the controller, not through ``window`` events.

A screen used to ask another for something (a new chapter, focus a field, send typed text,
focus the library search) with a ``story-gen:*`` CustomEvent dispatched on ``window``: untyped,
invisible to "find references", and heard by whoever happened to listen. They now call
``controller.requests`` (web/src/model/screen-requests.ts). This fails if a window event of
that kind comes back anywhere in web/src.
"""

from __future__ import annotations

import re
from pathlib import Path

WEB_SRC = Path(__file__).resolve().parents[2] / "web" / "src"

FORBIDDEN = {
    "a story-gen: event name": re.compile(r"""["'`]story-gen:"""),
    "a CustomEvent": re.compile(r"\bnew\s+CustomEvent\b"),
    "an event dispatched on window or document": re.compile(
        r"\b(?:window|document|globalThis)\s*\.\s*dispatchEvent\s*\("
    ),
}


def offences(text: str) -> list[str]:
    """Each forbidden pattern in a source text, with the line it is on."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in FORBIDDEN.items():
            if pattern.search(line):
                found.append(f"line {number}: {what}: {line.strip()}")
    return found


def test_the_detector_finds_each_form_of_a_window_event() -> None:
    sample = "\n".join(
        [
            'export const FLUSH_EVENT = "story-gen:flush";',
            "window.dispatchEvent(new CustomEvent<string>(FOCUS_PATH_EVENT, { detail: path }));",
            "document.dispatchEvent(new Event(X));",
            "const ok = 'story-gen.autoopened';",
        ]
    )
    found = offences(sample)
    assert [f.split(":")[0] for f in found] == ["line 1", "line 2", "line 2", "line 3"]


def test_web_src_has_no_window_events_between_screens() -> None:
    sources = sorted(p for p in WEB_SRC.rglob("*") if p.suffix in {".ts", ".tsx", ".mts"})
    assert len(sources) > 20, f"web/src has moved? found only {len(sources)} sources"
    found = {
        str(p.relative_to(WEB_SRC)): hits
        for p in sources
        if (hits := offences(p.read_text(encoding="utf-8")))
    }
    assert found == {}, (
        "screens ask each other through controller.requests "
        f"(web/src/model/screen-requests.ts), not window events: {found}"
    )
