"""Reusable fixtures for the studio's end-to-end tests in headless Chromium (Playwright).

- ``web_build``: build/web/ (runs ``make web`` once if this checkout has not built it).
- ``static_site``: a plain static file server on 127.0.0.1 (free port) serving build/web/ under
  the sub-path ``/story-gen-studio/``, as GitHub Pages serves a project site.
- ``studio_url``: ``studio_url()`` is the studio with its own fresh IndexedDB (``?db=``), so
  tests never share data; ``studio_url(db=name)`` reuses one.
- ``browser``: Debian's Chromium through Playwright, with the team's flags.
- ``new_context``: a factory of browser contexts, each with an OriginGuard that records and
  aborts every request to another origin (the studio must never leave its own).
- ``artifacts``: ``test-artifacts/`` (see ``studio.shot`` for screenshots).

Helpers (server, guard, screenshots, waiting for boot) live in tests/e2e/studio.py. Every test
here is marked ``e2e``; they run in ``make test``. docs/studio.md lists the selectors to use.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.e2e.servers import Site, start_local_server
from tests.e2e.studio import (
    ARTIFACTS,
    BUILD,
    CHROMIUM_ARGS,
    REPO,
    SUB_PATH,
    GuardedContext,
    OriginGuard,
    StaticSite,
    _free_port,
    chromium_path,
    serve_directory,
)
from tests.e2e.ui import record_saves


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.path)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def web_build() -> Path:
    """build/web/, built by ``make web`` if this checkout has not built it yet.

    ``STORY_GEN_E2E_WEB_DIR`` points the suite at another built copy instead (a snapshot, so a
    rebuild running meanwhile cannot pull files from under a test).
    """
    override = os.environ.get("STORY_GEN_E2E_WEB_DIR")
    if override:
        built = Path(override)
        assert (built / "index.html").is_file(), f"STORY_GEN_E2E_WEB_DIR={built} is not a build"
        return built
    if not (BUILD / "index.html").is_file():
        subprocess.run(["make", "web"], cwd=REPO, check=True)
    assert (BUILD / "boot-manifest.json").is_file(), "make web did not produce boot-manifest.json"
    return BUILD


@pytest.fixture(scope="session")
def static_site(web_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    site = serve_directory(web_build, tmp_path_factory.mktemp("site"), SUB_PATH)
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def studio_url(static_site: StaticSite) -> Callable[..., str]:
    def make(db: str | None = None, hash_route: str = "") -> str:
        return f"{static_site.url}?db={db or 'e2e-' + uuid.uuid4().hex[:12]}{hash_route}"

    return make


# Package scope (tests/e2e is a package for this), not session: while Playwright's sync API is
# alive it leaves its event loop marked as running on this thread, and the suites collected
# after this one (tests/sync_api's ``asyncio.run``) would then refuse to start.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
    )
    yield launched
    launched.close()


@pytest.fixture
def new_context(
    browser: Browser, static_site: StaticSite
) -> Iterator[Callable[..., GuardedContext]]:
    """``new_context(viewport=..., color_scheme=...)``: a context with the origin guard installed."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> GuardedContext:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("service_workers", "allow")
        context = browser.new_context(**options)
        guard = OriginGuard(static_site.origin)
        context.route("**/*", guard.handle)
        context.on("request", lambda request: guard.record(request.url))
        made.append(context)
        return GuardedContext(context, guard)

    yield make
    for context in made:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# ---------------------------------------------------------------- both servers
# Behaviour that must hold wherever the studio is served takes ``site``, parametrised over the
# static server under a sub-path and ``story-gen serve`` (same origin as the sync API), and
# ``site_context`` for contexts guarded on that site's origin.


@pytest.fixture(scope="session")
def local_server(web_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``story-gen serve`` on a free port, with its own data folder, serving build/web/."""
    server = start_local_server(web_build, tmp_path_factory.mktemp("serve"), _free_port())
    yield server.site
    server.stop()


@pytest.fixture(params=["static", "local"])
def site(request: pytest.FixtureRequest) -> Site:
    if request.param == "static":
        static: StaticSite = request.getfixturevalue("static_site")
        return Site("static", static.origin, static.url)
    local: Site = request.getfixturevalue("local_server")
    return local


@pytest.fixture
def site_context(browser: Browser, site: Site) -> Iterator[Callable[..., GuardedContext]]:
    """Like ``new_context``, on ``site``'s origin, with the save-status recorder installed."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> GuardedContext:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("service_workers", "allow")
        context = browser.new_context(**options)
        guard = OriginGuard(site.origin)
        context.route("**/*", guard.handle)
        context.on("request", lambda request: guard.record(request.url))
        record_saves(context)
        made.append(context)
        return GuardedContext(context, guard)

    yield make
    for context in made:
        context.close()
