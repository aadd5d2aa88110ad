"""A transport-neutral HTTP answer, and turning an error answer into :class:`ApiError`.

Transports (httpx here, the browser's fetch in the studio) hand the rest of the client a
:class:`Reply`; nothing past this point knows which library made the request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from story_gen.client.errors import ApiError
from story_gen.core import Diagnostic

__all__ = ["Reply", "error_from", "retry_after"]


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    """Lower-case names."""

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def retry_after(reply: Reply) -> float | None:
    """``Retry-After`` in seconds (the server sends delta-seconds), if present and sane."""
    value = reply.header("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def error_from(reply: Reply, method: str, path: str) -> ApiError:
    """The server's error body (``code``, ``message``, ``diagnostics``, ``request_id``) as an
    exception; an answer that is not that shape (a proxy's HTML page) still says what came."""
    try:
        body = reply.json()
    except ValueError:
        body = None
    request_id = reply.header("x-request-id")
    if isinstance(body, dict) and isinstance(body.get("code"), str):
        diagnostics: list[Diagnostic] = []
        for raw in body.get("diagnostics") or []:
            try:
                diagnostics.append(Diagnostic.model_validate(raw))
            except ValidationError:
                continue
        return ApiError(
            reply.status,
            body["code"],
            str(body.get("message", "")),
            diagnostics=diagnostics,
            request_id=body.get("request_id") or request_id,
            details=body,
            retry_after=retry_after(reply),
        )
    text = reply.body[:200].decode("utf-8", "replace")
    return ApiError(
        reply.status,
        "unexpected_answer",
        f"{method} {path} answered {reply.status} without the API's error body: {text!r}",
        request_id=request_id,
        details=text,
        retry_after=retry_after(reply),
    )
