"""Smoke test of the built studio under a sub-path: boots, shows the demo, stays on its origin,
and an edit survives a reload."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.studio import GuardedContext, StaticSite, shot, wait_until_ready


def test_first_visit_boots_shows_the_demo_and_keeps_an_edit_across_reload(
    new_context: Callable[..., GuardedContext],
    studio_url: Callable[..., str],
    static_site: StaticSite,
) -> None:
    guarded = new_context()
    page = guarded.context.new_page()
    url = studio_url()

    page.goto(url)
    # First paint comes from IndexedDB, before Python: the library is there, read-only.
    expect(page.get_by_test_id("library")).to_be_visible()
    wait_until_ready(page)

    # The first visit seeds the demos and opens the first one.
    expect(page.get_by_test_id("story-screen")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("story-title")).to_have_value(re.compile(r"Alice|Christmas"))
    expect(page.get_by_test_id("section-chapters")).to_be_visible()
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    shot(page, "smoke-01-demo-story")

    # Edit the premise; "saved" only after the service committed it.
    premise = page.get_by_role("textbox", name="Premise", exact=True)
    new_premise = "A girl follows a rabbit, and a smoke test follows her."
    premise.fill(new_premise)
    premise.blur()
    expect(page.get_by_test_id("save-status")).to_have_attribute(
        "data-state", "saved", timeout=15_000
    )

    page.reload()
    wait_until_ready(page)
    expect(page.get_by_role("textbox", name="Premise", exact=True)).to_have_value(
        new_premise, timeout=30_000
    )

    page.goto(url.split("?")[0] + "?" + url.split("?")[1] + "#/")
    expect(page.get_by_test_id("library-list")).to_be_visible()
    expect(page.get_by_test_id("story-row")).to_have_count(2)
    shot(page, "smoke-02-library")

    assert guarded.guard.foreign == [], f"requests left the origin: {guarded.guard.foreign}"
    assert static_site.sub_path in page.url
