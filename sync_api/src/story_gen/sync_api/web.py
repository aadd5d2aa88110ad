"""The built studio (``build/web``) served at ``/``, same origin as the API.

When the studio has not been built, ``/`` answers with a short page that says how to build it,
instead of a bare 404.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["NOT_BUILT_HTML", "mount_studio"]

NOT_BUILT_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>story_gen studio</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}
code{background:#eee;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>story_gen studio is not built yet</h1>
<p>The sync API is running (<a href="/api/v1">/api/v1</a>, <a href="/docs">/docs</a>),
but there is no studio to show at <code>{web_dir}</code>.</p>
<p>Build it with <code>make web</code> and reload this page, or run <code>make run</code>,
which builds it and starts this server.</p></body></html>
"""


def mount_studio(app: FastAPI, web_dir: Path | None) -> None:
    # Pyodide needs .wasm served as application/wasm; not every mimetypes table knows it.
    mimetypes.add_type("application/wasm", ".wasm")
    mimetypes.add_type("text/javascript", ".mjs")
    if web_dir is not None and (web_dir / "index.html").is_file():
        app.mount("/", StaticFiles(directory=web_dir, html=True), name="studio")
        return
    page = NOT_BUILT_HTML.replace("{web_dir}", str(web_dir or "build/web"))

    @app.get("/", include_in_schema=False)
    def studio_not_built() -> HTMLResponse:
        return HTMLResponse(page)
