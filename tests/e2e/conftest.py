"""Reusable fixtures for the studio's end-to-end tests in headless Chromium (Playwright).

- ``web_build``: build/web/ (runs ``make web`` once if it is missing).
- ``static_site``: a plain static file server (``http.server``) on 127.0.0.1 with a free port,
  serving build/web/ under a sub-path, as GitHub Pages does (``/story-gen-studio/``).
- ``browser``: Debian's Chromium through Playwright, with the flags the team uses.
- ``new_context``: a factory of browser contexts, each with an :class:`OriginGuard` that records
  and blocks every request to another origin (the studio must never leave its own).
- ``artifacts``: ``test-artifacts/`` for screenshots (``shot(page, name)``).
- ``studio_url(db=...)``: the studio's URL with its own IndexedDB name, so tests never share data.

The e2e tests are marked ``e2e`` and run in ``make test``; see docs/studio.md ("Testing").
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build" / "web"
ARTIFACTS = REPO / "test-artifacts"
SUB_PATH = "/story-gen-studio/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Explicit types: a fresh machine's /etc/mime.types may not know .mjs or .wasm, and a module
# script or a streaming wasm compile refuses the wrong type.
MIME_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".html": "text/html",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


# ---------------------------------------------------------------- the build and its server


@pytest.fixture(scope="session")
def web_build() -> Path:
    """build/web/, built by ``make web`` if this checkout has not built it yet."""
    if not (BUILD / "index.html").is_file():
        subprocess.run(["make", "web"], cwd=REPO, check=True)
    assert (BUILD / "boot-manifest.json").is_file(), "make web did not produce boot-manifest.json"
    return BUILD


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@dataclass
class StaticSite:
    """A running static server: ``url`` is the studio's root (ends with the sub-path)."""

    origin: str
    sub_path: str
    root: Path
    server: http.server.ThreadingHTTPServer = field(repr=False)

    @property
    def url(self) -> str:
        return f"{self.origin}{self.sub_path}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_directory(directory: Path, mount: Path, sub_path: str) -> StaticSite:
    """Serve ``directory`` at ``sub_path`` by linking it into ``mount`` (the server's root)."""
    target = mount / sub_path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.symlink_to(directory, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(mount))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="static-site").start()
    host, port = server.server_address[:2]
    return StaticSite(origin=f"http://{host!s}:{port}", sub_path=sub_path, root=mount, server=server)


@pytest.fixture(scope="session")
def static_site(web_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    site = serve_directory(web_build, tmp_path_factory.mktemp("site"), SUB_PATH)
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def studio_url(static_site: StaticSite) -> Callable[..., str]:
    """``studio_url()`` -> the studio with a fresh IndexedDB; ``studio_url(db=name)`` to reuse one."""

    def make(db: str | None = None, hash_route: str = "") -> str:
        return f"{static_site.url}?db={db or 'e2e-' + uuid.uuid4().hex[:12]}{hash_route}"

    return make


# ---------------------------------------------------------------- the browser


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is not installed: run `make system-deps` (ops/dev/system-deps.sh)")
    return path


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
    yield launched
    launched.close()


@dataclass
class OriginGuard:
    """Records (and aborts) every request that is not to ``origin``."""

    origin: str
    foreign: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        url = route.request.url
        if url.startswith((self.origin + "/", "data:", "blob:")) or url == self.origin:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def record(self, url: str) -> None:
        if not url.startswith((self.origin + "/", "data:", "blob:")):
            self.foreign.append(url)


@dataclass
class GuardedContext:
    context: BrowserContext
    guard: OriginGuard


@pytest.fixture
def new_context(browser: Browser, static_site: StaticSite) -> Iterator[Callable[..., GuardedContext]]:
    """Factory: ``new_context(viewport=..., color_scheme=...)`` with the origin guard installed."""
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


# ---------------------------------------------------------------- artifacts and waiting


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def shot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot into test-artifacts/ (kept by CI as the main screens' evidence)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


BOOT_TIMEOUT_MS = int(os.environ.get("STORY_GEN_E2E_BOOT_TIMEOUT_MS", "120000"))


def wait_until_ready(page: Page) -> None:
    """Wait for the studio's Python service; fail with the boot error if a stage failed."""
    page.wait_for_selector(
        '[data-testid="boot-status"][data-state="ready"], [data-testid="boot-status"][data-state="failed"]',
        timeout=BOOT_TIMEOUT_MS,
    )
    status = page.get_by_test_id("boot-status")
    if status.get_attribute("data-state") == "failed":
        pytest.fail(f"the studio failed to boot: {page.get_by_test_id('boot-error').inner_text()}")
