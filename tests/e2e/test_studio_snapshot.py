"""The studio's memory snapshot (docs/adr/0027-pyodide-snapshot-with-extensions.md): made in the
background after a first start, restored on the next one (the boot report says which path was
taken), and the restored studio works; a damaged snapshot is dropped, the studio boots the
ordinary way and works, and a new snapshot replaces the bad one."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.studio import GuardedContext, wait_until_ready
from tests.e2e.ui import entity, open_studio, record_saves, saved_after

CACHE = "story-gen-pyodide-snapshot"
# Making a snapshot boots a second Pyodide in the background: seconds on a quiet machine, more
# on a loaded one.
SNAPSHOT_TIMEOUT_S = 300.0
THEME = "identity"


def kept_snapshots(page: Page) -> list[str]:
    """URLs of the snapshots kept in Cache Storage (failure counters left out)."""
    urls: list[str] = page.evaluate(
        f"""async () => (await (await caches.open({CACHE!r})).keys())
                .map((request) => request.url).filter((url) => url.endsWith(".bin"))"""
    )
    return urls


def wait_for_snapshot(page: Page, other_than: str | None = None) -> str:
    """Wait until a snapshot (other than ``other_than``'s bytes) is kept; returns its URL."""
    deadline = time.monotonic() + SNAPSHOT_TIMEOUT_S
    while True:
        kept = kept_snapshots(page)
        if kept and (other_than is None or stored_bytes_sha(page, kept[0]) != other_than):
            return kept[0]
        assert time.monotonic() < deadline, f"no snapshot kept after {SNAPSHOT_TIMEOUT_S} s"
        time.sleep(0.5)


def stored_bytes_sha(page: Page, url: str) -> str:
    digest: str = page.evaluate(
        f"""async (url) => {{
            const response = await (await caches.open({CACHE!r})).match(url);
            if (!response) return "";
            const hash = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
            return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
        }}""",
        url,
    )
    return digest


def boot_snapshot(page: Page) -> dict[str, Any]:
    """The boot result's snapshot report: which path the runtime stage took, and why."""
    report: dict[str, Any] = page.evaluate("window.storyGen.boot.get().result.snapshot")
    return report


def damage(page: Page, url: str) -> None:
    """Flip bytes in the middle of the kept snapshot (as a bad disk or a bug would)."""
    page.evaluate(
        f"""async (url) => {{
            const cache = await caches.open({CACHE!r});
            const response = await cache.match(url);
            const bytes = new Uint8Array(await response.arrayBuffer());
            for (let i = 0; i < 64; i++) bytes[(bytes.length >> 1) + i * 4099] ^= 0x5a;
            await cache.put(url, new Response(bytes, {{ headers: response.headers }}));
        }}""",
        url,
    )


def edit_and_see_diagnostics(page: Page) -> None:
    """The studio works: deleting a theme that chapters still require is saved, and the core's
    diagnostics name every broken reference."""
    expect(page.get_by_test_id("story-screen")).to_be_visible(timeout=30_000)
    blueprint = page.evaluate("window.storyGen.open.get().story.blueprint")
    referring = [c["key"] for c in blueprint["chapters"] if THEME in c["required_themes"]]
    assert referring, f"the demo story has no chapter requiring {THEME!r}"
    entity(page, "theme", THEME).get_by_role("button", name="Delete…").click()
    dialog = page.get_by_test_id("delete-dialog")
    dialog.get_by_role("checkbox", name=re.compile("Also remove these")).uncheck()
    saved_after(page, dialog.get_by_role("button", name="Delete theme").click)
    errors = page.get_by_test_id("problems-error")
    expect(errors.locator('button.problem[data-code="chapter.unknown_theme"]')).to_have_count(
        len(referring)
    )


def test_second_visit_restores_from_the_snapshot_and_the_studio_works(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    open_studio(page, studio_url())
    assert boot_snapshot(page)["path"] == "cold"
    wait_for_snapshot(page)

    page.reload()
    wait_until_ready(page)
    report = boot_snapshot(page)
    assert report["path"] == "restored", report["detail"]
    assert report["rawBytes"] > 10_000_000
    assert set(report["steps"]) >= {"find", "libraries", "module", "verified", "heap", "check"}
    # The packages and the app came with the runtime: their stages had almost nothing to do.
    stages = page.evaluate("window.storyGen.boot.get().result.stageMs")
    assert stages["packages"] < stages["runtime"]
    edit_and_see_diagnostics(page)
    assert guarded.guard.foreign == [], f"requests left the origin: {guarded.guard.foreign}"


def test_a_damaged_snapshot_is_dropped_and_the_studio_boots_and_works_without_it(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    record_saves(guarded.context)
    page = guarded.context.new_page()
    open_studio(page, studio_url())
    url = wait_for_snapshot(page)
    damage(page, url)
    damaged = stored_bytes_sha(page, url)

    page.reload()
    wait_until_ready(page)
    report = boot_snapshot(page)
    assert report["path"] == "fallback"
    assert "checksum" in report["detail"], report["detail"]
    assert stored_bytes_sha(page, url) != damaged, "the damaged snapshot was kept"
    edit_and_see_diagnostics(page)

    # A new snapshot replaces it, and the next start restores from that one.
    wait_for_snapshot(page, other_than=damaged)
    page.reload()
    wait_until_ready(page)
    assert boot_snapshot(page)["path"] == "restored", boot_snapshot(page)["detail"]
