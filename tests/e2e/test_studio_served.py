"""What must hold wherever the studio is served: under a sub-path by a plain static server (as
GitHub Pages serves it) and at ``/`` by ``story-gen serve``. Each test runs on both (``site``).

- a first visit boots and shows the demo story;
- no request, from the page, its Pyodide worker or its service worker, leaves the origin;
- after one visit the studio starts and works with the network off (service worker precache).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Browser, expect

from tests.e2e.servers import Site
from tests.e2e.studio import REPO, GuardedContext, wait_until_ready
from tests.e2e.traffic import TrafficRecorder
from tests.e2e.ui import (
    commit_text,
    entity,
    export_blueprint,
    open_story_id,
    open_studio,
    saved_after,
    screenshot,
    submit_text,
    wait_for_service_worker,
)

DEMOS = REPO / "browser" / "src" / "story_gen" / "browser" / "demos"
ALICE = json.loads((DEMOS / "alice-in-wonderland.json").read_text(encoding="utf-8"))
ALICE_TITLE = "Alice's Adventures in Wonderland"
CAROL_TITLE = "A Christmas Carol"
NOT_PRECACHED = "not-precached.txt"  # fetched offline to prove the network is really off


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_first_visit_boots_and_shows_the_demo_story(
    site: Site, site_context: Callable[..., GuardedContext]
) -> None:
    guarded = site_context()
    page = guarded.context.new_page()
    page.goto(site.studio_url())

    # The first paint does not wait for Python: the library (empty: nothing stored yet) is
    # there, read-only, while the worker boots in stages.
    expect(page.get_by_test_id("library")).to_be_visible()
    expect(page.get_by_test_id("boot-status")).to_be_visible()
    wait_until_ready(page)

    # The service seeded the demos and the studio opened the first one.
    open_story_id(page)
    expect(page.get_by_test_id("story-title")).to_have_value(ALICE_TITLE)
    expect(page.get_by_role("textbox", name="Premise", exact=True)).to_have_value(ALICE["premise"])
    chapters = page.get_by_test_id("section-chapters").locator('[data-testid^="chapter-"]')
    expect(chapters).to_have_count(len(ALICE["chapters"]))
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    expect(page.get_by_test_id("problem-count")).not_to_have_text("…")
    expect(page.get_by_test_id("problems-panel")).to_be_visible()
    screenshot(page, f"{site.name}-01-first-visit-demo-story")

    page.get_by_role("link", name="Library").first.click()
    rows = page.get_by_test_id("story-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=ALICE_TITLE)).to_contain_text(f"{len(ALICE['chapters'])} chapters")
    expect(rows.filter(has_text=CAROL_TITLE)).to_have_count(1)
    screenshot(page, f"{site.name}-02-library")
    assert guarded.guard.foreign == []


def test_no_request_leaves_the_origin(
    site: Site, site_context: Callable[..., GuardedContext]
) -> None:
    guarded = site_context()
    page = guarded.context.new_page()
    recorder = TrafficRecorder(guarded.context, page).start()

    open_studio(page, site.studio_url())
    story_id = open_story_id(page)
    wait_for_service_worker(page)
    # Everything a session touches: an edit, the lazily loaded plan views, the library, an
    # export, then a reload that the service worker answers.
    premise = page.get_by_role("textbox", name="Premise", exact=True)
    commit_text(page, premise, "A premise typed while the origin is watched.")
    for tab in ("Writing order", "Chapter graph", "Theme coverage", "Character coverage"):
        page.get_by_role("link", name=tab).click()
    expect(page.get_by_test_id("plan-character-coverage")).to_be_visible()
    export_blueprint(page, story_id)
    page.reload()
    wait_until_ready(page)
    page.get_by_role("link", name="Library").first.click()
    expect(page.get_by_test_id("story-row")).to_have_count(2)

    # The recorder must have seen every kind of target, or it proves nothing.
    kinds = {kind for kind, _ in recorder.targets}
    assert {"worker", "service_worker"} <= kinds, recorder.targets
    # (The wheels, fetched seconds into the boot: the worker's very first fetches may start
    # before CDP's Network domain is on in it, since Playwright resumes the worker too.)
    worker_urls = [e.url for e in recorder.by_target("worker")]
    assert any("/wheels/" in url for url in worker_urls), worker_urls
    assert any("/wheels/" in e.url for e in recorder.by_target("service_worker"))

    foreign = sorted(
        {url for url in recorder.urls if not url.startswith(("data:", "blob:"))}
        - {url for url in recorder.urls if origin_of(url) == site.origin}
    )
    assert foreign == [], f"requests left {site.origin}: {foreign}"
    assert guarded.guard.foreign == [], f"requests left {site.origin}: {guarded.guard.foreign}"
    recorder.stop()


def test_offline_after_one_visit_reload_and_keep_editing(
    site: Site, site_context: Callable[..., GuardedContext]
) -> None:
    guarded = site_context()
    page = guarded.context.new_page()
    db = f"e2e-offline-{uuid.uuid4().hex[:8]}"
    open_studio(page, site.studio_url(db))
    story_id = open_story_id(page)
    wait_for_service_worker(page)

    guarded.context.set_offline(True)
    recorder = TrafficRecorder(guarded.context, page).start()
    page.reload()
    wait_until_ready(page)
    # The network really is off: anything the precache does not hold fails to load.
    assert (
        page.evaluate(
            f"fetch('{NOT_PRECACHED}', {{cache: 'no-store'}}).then(() => 'loaded', () => 'failed')"
        )
        == "failed"
    )
    assert page.evaluate("navigator.serviceWorker.controller !== null"), "not served by the SW"
    assert open_story_id(page) == story_id

    # Keep editing: a text field, a structural edit, a picker.
    premise = page.get_by_role("textbox", name="Premise", exact=True)
    offline_premise = "Written with the network off."
    commit_text(page, premise, offline_premise)
    submit_text(
        page, page.get_by_role("textbox", name="New canon rule"), "Offline rules still count."
    )
    chapter = entity(page, "chapter", "caucus-race")
    title = chapter.get_by_role("textbox", name="Title", exact=True)
    commit_text(page, title, "A Caucus-Race, Offline")
    saved_after(
        page,
        lambda: chapter.get_by_role("combobox", name="Add to Required themes").select_option(
            "curiosity"
        ),
    )
    # The lazily loaded plan views come from the precache too.
    page.get_by_role("link", name="Writing order").click()
    expect(page.get_by_test_id("plan-order")).to_be_visible()
    page.get_by_role("link", name="Chapter graph").click()
    expect(page.get_by_test_id("plan-graph").locator("svg").first).to_be_visible()
    screenshot(page, f"{site.name}-offline-plan-graph")

    # A new story, offline, from the library.
    page.get_by_role("link", name="Library").first.click()
    page.get_by_role("button", name="+ New story").click()
    new_id = open_story_id(page)
    assert new_id != story_id
    new_premise = page.get_by_role("textbox", name="Premise", exact=True)
    commit_text(page, new_premise, "A story begun offline.")

    # Still offline: a reload and a second tab both start, and everything above is there.
    page.reload()
    wait_until_ready(page)
    expect(page.get_by_role("textbox", name="Premise", exact=True)).to_have_value(
        "A story begun offline."
    )
    second = guarded.context.new_page()
    open_studio(second, site.studio_url(db, f"#/story/{story_id}"))
    blueprint = export_blueprint(second, story_id)
    assert blueprint["premise"] == offline_premise
    assert blueprint["canon_rules"][-1] == "Offline rules still count."
    caucus = next(c for c in blueprint["chapters"] if c["key"] == "caucus-race")
    assert caucus["title"] == "A Caucus-Race, Offline"
    assert "curiosity" in caucus["required_themes"]
    screenshot(second, f"{site.name}-offline-editor")

    # Nothing needed the network: the only requests that failed are the service worker's own
    # update checks (sw.js), which the browser makes on navigation and which may fail offline.
    failed = [
        e.url
        for e in recorder.exchanges.values()
        if e.failed and not e.url.endswith(("/sw.js", NOT_PRECACHED))
    ]
    assert failed == [], f"offline, these requests failed: {failed}"
    recorder.stop()
    guarded.context.set_offline(False)


def test_local_server_api_pages_stay_reachable_once_the_studio_is_installed(
    local_server: Site, browser: Browser
) -> None:
    """``story-gen serve`` puts the API beside the studio; the studio's service worker (scope
    ``/`` there) must not answer navigations to the API's own pages with the studio."""
    context = browser.new_context()
    try:
        page = context.new_page()
        open_studio(page, local_server.studio_url())
        wait_for_service_worker(page)
        page.reload()
        wait_until_ready(page)
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        hijacked: dict[str, str] = {}
        for path in ("api/v1", "openapi.json", "docs"):
            response = page.goto(local_server.url + path)
            assert response is not None
            if response.from_service_worker or page.title() == "story_gen studio":
                hijacked[path] = f"{response.status} from the service worker: {page.title()!r}"
        screenshot(page, "local-api-docs-after-the-studio-installed")
        assert hijacked == {}, f"the studio's service worker answers the API's pages: {hijacked}"
        page.goto(local_server.url + "api/v1")
        assert json.loads(page.locator("body").inner_text())["sync_protocol"] >= 1
    finally:
        context.close()
