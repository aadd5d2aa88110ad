"""The published site (`make pages`) in Chromium, served the way GitHub Pages serves it: under
a sub-path, by the benchmark's static server in its ``pages`` mode (Pages' content types, gzip
by type, folders redirected to their slash, 404.html for what is missing).

- Once the studio is installed (its service worker active), the docs, the API reference and
  the Python reference beside it still show themselves, online; offline the studio still
  starts from its precache while those pages are a network error, never the studio.
- The sync API reference renders from the snapshot with nothing loaded from another host.
- A missing page gets the site's 404 page, whose links lead back into the site.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Page, expect

from bench.studio.server import BenchServer, serve
from tests.e2e.studio import OriginGuard, wait_until_ready
from tests.e2e.ui import wait_for_service_worker
from tests.publish.site import built_pages

SUB_PATH = "/story_generator/"
# Each page of the site beside the studio, and text only that page shows.
BESIDE_THE_STUDIO = {
    "docs/": "Architecture",
    "docs/deployment/": "Deploying the sync API",
    "docs/deployment-model/": "GitHub Pages",
    "pydoc/": "story_gen.core",
}


@pytest.fixture(scope="module")
def pages() -> Iterator[BenchServer]:
    server = serve(built_pages(), SUB_PATH, mode="pages")
    yield server
    server.stop()


@pytest.fixture
def guarded(
    browser: Browser, pages: BenchServer
) -> Iterator[Callable[[], tuple[BrowserContext, OriginGuard]]]:
    made: list[BrowserContext] = []

    def make() -> tuple[BrowserContext, OriginGuard]:
        context = browser.new_context(
            service_workers="allow", viewport={"width": 1280, "height": 800}
        )
        guard = OriginGuard(pages.origin)
        context.route("**/*", guard.handle)
        context.on("request", lambda request: guard.record(request.url))
        made.append(context)
        return context, guard

    yield make
    for context in made:
        context.close()


def is_the_studio(page: Page) -> bool:
    return page.locator("#root").count() > 0


def test_the_installed_studio_leaves_the_docs_and_references_to_the_network(
    pages: BenchServer, guarded: Callable[[], tuple[BrowserContext, OriginGuard]]
) -> None:
    context, guard = guarded()
    page = context.new_page()
    page.goto(f"{pages.url}?db=e2e-pages-{uuid.uuid4().hex[:8]}")
    wait_until_ready(page)
    wait_for_service_worker(page)

    for path, text in BESIDE_THE_STUDIO.items():
        response = page.goto(pages.url + path)
        assert response is not None, path
        assert response.status == 200, path
        # Answered by the server, not from the studio's precache.
        assert not response.from_service_worker, path
        assert not is_the_studio(page), f"{path} shows the studio"
        expect(page.locator("body")).to_contain_text(text)

    # Offline, the studio still starts (so its service worker really is installed and answering
    # navigations), and the pages beside it fail instead of turning into the studio.
    context.set_offline(True)
    page.goto(f"{pages.url}?db=e2e-pages-offline")
    assert is_the_studio(page)
    wait_until_ready(page)
    for path in BESIDE_THE_STUDIO:
        with pytest.raises(Error, match="ERR_INTERNET_DISCONNECTED"):
            page.goto(pages.url + path)
    context.set_offline(False)
    assert guard.foreign == []


def test_the_api_reference_renders_the_snapshot_from_the_site_alone(
    pages: BenchServer, guarded: Callable[[], tuple[BrowserContext, OriginGuard]]
) -> None:
    context, guard = guarded()
    page = context.new_page()
    page.goto(pages.url + "docs/assets/openapi/")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=30_000)
    assert operations.count() >= 15  # one block per method and path of the snapshot
    expect(page.locator("body")).to_contain_text("/api/v1/sync/push")
    expect(page.get_by_test_id("api-reference-fallback")).to_have_count(0)
    # Read-only: no "Try it out" (there is no API server behind the published site).
    page.locator(".opblock-summary").first.click()
    expect(page.get_by_role("button", name="Try it out")).to_have_count(0)
    assert guard.foreign == []


def test_a_missing_page_gets_the_site_404_whose_links_lead_back(
    pages: BenchServer, guarded: Callable[[], tuple[BrowserContext, OriginGuard]]
) -> None:
    context, guard = guarded()
    page = context.new_page()
    response = page.goto(pages.url + "docs/no/such/page/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_test_id("not-found")).to_be_visible()
    studio = page.get_by_role("link", name="The studio")
    expect(studio).to_have_attribute("href", SUB_PATH)
    docs = page.get_by_role("link", name="The documentation")
    expect(docs).to_have_attribute("href", SUB_PATH + "docs/")
    docs.click()
    expect(page.locator("body")).to_contain_text("Architecture")
    assert guard.foreign == []
