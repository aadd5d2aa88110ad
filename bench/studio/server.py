"""The benchmark's static server: build/web/ under a sub-path, compressed, counting every byte.

What it does, so the figures can be read against a real host:

- **Encoding** (``mode``). By default, for each GET, in order of preference: the build's
  precompressed sibling (``file.br`` if the client accepts ``br``, else ``file.gz`` for
  ``gzip``; ``make web`` writes both, archives brotli'd from a stored copy), or gzip made on
  the fly (level 6, cached) for text-like types and wasm when the build has no sibling, or the
  file as it is. ``gzip-on-the-fly`` ignores the siblings (a host that compresses by itself and
  sends archives as they are); ``identity`` compresses nothing. ``pages`` is GitHub Pages:
  the siblings ignored, the ``Content-Type`` Pages sends for each extension (mime-db's, so
  ``.whl`` is ``application/octet-stream``), gzip made on the fly exactly for the types mime-db
  marks compressible (text, JavaScript, JSON, SVG, wasm; never zip, octet-stream or PNG), a
  folder named without its slash redirected (301) to it, and a missing file answered with the
  site's ``404.html`` (status 404). ``Vary: Accept-Encoding``
  is sent whenever an encoding was chosen.
- **Caching headers as GitHub Pages sends them**: ``Cache-Control: max-age=600``, a strong
  ``ETag`` (per file and encoding) and ``Last-Modified``; ``If-None-Match`` gets a 304.
- **Counting.** Every byte written to a socket (status line, headers, body) is added to
  :attr:`Counter.bytes_sent`, per request too, so a benchmark can cross-check what the
  browser reports (CDP ``encodedDataLength``) with what really left the server.

Standard library only; one thread per connection (``ThreadingHTTPServer``).
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import http.server
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

__all__ = ["BenchServer", "Counter", "Served", "serve"]

CACHE_CONTROL = "max-age=600"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}
# Compressed on the fly when the build has no sibling (what a host like GitHub Pages does for
# text; archives are left alone, as there).
ON_THE_FLY = {".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg", ".wasm", ".txt"}
# ``pages``: the type GitHub Pages sends per extension (it takes them from mime-db; an extension
# mime-db does not know, such as .whl, is application/octet-stream) and whether Pages gzips it
# (mime-db's ``compressible``). Brotli and precompressed files are never used.
PAGES_TYPES = {
    ".html": ("text/html; charset=utf-8", True),
    ".js": ("application/javascript; charset=utf-8", True),
    ".mjs": ("application/javascript; charset=utf-8", True),
    ".css": ("text/css; charset=utf-8", True),
    ".json": ("application/json; charset=utf-8", True),
    ".map": ("application/json; charset=utf-8", True),
    ".webmanifest": ("application/manifest+json; charset=utf-8", True),
    ".svg": ("image/svg+xml", True),
    ".txt": ("text/plain; charset=utf-8", True),
    ".xml": ("application/xml", True),
    ".wasm": ("application/wasm", True),
    ".zip": ("application/zip", False),
    ".gz": ("application/gzip", False),
    ".br": ("application/octet-stream", False),
    ".png": ("image/png", False),
    ".ico": ("image/vnd.microsoft.icon", False),
    ".woff2": ("font/woff2", False),
}
PAGES_DEFAULT_TYPE = ("application/octet-stream", False)


@dataclass
class Served:
    path: str
    status: int
    encoding: str  # "br", "gzip", "gzip-on-the-fly", "identity"
    bytes_sent: int


@dataclass
class Counter:
    """Bytes written to clients, in total and per request (thread-safe)."""

    bytes_sent: int = 0
    requests: list[Served] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, served: Served) -> None:
        with self._lock:
            self.bytes_sent += served.bytes_sent
            self.requests.append(served)

    def reset(self) -> None:
        with self._lock:
            self.bytes_sent = 0
            self.requests = []

    def snapshot(self) -> tuple[int, list[Served]]:
        with self._lock:
            return self.bytes_sent, list(self.requests)


class _CountingWriter:
    """Wraps the socket's write side and counts what goes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        self.raw.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _Handler(http.server.BaseHTTPRequestHandler):
    root: Path
    sub_path: str
    counter: Counter
    gzip_cache: dict[tuple[str, float], bytes]
    gzip_lock: threading.Lock
    mode: str
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self._writer = _CountingWriter(self.wfile)  # type: ignore[arg-type]
        self.wfile = self._writer  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def _respond(self, *, send_body: bool) -> None:
        before = self._writer.count
        status, encoding = self._send(send_body)
        self.wfile.flush()
        path = urlsplit(self.path).path
        self.counter.add(Served(path, status, encoding, self._writer.count - before))

    def _resolve(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.sub_path):
            return None
        relative = path[len(self.sub_path) :]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root) or not target.is_file():
            return None
        return target

    def _content_type(self, target: Path) -> str:
        if self.mode == "pages":
            return PAGES_TYPES.get(target.suffix, PAGES_DEFAULT_TYPE)[0]
        return TYPES.get(target.suffix, "application/octet-stream")

    def _folder_without_slash(self) -> str | None:
        """``/<sub>/docs`` naming a folder: where Pages redirects it (``/<sub>/docs/``)."""
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if self.mode != "pages" or not path.startswith(self.sub_path) or path.endswith("/"):
            return None
        folder = (self.root / path[len(self.sub_path) :]).resolve()
        if folder.is_relative_to(self.root) and folder.is_dir():
            return parts.path + "/" + (f"?{parts.query}" if parts.query else "")
        return None

    def _send(self, send_body: bool) -> tuple[int, str]:
        location = self._folder_without_slash()
        if location is not None:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return 301, "identity"
        target = self._resolve()
        not_found = self.root / "404.html"
        if target is None and self.mode == "pages" and not_found.is_file():
            # Pages answers every missing path with the site's 404.html, as a 404.
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", PAGES_TYPES[".html"][0])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return 404, "identity"
        if target is None:
            body = b"not found\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return 404, "identity"
        accepted = {
            part.split(";")[0].strip().lower()
            for part in self.headers.get("Accept-Encoding", "").split(",")
        }
        body_path, encoding, made = self._choose(target, accepted)
        stat = body_path.stat()
        identity = f"{body_path}:{encoding}:{stat.st_mtime_ns}:{stat.st_size}"
        etag = '"' + hashlib.sha1(identity.encode()).hexdigest()[:20] + '"'
        if etag in self.headers.get("If-None-Match", ""):
            self.send_response(304)
            self._common_headers(etag, stat.st_mtime, encoding)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return 304, encoding
        data = made if made is not None else body_path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self._content_type(target))
        self._common_headers(etag, stat.st_mtime, encoding)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if send_body:
            self.wfile.write(data)
        return 200, encoding

    def _common_headers(self, etag: str, mtime: float, encoding: str) -> None:
        self.send_header("Cache-Control", CACHE_CONTROL)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        if encoding != "identity":
            self.send_header("Content-Encoding", encoding.removesuffix("-on-the-fly"))
            self.send_header("Vary", "Accept-Encoding")

    def _choose(self, target: Path, accepted: set[str]) -> tuple[Path, str, bytes | None]:
        """(file whose bytes are sent, encoding, bytes if made here)."""
        if self.mode == "precompressed":
            for token, suffix in (("br", ".br"), ("gzip", ".gz")):
                sibling = target.with_name(target.name + suffix)
                if token in accepted and sibling.is_file():
                    return sibling, token, None
        if self.mode == "pages":
            compressible = PAGES_TYPES.get(target.suffix, PAGES_DEFAULT_TYPE)[1]
        else:
            compressible = self.mode != "identity" and target.suffix in ON_THE_FLY
        if compressible and "gzip" in accepted:
            key = (str(target), target.stat().st_mtime)
            with self.gzip_lock:
                if key not in self.gzip_cache:
                    self.gzip_cache[key] = gzip.compress(
                        target.read_bytes(), compresslevel=6, mtime=0
                    )
                compressed = self.gzip_cache[key]
            return target, "gzip-on-the-fly", compressed
        return target, "identity", None


@dataclass
class BenchServer:
    origin: str
    sub_path: str
    counter: Counter
    server: http.server.ThreadingHTTPServer = field(repr=False)

    @property
    def url(self) -> str:
        return f"{self.origin}{self.sub_path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


MODES = ("precompressed", "gzip-on-the-fly", "pages", "identity")


def serve(root: Path, sub_path: str = "/story-gen/", mode: str = "precompressed") -> BenchServer:
    """Serve ``root`` at ``sub_path`` on 127.0.0.1 (a free port), in a background thread.

    ``mode``: ``precompressed`` (the build's siblings, else gzip on the fly for text),
    ``gzip-on-the-fly`` (ignore the siblings: what a host that compresses text itself and
    sends archives as they are, would send), ``pages`` (GitHub Pages: its types, gzip by
    type, no siblings, its 404 page) or ``identity`` (nothing).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    counter = Counter()
    handler = type(
        "BenchHandler",
        (_Handler,),
        {
            "root": root.resolve(),
            "sub_path": sub_path,
            "counter": counter,
            "gzip_cache": {},
            "gzip_lock": threading.Lock(),
            "mode": mode,
        },
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True, name="bench-static").start()
    return BenchServer(f"http://127.0.0.1:{port}", sub_path, counter, server)
