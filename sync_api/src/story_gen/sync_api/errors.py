"""One error shape for every failure the API reports, and the handlers that produce it.

Every 4xx/5xx body is an :class:`ErrorPublic`::

    {"code": "blueprint_invalid", "message": "...", "diagnostics": [...], "request_id": "..."}

``diagnostics`` uses the core's :class:`~story_gen.core.diagnostic.Diagnostic` shape, so a
client shows a server-side rejection exactly as it shows the studio's own checks. FastAPI's
request validation errors are translated into the same shape (code ``request_invalid``).

Exceptions::

    ApiError                    raised by routes and services, carries status + code
    (anything else)             caught by the request middleware: generic 500, logged as an
                                anomaly, no traceback in the body
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from story_gen.core.diagnostic import Diagnostic, Severity
from story_gen.sync_api.ops.context import current_request_id

__all__ = ["ApiError", "ErrorPublic", "error_response", "install_error_handlers"]


class ErrorPublic(BaseModel):
    """The body of every error response."""

    code: str = Field(description="Stable machine code, e.g. `blueprint_invalid`.")
    message: str = Field(description="What went wrong and how to fix it, in one or two sentences.")
    diagnostics: list[Diagnostic] = Field(
        default_factory=list, description="Field-level problems, in the core's shape."
    )
    request_id: str = Field(default="", description="Quote it when reporting a problem.")


class ApiError(Exception):
    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        diagnostics: Sequence[Diagnostic] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.diagnostics = list(diagnostics)
        self.headers = dict(headers or {})


def error_response(
    status_code: int,
    code: str,
    message: str,
    *,
    diagnostics: Sequence[Diagnostic] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorPublic(
        code=code,
        message=message,
        diagnostics=list(diagnostics),
        request_id=current_request_id(),
    )
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status_code, headers=dict(headers or {})
    )


def _loc_to_path(loc: Sequence[int | str]) -> str:
    parts = list(loc)
    where = str(parts.pop(0)) if parts and parts[0] in {"body", "query", "path", "header"} else ""
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    if where and where != "body":
        return f"{where}.{path}" if path else where
    return path


def validation_diagnostics(errors: Sequence[Any]) -> list[Diagnostic]:
    out = []
    for error in errors:
        kind = str(error.get("type", "invalid"))
        out.append(
            Diagnostic(
                severity=Severity.ERROR,
                code=f"request.{kind}",
                path=_loc_to_path(error.get("loc", ())),
                message=str(error.get("msg", "invalid value")),
                hint=_HINTS.get(kind),
            )
        )
    return out


_HINTS = {
    "missing": "add this field",
    "extra_forbidden": "remove this field; check its spelling against the API reference",
    "json_invalid": "send a valid JSON body with Content-Type: application/json",
    "uuid_parsing": "use a UUID such as 123e4567-e89b-12d3-a456-426614174000",
}

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(
        exc.status_code, exc.code, exc.message, diagnostics=exc.diagnostics, headers=exc.headers
    )


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    diagnostics = validation_diagnostics(exc.errors())
    first = diagnostics[0] if diagnostics else None
    where = f" at {first.path or 'the body'}" if first else ""
    message = f"the request is invalid{where}: {first.message}" if first else "invalid request"
    return error_response(422, "request_invalid", message, diagnostics=diagnostics)


_FASTAPI_BODY_UNREADABLE = "There was an error parsing the body"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    message = str(exc.detail) if exc.detail else code.replace("_", " ")
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and message == "Not Found":
        message = "no such endpoint; GET /api/v1 lists them"
    if exc.status_code == 400 and message == _FASTAPI_BODY_UNREADABLE:
        # FastAPI's answer to a body that is not text (not UTF-8); JSON syntax errors are 422.
        message = (
            "the request body is not readable text; send JSON encoded as UTF-8 with "
            "Content-Type: application/json"
        )
    if exc.status_code == 405:
        allowed = _allowed_methods(request) or [
            method.strip() for method in headers.get("Allow", "").split(",") if method.strip()
        ]
        headers["Allow"] = ", ".join(allowed)
        message = f"{request.method} is not allowed here; this path answers {', '.join(allowed)}"
    return error_response(exc.status_code, code, message, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every documented method of the request's path.

    Starlette's 405 names only the methods of the first route that matched the path, and
    FastAPI makes one route per method, so ``Allow`` would name one of several.
    """
    paths: dict[str, dict[str, Any]] = request.app.openapi()["paths"]
    methods: set[str] = set()
    for template, operations in paths.items():
        pattern = re.sub(r"\\{[^}/]+\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods |= {method.upper() for method in operations}
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
