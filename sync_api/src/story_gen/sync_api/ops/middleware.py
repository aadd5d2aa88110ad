"""Pure ASGI middleware: request ids + access logs + last-resort 500s, the body size limit, and
compression of API responses.

Written as raw ASGI (not ``BaseHTTPMiddleware``) so the body limit can count bytes as they
stream in, which also covers chunked requests that carry no ``Content-Length``.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from story_gen.sync_api.ops.context import request_id_var
from story_gen.sync_api.ops.logs import logger

__all__ = ["ApiCompressionMiddleware", "BodyLimitMiddleware", "RequestContextMiddleware"]

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

AnomalySink = Callable[[str, str, dict[str, object]], None]
"""(kind, request_id, detail) -> None; records an anomaly event somewhere durable."""


def _json_body(status: int, code: str, message: str, request_id: str) -> bytes:
    return json.dumps(
        {"code": code, "message": message, "diagnostics": [], "request_id": request_id}
    ).encode()


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, on_anomaly: AnomalySink) -> None:
        self.app = app
        self.on_anomaly = on_anomaly

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            logger.exception(
                "unhandled error", extra={"path": scope.get("path"), "method": scope.get("method")}
            )
            self.on_anomaly(
                "server_error",
                request_id,
                {"path": scope.get("path"), "error": type(exc).__name__},
            )
            if status == 0:
                status = 500
                body = _json_body(
                    500,
                    "internal_error",
                    "the server hit an unexpected error; nothing was changed by it "
                    "if it happened before the response, retry or report the request id",
                    request_id,
                )
                await send(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"x-request-id", request_id.encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
        finally:
            logger.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)


AUTH_MAX_REQUEST_BYTES = 16 * 1024
"""Largest body of an ``/api/v1/auth/`` request: an e-mail, a password and a name fit in a
few hundred bytes, and these routes are open to anyone (issue 13, item 8)."""


class BodyLimitMiddleware:
    """Reject bodies over the route's limit with 413 before the app sees them.

    The limit is ``max_bytes``, except under ``/api/v1/auth/`` (:data:`AUTH_MAX_REQUEST_BYTES`):
    a login must not be able to make the server buffer megabytes. The body is read up front
    (FastAPI would buffer it anyway) and counted as it streams, so a chunked request without
    ``Content-Length`` is stopped at the limit, not after it.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _limit(self, scope: Scope) -> int:
        path = str(scope.get("path", ""))
        if path.startswith("/api/v1/auth/"):
            return min(self.max_bytes, AUTH_MAX_REQUEST_BYTES)
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._reject(send, limit)
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                await self._reject(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        await self.app(
            scope,
            _replay([{"type": "http.request", "body": body, "more_body": False}], receive),
            send,
        )

    async def _reject(self, send: Send, limit: int) -> None:
        body = _json_body(
            413,
            "payload_too_large",
            f"the request body is larger than the {limit} bytes this server accepts here; "
            "send fewer changes per push or a smaller document",
            request_id_var.get(),
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


class ApiCompressionMiddleware:
    """gzip for API responses when the client accepts it (browsers and httpx always do).

    A pulled 1,000-chapter story is about 600 KB of JSON and a quarter of that compressed at
    the lowest level, for about 4 ms of CPU. Only under ``/api/``: the studio's static files
    are served as they are.
    """

    def __init__(self, app: ASGIApp, *, minimum_size: int = 1024) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith("/api/"):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
