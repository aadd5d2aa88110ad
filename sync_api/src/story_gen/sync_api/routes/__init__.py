"""One router per resource; each declares the error responses it can give (all ErrorPublic)."""

from __future__ import annotations

from typing import Any

from story_gen.sync_api.errors import ErrorPublic

__all__ = ["errors"]

_DESCRIPTIONS = {
    400: "The request body is not readable text (JSON must be UTF-8).",
    401: "Missing, unknown, revoked or expired access token (or wrong credentials at login).",
    404: "No such story or revision in your account.",
    409: "Conflicts with stored state (see `code`).",
    413: "Request body, batch or blueprint too large, or an account quota reached (see `code`).",
    422: "Invalid request or blueprint; `diagnostics` says where.",
    429: "Too many attempts (logins, registrations) from this address or for this account; wait `Retry-After` seconds.",
    503: "Database or object store unreachable; retry after `Retry-After` seconds.",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the given status codes, plus 413/422/503 every route can give."""
    wanted = sorted({*codes, 413, 422, 503})
    return {code: {"model": ErrorPublic, "description": _DESCRIPTIONS[code]} for code in wanted}
