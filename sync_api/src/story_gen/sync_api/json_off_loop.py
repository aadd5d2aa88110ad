"""A route class that parses a large JSON request body in a worker thread.

FastAPI parses a JSON body with ``json.loads`` on the event loop before any check, so one
multi-megabyte push stalls every other request of the process meanwhile (issue 13, item 8).
Routes of this class parse a body above :data:`OFF_LOOP_BYTES` with
``anyio.to_thread.run_sync`` first and hand the result to FastAPI through Starlette's cache of
the parsed body (``Request.json`` returns it), so validation and error answers stay FastAPI's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import anyio.to_thread
from fastapi import Request, Response
from fastapi.routing import APIRoute

__all__ = ["OFF_LOOP_BYTES", "JsonOffLoopRoute"]

OFF_LOOP_BYTES = 64 * 1024
"""Bodies up to this size are parsed on the loop: a thread hop costs more than their parse."""


def _parse(body: bytes) -> Any:
    return json.loads(body)


class JsonOffLoopRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def parse_then_handle(request: Request) -> Response:
            body = await request.body()
            if len(body) > OFF_LOOP_BYTES and "json" in request.headers.get("content-type", ""):
                try:
                    parsed = await anyio.to_thread.run_sync(_parse, body)
                except ValueError:
                    pass  # not JSON or not UTF-8: FastAPI parses again and answers as usual
                else:
                    # Starlette's Request.json() returns this cache instead of parsing again.
                    request._json = parsed
            return await handle(request)

        return parse_then_handle
