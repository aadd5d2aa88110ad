"""Accessibility: axe-core (the npm package, injected from node_modules) finds no serious or
critical violation on the main screens, in both themes and at phone width."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.e2e.studio import REPO, GuardedContext, shot
from tests.e2e.ui import open_studio_in_theme

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = {
    "": "section-chapters",
    "/plan/order": "plan-order",
    "/plan/graph": "plan-graph",
    "/plan/themes": "plan-theme-coverage",
    "/plan/characters": "plan-character-coverage",
}


def serious_violations(page: Page) -> list[dict[str, Any]]:
    # Evaluated, not added as a <script>: the studio's Content-Security-Policy allows no
    # inline script but its own, and the check must not need the policy loosened.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return JSON.stringify(r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})));
        }"""
    )
    violations: list[dict[str, Any]] = json.loads(result)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize(
    ("theme", "viewport"),
    [
        ("dark", {"width": 1280, "height": 800}),
        ("light", {"width": 1280, "height": 800}),
        ("dark", {"width": 375, "height": 740}),
    ],
    ids=["dark-desktop", "light-desktop", "dark-phone"],
)
def test_main_screens_have_no_serious_axe_violations(
    new_context: Callable[..., GuardedContext],
    studio_url: Callable[..., str],
    theme: str,
    viewport: dict[str, int],
) -> None:
    guarded = new_context(viewport=viewport)
    url = studio_url()
    page = open_studio_in_theme(guarded.context, url, theme)
    expect(page.get_by_test_id("story-screen")).to_be_visible(timeout=30_000)
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    story_id = page.evaluate("window.storyGen.open.get().storyId")

    found: dict[str, list[dict[str, Any]]] = {}
    page.goto(f"{url}#/")
    expect(page.get_by_test_id("library-list")).to_be_visible()
    found["library"] = serious_violations(page)
    # The import review of a story already in the library: its notes and the replace / keep
    # both / skip choice.
    exported = page.evaluate(
        """async (id) => (await window.storyGen.call(
            "story.export", {story_id: id, format: "story"})).content""",
        story_id,
    )
    payload = FilePayload(
        name="again.story.json", mimeType="application/json", buffer=exported.encode()
    )
    page.get_by_test_id("import-file").set_input_files(files=[payload])
    expect(page.get_by_test_id("import-existing")).to_be_visible()
    found["import-review"] = serious_violations(page)
    shot(page, f"a11y-{theme}-{viewport['width']}-import-review")
    page.get_by_test_id("import-report").get_by_role("button", name="Cancel").click()
    for screen, test_id in SCREENS.items():
        page.goto(f"{url}#/story/{story_id}{screen}")
        expect(page.get_by_test_id(test_id)).to_be_visible()
        if not screen:
            page.locator('[data-testid^="chapter-"] summary').first.click()
        found[screen or "editor"] = serious_violations(page)
    shot(page, f"a11y-{theme}-{viewport['width']}")
    problems = {screen: v for screen, v in found.items() if v}
    assert problems == {}, json.dumps(problems, indent=2)
