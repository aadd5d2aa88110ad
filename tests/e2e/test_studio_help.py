"""The in-app help (issue 11): reachable from the navigation and from the shortcuts dialog,
offline after one visit, listing exactly the shortcuts the key handler knows; screenshotted in
both themes at 1280x800 and 390x844 (test-artifacts/screenshots/help-*) with no serious axe
violation and no sideways scrolling at phone width."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.studio import GuardedContext, wait_until_ready
from tests.e2e.test_studio_a11y import serious_violations
from tests.e2e.ui import open_studio_in_theme, screenshot, wait_for_service_worker


def open_help_from_navigation(page: Page) -> None:
    toggle = page.get_by_role("button", name="Navigation")
    if toggle.is_visible():  # at phone width the navigation folds into a menu
        toggle.click()
    page.locator("#nav").get_by_role("link", name="Help", exact=True).click()
    expect(page.get_by_test_id("help")).to_be_visible()
    expect(page.get_by_role("heading", name="Help", level=1)).to_be_visible()


def check(page: Page, name: str) -> None:
    screenshot(page, name, full_page=True)
    assert serious_violations(page) == [], name
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow}px of sideways scrolling"


def test_help_opens_offline_and_lists_the_shortcuts_the_studio_handles(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context(viewport={"width": 1280, "height": 800})
    url = studio_url()
    page = open_studio_in_theme(guarded.context, url, "dark")
    wait_for_service_worker(page)

    guarded.context.set_offline(True)
    page.reload()
    wait_until_ready(page)
    open_help_from_navigation(page)
    assert "#/help" in page.url
    help_page = page.get_by_test_id("help")
    for heading in (
        "A story is planned as a blueprint",
        "What each screen shows",
        "Keyboard shortcuts",
    ):
        expect(help_page.get_by_role("heading", name=heading)).to_be_visible()

    # The help's table and the "?" dialog's come from the same shortcut table.
    help_rows = help_page.locator(".shortcut-table tr").all_inner_texts()
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("?")
    dialog = page.get_by_test_id("shortcuts-dialog")
    expect(dialog).to_be_visible()
    assert dialog.locator(".shortcut-table tr").all_inner_texts() == help_rows
    assert any("Ctrl+K" in row for row in help_rows), help_rows

    # The dialog leads to the help page too; a reload of #/help opens it directly.
    page.goto(f"{url}#/")
    expect(page.get_by_test_id("library")).to_be_visible()
    page.keyboard.press("?")
    page.get_by_test_id("shortcuts-dialog").get_by_role("link", name="More help").click()
    expect(page.get_by_test_id("help")).to_be_visible()
    expect(page.get_by_test_id("shortcuts-dialog")).to_be_hidden()
    page.reload()
    expect(page.get_by_test_id("help")).to_be_visible(timeout=30_000)
    assert guarded.guard.foreign == []


def test_help_in_both_themes_at_desktop_and_phone_width(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context(viewport={"width": 1280, "height": 800})
    page = open_studio_in_theme(guarded.context, studio_url(), "dark")
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(page.url.split("#")[0] + "#/")
        expect(page.get_by_test_id("library")).to_be_visible()
        open_help_from_navigation(page)
        for theme in ("dark", "light"):
            if page.evaluate("document.documentElement.dataset.theme") != theme:
                page.get_by_test_id("theme-toggle").click()
            assert page.evaluate("document.documentElement.dataset.theme") == theme
            check(page, f"help-{theme}-{width}")
    assert guarded.guard.foreign == []
