"""Running the client's request descriptions (:mod:`story_gen.client.calls`) over :class:`Http`.

The httpx clients and the studio share the descriptions (path, body, whether a retry is safe,
how to read the answer), so the studio speaks exactly the wire the Python client speaks. Retries
here are only the quick ones for an answer such as 503: waiting out a longer outage is the
scheduler's job (:mod:`._scheduler`), which never blocks the writer.
"""

from __future__ import annotations

import asyncio
import json
from typing import TypeVar
from urllib.parse import urlencode

from story_gen.browser.sync._http import Http, HttpFailedError
from story_gen.client.calls import Call
from story_gen.client.errors import ApiError
from story_gen.client.reply import error_from
from story_gen.client.retry import RetryPolicy

__all__ = ["QUICK_RETRY", "execute"]

T = TypeVar("T")

QUICK_RETRY = RetryPolicy(attempts=2, base_delay=0.25, max_delay=2.0)


def url_of(base_url: str, call: Call[T]) -> str:
    query = f"?{urlencode(dict(call.params))}" if call.params else ""
    return f"{base_url.rstrip('/')}{call.path}{query}"


async def execute(
    http: Http,
    base_url: str,
    call: Call[T],
    *,
    token: str | None = None,
    retry: RetryPolicy = QUICK_RETRY,
) -> T:
    """The call's answer, read; :class:`ApiError` for an error answer, :class:`HttpFailedError`
    when no answer came (after the quick retries a safe call is allowed)."""
    headers = {"accept": "application/json"}
    body = None
    if call.json is not None:
        headers["content-type"] = "application/json"
        body = json.dumps(call.json)
    if call.authenticated and token is not None:
        headers["authorization"] = f"Bearer {token}"
    attempts = retry.attempts if call.idempotent else 1
    url = url_of(base_url, call)
    for attempt in range(1, attempts + 1):
        last = attempt == attempts
        try:
            reply = await http.request(call.method, url, headers, body)
        except HttpFailedError:
            if last:
                raise
            await asyncio.sleep(retry.delay(attempt))
            continue
        if reply.status < 400:
            return call.read(reply)
        error = error_from(reply, call.method, call.path)
        if last or not retry.retries_status(reply.status):
            raise error
        await asyncio.sleep(retry.delay(attempt, error.retry_after))
    raise AssertionError("unreachable: the last attempt returns or raises")


def is_unauthorized(error: ApiError) -> bool:
    return error.status == 401
