"""The two places the e2e tests open the studio, as one :class:`Site` shape.

- ``static``: the plain static file server of :mod:`tests.e2e.studio` (``http.server``), with the
  build under a sub-path, as GitHub Pages serves it.
- ``local``: ``story-gen serve`` (the sync API and the studio from one origin, on the embedded
  SQLite default), started as a subprocess on a free port with its own data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

__all__ = ["LocalServer", "Site", "start_local_server"]

START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Site:
    """Where the studio is served: ``url`` is its root and ends with ``/``."""

    name: str
    origin: str
    url: str

    def studio_url(self, db: str | None = None, route: str = "") -> str:
        """The studio with its own IndexedDB (``?db=``), so tests never share stored stories."""
        return f"{self.url}?db={db or 'e2e-' + uuid.uuid4().hex[:12]}{route}"


@dataclass
class LocalServer:
    process: subprocess.Popen[bytes]
    site: Site
    log_path: Path
    log: IO[bytes] = field(repr=False)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.log.close()


def _story_gen_command() -> list[str]:
    """The installed ``story-gen`` script of this environment (what a writer runs)."""
    script = Path(sys.executable).parent / "story-gen"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from story_gen.cli.main import main; main()"]


def start_local_server(web_dir: Path, data_dir: Path, port: int) -> LocalServer:
    """Run ``story-gen serve`` and wait until it serves the studio's index page."""
    log_path = data_dir / "serve.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    command = [
        *_story_gen_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir / "data"),
        "--web-dir",
        str(web_dir),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORY_GEN_")}
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    origin = f"http://127.0.0.1:{port}"
    server = LocalServer(process, Site("local", origin, origin + "/"), log_path, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            raise RuntimeError(
                f"`story-gen serve` exited with {process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(origin + "/", timeout=2) as response:
                if response.status == 200 and b'id="root"' in response.read():
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        f"`story-gen serve` did not serve the studio within {START_TIMEOUT_S:.0f} s:\n"
        f"{server.log_tail()}"
    )
