"""The one envelope across the worker boundary (request, reply, push), as JSON strings.

request ``{"id": int, "name": str, "args": {...}}``;
reply ``{"type": "reply", "id": ..., "result": ...}`` or
``{"type": "reply", "id": ..., "error": {"type": ..., "message": ...}}``;
push ``{"type": "push", "name": ..., "args": ...}``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError

from story_gen.browser._errors import BadRequestError, StudioError

__all__ = [
    "ErrorInfo",
    "Push",
    "Reply",
    "Request",
    "error_reply",
    "parse_request",
    "push_message",
    "result_reply",
]


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Request(_Envelope):
    id: int = Field(description="Chosen by the caller; echoed in the reply.")
    name: str
    args: dict[str, JsonValue] = Field(default_factory=dict)


class ErrorInfo(_Envelope):
    type: str = Field(description="Stable code, e.g. 'storage.quota', 'edit.invalid'.")
    message: str = Field(description="A sentence for the writer: what, where, how to fix.")


class Reply(_Envelope):
    type: Literal["reply"] = "reply"
    id: int | None = Field(description="The request's id; null when the request had none.")
    result: JsonValue = None
    error: ErrorInfo | None = None


class Push(_Envelope):
    type: Literal["push"] = "push"
    name: str
    args: JsonValue = None


def parse_request(text: str) -> Request:
    """Parse a request, or raise BadRequestError saying what is wrong with it."""
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, TypeError) as error:
        raise BadRequestError(f"the request is not JSON: {error}") from None
    if not isinstance(raw, dict):
        raise BadRequestError("the request must be a JSON object {id, name, args}")
    try:
        return Request.model_validate(raw)
    except ValidationError as error:
        raise BadRequestError(f"the request is malformed: {describe_validation(error)}") from None


def request_id(text: str) -> int | None:
    """The id of a possibly malformed request, so even its error reply can be matched."""
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return None
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def result_reply(request_id: int | None, result_json: str) -> str:
    # The result is already JSON (a model's model_dump_json): splice it in rather than parse
    # and re-serialise a possibly large story.
    rid = "null" if request_id is None else str(request_id)
    return f'{{"type":"reply","id":{rid},"result":{result_json}}}'


def error_reply(request_id: int | None, error: StudioError) -> str:
    return Reply(
        id=request_id, error=ErrorInfo(type=error.type, message=error.message)
    ).model_dump_json()


def push_message(name: str, args_json: str) -> str:
    # The args are already JSON (a model's model_dump_json), spliced in as in result_reply.
    return f'{{"type":"push","name":{json.dumps(name)},"args":{args_json}}}'


def describe_validation(error: ValidationError) -> str:
    """A pydantic error in writer's words: ``where: what`` for each problem, at most five."""
    parts: list[str] = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "<value>"
        parts.append(f"{where}: {_plain(item)}")
    more = len(error.errors()) - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def _plain(item: Any) -> str:
    message = str(item.get("msg", "invalid"))
    return message.removeprefix("Value error, ")
