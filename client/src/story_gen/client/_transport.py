"""What the sync and async clients share around httpx: building the request, reading the
answer into a :class:`Reply`, deciding whether to retry."""

from __future__ import annotations

from typing import Any

import httpx

from story_gen.client.calls import Call
from story_gen.client.reply import Reply, error_from, retry_after
from story_gen.client.retry import RetryPolicy

__all__ = ["DEFAULT_TIMEOUT", "Outcome", "judge", "request_args", "to_reply"]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def request_args(call: Call[Any], token: str | None) -> dict[str, Any]:
    headers = {"Accept": "application/json"}
    if call.authenticated and token:
        headers["Authorization"] = f"Bearer {token}"
    args: dict[str, Any] = {"headers": headers, "params": dict(call.params)}
    if call.json is not None:
        args["json"] = call.json
    return args


def to_reply(response: httpx.Response) -> Reply:
    headers = {name.lower(): value for name, value in response.headers.items()}
    return Reply(status=response.status_code, body=response.content, headers=headers)


class Outcome:
    """What to do with one try: ``value`` (done), ``wait`` seconds then retry, or ``error``."""

    def __init__(
        self, *, value: Any = None, wait: float | None = None, error: Exception | None = None
    ) -> None:
        self.value = value
        self.wait = wait
        self.error = error


def judge(
    call: Call[Any],
    policy: RetryPolicy,
    attempt: int,
    reply: Reply | None,
    failure: httpx.TransportError | None,
    url: str,
) -> Outcome:
    from story_gen.client.errors import TransportError

    last = attempt >= policy.attempts or not call.idempotent
    if reply is None:
        assert failure is not None
        if last:
            return Outcome(error=TransportError(call.method, url, failure, attempt))
        return Outcome(wait=policy.delay(attempt))
    if reply.status < 400:
        return Outcome(value=call.read(reply))
    if policy.retries_status(reply.status) and not last:
        return Outcome(wait=policy.delay(attempt, retry_after(reply)))
    return Outcome(error=error_from(reply, call.method, call.path))
