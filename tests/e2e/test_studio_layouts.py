"""The two layouts the studio promises, with the main screens photographed in each:

- 1280x800 (a laptop), dark and light: navigation, editor and problems side by side, every plan
  view; the theme toggle is remembered across a reload.
- 375x812 (a phone): nothing wider than the screen, the navigation behind its menu button, and
  the key controls on screen and working (edit, problems, plan, library, theme).

- Issue 11 item 6, a 24-chapter story with long titles, both themes: at 1400 px writing-order
  titles wrap inside their cards, graph labels are whole inside their nodes and Fit keeps them
  readable (the rest panned to); at 390x844 the top bar and the story's actions are one row each
  and every view tab is whole on screen.

Accessibility of these screens (axe-core) is tests/e2e/test_studio_a11y.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.studio import REPO, GuardedContext, wait_until_ready
from tests.e2e.ui import (
    commit_text,
    entity,
    open_story_id,
    open_studio,
    open_studio_in_theme,
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


# ---------------------------------------------------------------- issue 11 item 6: layout
# A 24-chapter story with long titles (the Odyssey), measured element by element in both themes.

ODYSSEY = REPO / "tests" / "fixtures" / "blueprints" / "odyssey-24.json"
THEMES = ["dark", "light"]


def open_odyssey(
    new_context: Callable[..., GuardedContext],
    studio_url: Callable[..., str],
    theme: str,
    viewport: dict[str, int],
) -> tuple[Page, str, str]:
    """A fresh studio in ``theme`` with the Odyssey imported; returns the page, URL and story id."""
    guarded = new_context(viewport=viewport)
    url = studio_url()
    page = open_studio_in_theme(guarded.context, url, theme)
    result = page.evaluate(
        """async (content) => await window.storyGen.call(
            "story.import", {content, filename: "odyssey-24.json"})""",
        ODYSSEY.read_text(encoding="utf-8"),
    )
    assert result["stored"], result
    assert theme_of(page) == theme
    return page, url, str(result["story_id"])


@pytest.mark.parametrize("theme", THEMES)
def test_writing_order_titles_wrap_inside_their_cards_at_1400(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str], theme: str
) -> None:
    page, url, story_id = open_odyssey(
        new_context, studio_url, theme, {"width": 1400, "height": 900}
    )
    page.goto(f"{url}#/story/{story_id}/plan/order")
    cards = page.get_by_test_id("plan-order").locator("ol > li")
    expect(cards).to_have_count(24)
    # Every card holds its whole title: nothing wider than the card, no title past its edge.
    spills = cards.evaluate_all(
        """cards => cards.flatMap(card => {
            const box = card.getBoundingClientRect();
            const title = card.querySelector("a").getBoundingClientRect();
            const spill = Math.max(card.scrollWidth - card.clientWidth,
                                   title.right - box.right, box.left - title.left);
            return spill > 1 ? [[card.querySelector("a").textContent, spill]] : [];
        })"""
    )
    assert spills == [], f"titles running past their cards (title, px): {spills}"
    longest = cards.filter(has_text="The Sirens, Scylla and Charybdis").locator("a")
    lines = longest.evaluate("a => a.getClientRects().length")
    assert lines >= 2, "the longest title should wrap, not be cut"
    screenshot(page, f"layout-{theme}-1400-writing-order", full_page=True)


@pytest.mark.parametrize("theme", THEMES)
def test_graph_labels_whole_and_fit_stays_readable(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str], theme: str
) -> None:
    page, url, story_id = open_odyssey(
        new_context, studio_url, theme, {"width": 1400, "height": 900}
    )
    page.goto(f"{url}#/story/{story_id}/plan/graph")
    graph = page.get_by_test_id("plan-graph")
    nodes = graph.locator("g.graph-node")
    expect(nodes).to_have_count(24)
    # Each label is the whole title (no ellipsis) and sits inside its node's box.
    labels = nodes.evaluate_all(
        """nodes => nodes.map(g => {
            const rect = g.querySelector("rect").getBBox();
            const text = g.querySelector("text").getBBox();
            const shown = [...g.querySelectorAll("text tspan")].map(t => t.textContent.trim()).join(" ")
                || g.querySelector("text").textContent;
            return {
                title: g.querySelector("title").textContent.replace(/ \\([^()]*\\)$/, ""),
                shown,
                inside: text.x >= rect.x - 0.5 && text.y >= rect.y - 0.5
                    && text.x + text.width <= rect.x + rect.width + 0.5
                    && text.y + text.height <= rect.y + rect.height + 0.5,
            };
        })"""
    )
    cut = [label for label in labels if label["shown"] != label["title"] or not label["inside"]]
    assert cut == [], f"labels not shown whole inside their node: {cut}"
    screenshot(page, f"layout-{theme}-1400-graph")

    # "Fit" on 24 chapters keeps the text readable (12px labels drawn at 9px or more)...
    graph.get_by_role("button", name="Fit").click()
    page.wait_for_timeout(100)
    scale = graph.locator("svg").evaluate("svg => svg.getScreenCTM().a")
    assert 12 * scale >= 9, f"after Fit the labels are {12 * scale:.1f}px high"
    # ...shows the first chapters' labels whole inside the graph's box...
    svg_box = graph.locator("svg").bounding_box()
    assert svg_box is not None

    def inside_svg(node: Locator) -> bool:
        box = node.locator("text").bounding_box()
        assert box is not None
        assert svg_box is not None
        return (
            box["x"] >= svg_box["x"]
            and box["y"] >= svg_box["y"]
            and box["x"] + box["width"] <= svg_box["x"] + svg_box["width"]
            and box["y"] + box["height"] <= svg_box["y"] + svg_box["height"]
        )

    first = nodes.filter(
        has=page.locator(
            'title:text-is("Telemachus Sets Out from Ithaca to Ask After His Father (book-01)")'
        )
    )
    assert inside_svg(first), "the first chapter's label is cut off after Fit"
    screenshot(page, f"layout-{theme}-1400-graph-fit")
    # ...and leaves the rest to panning: the last chapter, reached by keyboard, is in view whole.
    last = graph.locator('g.graph-node[data-key="book-24"]')
    assert not inside_svg(last), "24 long chapters should not all fit at a readable scale"
    last.focus()
    page.wait_for_timeout(100)
    assert inside_svg(last), "the last chapter's label is not brought into view"
    screenshot(page, f"layout-{theme}-1400-graph-panned")


@pytest.mark.parametrize("theme", THEMES)
def test_phone_390_view_tabs_fit_and_header_is_one_row(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str], theme: str
) -> None:
    page, url, story_id = open_odyssey(
        new_context, studio_url, theme, {"width": 390, "height": 844}
    )
    page.goto(f"{url}#/story/{story_id}/plan/graph")
    expect(page.get_by_test_id("plan-graph")).to_be_visible()
    # The header is one row: as tall as the bar, every control on that row.
    bar = page.locator("header.topbar")
    rows = bar.evaluate(
        """bar => {
            const box = bar.getBoundingClientRect();
            const kids = [...bar.children].filter(k => k.getClientRects().length > 0)
                .map(k => k.getBoundingClientRect());
            return {
                height: box.height,
                overflow: bar.scrollHeight - bar.clientHeight,
                tops: kids.map(k => Math.round(k.top + k.height / 2)),
                outside: kids.filter(k => k.top < box.top || k.bottom > box.bottom
                    || k.left < 0 || k.right > window.innerWidth).length,
            };
        }"""
    )
    assert rows["height"] <= 60, f"the header is {rows['height']}px high"
    assert rows["overflow"] <= 0, f"the header's content overflows it by {rows['overflow']}px"
    assert rows["outside"] == 0, f"{rows['outside']} header controls are outside the bar"
    assert max(rows["tops"]) - min(rows["tops"]) <= 4, f"header controls on several rows: {rows}"
    # The story's header keeps its actions (undo, redo, exports) on one row, all on screen.
    actions = page.get_by_test_id("story-screen").locator(".story-actions")
    buttons = actions.evaluate(
        """row => [...row.children].map(b => {
            const r = b.getBoundingClientRect();
            return {name: b.textContent.trim(), top: Math.round(r.top), right: r.right};
        })"""
    )
    assert len({b["top"] for b in buttons}) == 1, (
        f"the story's actions take several rows: {buttons}"
    )
    assert all(b["right"] <= 390 for b in buttons), f"a story action is off screen: {buttons}"
    expect(actions.get_by_role("button", name="Undo")).to_be_visible()
    # Every view tab is whole on screen: none cut by the tab bar or the screen's edge.
    tabs = page.get_by_role("navigation", name="Story views")
    clipped = tabs.evaluate(
        """nav => {
            const box = nav.getBoundingClientRect();
            return [...nav.querySelectorAll("a")].filter(a => {
                const r = a.getBoundingClientRect();
                return r.left < box.left - 0.5 || r.right > box.right + 0.5
                    || r.left < 0 || r.right > window.innerWidth
                    || a.scrollWidth > a.clientWidth;
            }).map(a => a.textContent);
        }"""
    )
    assert clipped == [], f"view tabs cut at 390px: {clipped}"
    for name in PLAN_VIEWS:
        assert_within_screen(page, tabs.get_by_role("link", name=name), f"the {name} tab")
    assert_no_horizontal_overflow(page, "plan at 390px")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"layout-{theme}-390-header-and-tabs")
