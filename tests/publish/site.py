"""The published site, built once per test process (publish/pages.py) and shared by the tests
of tests/publish and the Chromium tests of tests/e2e/test_pages_site.py.

The studio build comes from ``STORY_GEN_E2E_WEB_DIR`` when set (as for the e2e suite), else
build/web/, built by ``make web`` if this checkout has none.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
from pathlib import Path

from publish.pages import build

REPO = Path(__file__).resolve().parents[2]


def studio_build() -> Path:
    override = os.environ.get("STORY_GEN_E2E_WEB_DIR")
    web = Path(override) if override else REPO / "build" / "web"
    if not (web / "index.html").is_file():
        subprocess.run(["make", "web"], cwd=REPO, check=True)
    return web


@functools.cache
def built_pages() -> Path:
    """build/pages as ``make pages`` makes it, in a temporary folder of this process."""
    out = Path(tempfile.mkdtemp(prefix="story-gen-pages-")) / "pages"
    return build(out, web=studio_build())
