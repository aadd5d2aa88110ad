"""What the client raises: the server's own diagnostics, or why no answer came."""

from __future__ import annotations

from typing import Any

from story_gen.core import Diagnostic

__all__ = ["ApiError", "ClientError", "TransportError"]


class ClientError(Exception):
    """Base of everything :mod:`story_gen.client` raises."""


class TransportError(ClientError):
    """No HTTP answer (connection refused, timeout) after every allowed attempt."""

    def __init__(self, method: str, url: str, cause: Exception, attempts: int) -> None:
        super().__init__(
            f"{method} {url}: no answer after {attempts} attempt(s) ({type(cause).__name__}: "
            f"{cause}); check the API URL and your connection, then try again"
        )
        self.method = method
        self.url = url
        self.cause = cause
        self.attempts = attempts


class ApiError(ClientError):
    """The server answered with an error: its ``status``, ``code``, ``message``,
    ``diagnostics`` (the core's shape), ``request_id`` and the whole body as ``details``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        diagnostics: list[Diagnostic] | None = None,
        request_id: str | None = None,
        details: Any = None,
        retry_after: float | None = None,
    ) -> None:
        where = f" (request {request_id})" if request_id else ""
        super().__init__(f"{status} {code}: {message}{where}")
        self.status = status
        self.code = code
        self.message = message
        self.diagnostics = diagnostics or []
        self.request_id = request_id
        self.details = details
        self.retry_after = retry_after
