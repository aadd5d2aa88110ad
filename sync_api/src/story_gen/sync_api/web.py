"""The built studio (``build/web``) served at ``/``, same origin as the API.

Served the way docs/studio.md ("Serving") asks of any host: the build's precompressed ``.br`` /
``.gz`` siblings when the request accepts them, immutable caching for content-addressed folders,
revalidation for the entry points. When the studio has not been built, ``/`` answers with a
short page that says how to build it, instead of a bare 404.
"""

from __future__ import annotations

import mimetypes
import os
from html.parser import HTMLParser
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse
from starlette.types import Scope

__all__ = [
    "NOT_BUILT_HTML",
    "StudioFiles",
    "accepted_encodings",
    "content_security_policy",
    "mount_studio",
]

# Folders whose URLs change whenever their bytes do (content-addressed by the build).
IMMUTABLE_PREFIXES = ("assets/", "pyodide/", "wheels/")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Preferred first: brotli is ~25% smaller than gzip on the Pyodide runtime.
SIBLINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """Content codings an ``Accept-Encoding`` header accepts (``q=0`` refuses one)."""
    accepted: set[str] = set()
    refused: set[str] = set()
    wildcard = False
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name == "*":
            wildcard = q > 0
        elif q > 0:
            accepted.add(name)
        else:
            refused.add(name)
    if wildcard:
        accepted |= {coding for coding, _ in SIBLINGS} - refused
    return accepted


class _PolicyMeta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.policy: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        equiv = (values.get("http-equiv") or "").lower()
        if tag == "meta" and equiv == "content-security-policy" and self.policy is None:
            self.policy = values.get("content")


def content_security_policy(index_html: str) -> str | None:
    """The policy the build wrote into index.html's ``<meta http-equiv>`` (web/scripts/csp.mjs)."""
    parser = _PolicyMeta()
    parser.feed(index_html)
    return parser.policy


class StudioFiles(StaticFiles):
    """``StaticFiles`` that sends a precompressed sibling and the build's cache headers.

    Every file also carries the build's Content-Security-Policy as a header: the page has it
    from its ``<meta>`` already, but a worker takes its policy from its own script's response,
    so without the header the studio's workers (where the sync client's requests start) would
    be unrestricted.
    """

    def __init__(self, *, directory: Path, policy: str | None) -> None:
        super().__init__(directory=directory, html=True)
        self.policy = policy

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        request_headers = Headers(scope=scope)
        path = os.fspath(full_path)
        relative = os.path.relpath(path, os.path.realpath(str(self.directory))).replace(os.sep, "/")
        headers = {
            "Cache-Control": IMMUTABLE if relative.startswith(IMMUTABLE_PREFIXES) else REVALIDATE
        }
        if self.policy is not None:
            headers["Content-Security-Policy"] = self.policy
        media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        accepted = accepted_encodings(request_headers.get("accept-encoding", ""))
        has_sibling = False
        for coding, suffix in SIBLINGS:
            if not os.path.isfile(path + suffix):
                continue
            has_sibling = True
            if coding in accepted:
                headers["Content-Encoding"] = coding
                headers["Vary"] = "Accept-Encoding"
                path = path + suffix
                stat_result = os.stat(path)
                break
        else:
            if has_sibling:
                headers["Vary"] = "Accept-Encoding"
        response = FileResponse(
            path,
            status_code=status_code,
            stat_result=stat_result,
            media_type=media_type,
            headers=headers,
        )
        if self.is_not_modified(response.headers, request_headers):
            return NotModifiedResponse(response.headers)
        return response


NOT_BUILT_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>story_gen studio</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}
code{background:#eee;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>story_gen studio is not built yet</h1>
<p>The sync API is running (<a href="/api/v1">/api/v1</a>,
<a href="/openapi.json">/openapi.json</a>),
but there is no studio to show at <code>{web_dir}</code>.</p>
<p>Build it with <code>make web</code> and reload this page, or run <code>make run</code>,
which builds it and starts this server.</p></body></html>
"""


def mount_studio(app: FastAPI, web_dir: Path | None) -> None:
    # Pyodide needs .wasm served as application/wasm; not every mimetypes table knows it.
    mimetypes.add_type("application/wasm", ".wasm")
    mimetypes.add_type("text/javascript", ".mjs")
    if web_dir is not None and (web_dir / "index.html").is_file():
        policy = content_security_policy((web_dir / "index.html").read_text(encoding="utf-8"))
        app.mount("/", StudioFiles(directory=web_dir, policy=policy), name="studio")
        return
    page = NOT_BUILT_HTML.replace("{web_dir}", str(web_dir or "build/web"))

    @app.get("/", include_in_schema=False)
    def studio_not_built() -> HTMLResponse:
        return HTMLResponse(page)
