"""The two layouts the studio promises, with the main screens photographed in each:

- 1280x800 (a laptop), dark and light: navigation, editor and problems side by side, every plan
  view; the theme toggle is remembered across a reload.
- 375x812 (a phone): nothing wider than the screen, the navigation behind its menu button, and
  the key controls on screen and working (edit, problems, plan, library, theme).

Accessibility of these screens (axe-core) is tests/e2e/test_studio_a11y.py.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.e2e.studio import GuardedContext, wait_until_ready
from tests.e2e.ui import (
    commit_text,
    entity,
    open_story_id,
    open_studio,
    record_saves,
    screenshot,
)

PLAN_VIEWS = {
    "Writing order": "plan-order",
    "Chapter graph": "plan-graph",
    "Theme coverage": "plan-theme-coverage",
    "Character coverage": "plan-character-coverage",
}


def theme_of(page: Page) -> str:
    theme: str = page.evaluate("document.documentElement.dataset.theme")
    return theme


def assert_no_horizontal_overflow(page: Page, where: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where}: the page is {widths[0]} px wide on {widths[1]} px"


def assert_within_screen(page: Page, control: Locator, what: str) -> None:
    """Visible, entirely inside the viewport's width, and big enough to tap (24 px)."""
    expect(control).to_be_visible()
    control.scroll_into_view_if_needed()
    box = control.bounding_box()
    assert box is not None, what
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert box["x"] >= 0, f"{what} starts left of the screen: {box}"
    assert box["x"] + box["width"] <= width, f"{what} ends right of the screen: {box}"
    assert min(box["width"], box["height"]) >= 24, f"{what} is too small to tap: {box}"


def test_1280x800_both_themes_main_screens(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context(viewport={"width": 1280, "height": 800})
    record_saves(guarded.context)
    page = guarded.context.new_page()
    url = studio_url()
    open_studio(page, url)
    story_id = open_story_id(page)
    assert theme_of(page) == "dark"  # the default

    for theme in ("dark", "light"):
        if theme_of(page) != theme:
            page.get_by_test_id("theme-toggle").click()
            assert theme_of(page) == theme
        # The editor with navigation and problems side by side, a chapter open.
        page.goto(f"{url}#/story/{story_id}")
        nav = page.get_by_role("navigation", name="Studio")
        editor = page.get_by_test_id("section-premise")
        problems = page.get_by_test_id("problems-panel")
        for region in (nav, editor, problems):
            expect(region).to_be_in_viewport()
        nav_box, editor_box, problems_box = (
            nav.bounding_box(),
            editor.bounding_box(),
            problems.bounding_box(),
        )
        assert nav_box is not None
        assert editor_box is not None
        assert problems_box is not None
        assert nav_box["x"] + nav_box["width"] <= editor_box["x"]
        assert editor_box["x"] + editor_box["width"] <= problems_box["x"]
        screenshot(page, f"desktop-{theme}-editor")
        entity(page, "chapter", "mad-tea-party").scroll_into_view_if_needed()
        screenshot(page, f"desktop-{theme}-editor-chapter-open")
        screenshot(page, f"desktop-{theme}-problems-panel", full_page=True)
        for tab, test_id in PLAN_VIEWS.items():
            page.get_by_role("link", name=tab).click()
            expect(page.get_by_test_id(test_id)).to_be_visible()
            screenshot(page, f"desktop-{theme}-plan-{test_id.removeprefix('plan-')}")
        page.get_by_role("link", name="Library").first.click()
        expect(page.get_by_test_id("story-row")).to_have_count(2)
        screenshot(page, f"desktop-{theme}-library")

    # The choice is remembered: a reload comes back light (and paints light before Python).
    page.reload()
    assert theme_of(page) == "light"
    wait_until_ready(page)
    page.get_by_test_id("theme-toggle").click()
    assert theme_of(page) == "dark"
    assert guarded.guard.foreign == []


def test_phone_375x812_key_controls_visible_and_working(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context(viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True)
    record_saves(guarded.context)
    page = guarded.context.new_page()
    url = studio_url()
    open_studio(page, url)
    story_id = open_story_id(page)
    assert_no_horizontal_overflow(page, "editor")
    screenshot(page, "phone-editor")

    # The top bar's controls fit and work.
    menu = page.get_by_role("button", name="Navigation")
    toggle = page.get_by_test_id("theme-toggle")
    assert_within_screen(page, menu, "the navigation button")
    assert_within_screen(page, toggle, "the theme toggle")
    expect(page.get_by_test_id("save-status")).to_be_visible()

    # Editing works: the premise, then a chapter's title.
    premise = page.get_by_role("textbox", name="Premise", exact=True)
    assert_within_screen(page, premise, "the premise")
    commit_text(page, premise, "Typed on a phone.")
    chapter = entity(page, "chapter", "pool-of-tears")
    title = chapter.get_by_role("textbox", name="Title", exact=True)
    assert_within_screen(page, title, "a chapter's title")
    commit_text(page, title, "The Pool of Tears, on a phone")
    assert_within_screen(page, chapter.get_by_role("button", name="Rename key…"), "Rename key")
    assert_no_horizontal_overflow(page, "editor with a chapter open")
    screenshot(page, "phone-editor-chapter-open")

    # The problems are reachable below the editor.
    problems = page.get_by_test_id("problems-panel")
    problems.scroll_into_view_if_needed()
    expect(problems).to_be_in_viewport()
    screenshot(page, "phone-problems")

    # The plan views: their tabs fit, the graph draws.
    for tab, test_id in PLAN_VIEWS.items():
        link = page.get_by_role("link", name=tab)
        link.scroll_into_view_if_needed()
        link.click()
        expect(page.get_by_test_id(test_id)).to_be_visible()
        assert_no_horizontal_overflow(page, tab)
    page.get_by_role("link", name="Chapter graph").click()
    expect(page.get_by_test_id("plan-graph").locator("svg").first).to_be_visible()
    screenshot(page, "phone-plan-graph")

    # The navigation is behind the menu button; it opens, and leads to the library.
    nav = page.get_by_role("navigation", name="Studio")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    library_link = nav.get_by_role("link", name="Library")
    expect(library_link).to_be_in_viewport()
    screenshot(page, "phone-navigation-open")
    library_link.click()
    rows = page.get_by_test_id("story-row")
    expect(rows).to_have_count(2)
    assert_no_horizontal_overflow(page, "library")
    assert_within_screen(page, page.get_by_role("button", name="+ New story"), "New story")
    assert_within_screen(page, rows.first.get_by_role("link").first, "a story's title")
    screenshot(page, "phone-library")

    # Open a story from the library, and switch the theme, by touch.
    rows.filter(has_text="Alice").get_by_role("link").first.tap()
    assert open_story_id(page) == story_id
    toggle.tap()
    assert theme_of(page) == "light"
    screenshot(page, "phone-editor-light")
    assert guarded.guard.foreign == []
