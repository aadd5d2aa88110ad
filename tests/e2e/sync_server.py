"""The sync API (PostgreSQL + S3 over HTTP, as the API's own suite runs it) under uvicorn in a
thread, serving the studio's build from the same origin (as ``story-gen serve`` does) unless
told otherwise; ``stop()`` and ``start()`` again on the same port: the API down for a while."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import uvicorn

from story_gen.sync_api.app import create_app
from story_gen.sync_api.config import Settings

__all__ = ["ApiServer"]

START_TIMEOUT_S = 60.0


@dataclass
class ApiServer:
    settings: Settings
    port: int
    _server: uvicorn.Server | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # A new app each time: the lifespan's shutdown disposed the previous one's engine.
        app = create_app(self.settings)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"the sync API did not start on port {self.port}")
            time.sleep(0.02)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=30)
        self._server = self._thread = None
