"""Helpers for the studio's end-to-end tests (the fixtures in conftest.py build on these).

- :func:`serve_directory`: a plain static file server (``http.server``) on 127.0.0.1 with a free
  port, serving a folder under a sub-path, as GitHub Pages does.
- :class:`OriginGuard`: records and aborts every request to another origin.
- :func:`shot`: a screenshot into ``test-artifacts/``.
- :func:`wait_until_ready`: wait for the studio's Python service (fails with the boot error).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route

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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def guess_type(self, path: str | os.PathLike[str]) -> str:
        known = MIME_TYPES.get(Path(path).suffix.lower())
        return known if known is not None else super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
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
    return StaticSite(
        origin=f"http://{host!s}:{port}", sub_path=sub_path, root=mount, server=server
    )


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Debian's chromium is not installed: run `make system-deps` (ops/dev/system-deps.sh)"
        )
    return path


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
