"""The seam between the sync client and the network: one HTTP request, one answer.

:class:`Http` is all the sync client needs of ``fetch``. The real side is
:class:`story_gen.browser._js.JsHttp` (the browser's ``fetch``, in the studio's worker); tests
pass any other implementation (httpx against a real API under CPython). Either side raises
:class:`HttpFailedError` when no answer came at all (offline, refused, timed out, blocked by CORS).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from story_gen.client.reply import Reply

__all__ = ["ANSWER_HEADERS", "Http", "HttpFailedError"]

ANSWER_HEADERS = ("retry-after", "x-request-id", "x-story-revision", "content-type")
"""The answer headers the client reads (a fetch reads headers one by one, by name)."""


class HttpFailedError(Exception):
    """No HTTP answer: the device is offline, the API is down, or the browser refused."""


class Http(Protocol):
    async def request(
        self, method: str, url: str, headers: Mapping[str, str], body: str | None
    ) -> Reply:
        """Send one request; the answer whatever its status, or :class:`HttpFailedError`."""
