"""Dispatch one request envelope to its handler and reduce every outcome to a reply envelope."""

from __future__ import annotations

import traceback

from pydantic import ValidationError

from story_gen.browser._envelope import (
    describe_validation,
    error_reply,
    parse_request,
    request_id,
    result_reply,
)
from story_gen.browser._errors import InvalidArgsError, StudioError, UnknownHandlerError
from story_gen.browser._registry import Registry
from story_gen.browser._service import Studio

__all__ = ["Facade"]


class Facade:
    def __init__(self, studio: Studio, registry: Registry) -> None:
        self.studio = studio
        self.registry = registry

    async def handle(self, request_json: str) -> str:
        """Reply JSON for a request JSON. Never raises: every failure is an error reply."""
        rid = request_id(request_json)
        try:
            request = parse_request(request_json)
            found = self.registry.get(request.name)
            if found is None:
                raise UnknownHandlerError(
                    f"There is no handler called {request.name!r}; "
                    f"the studio has: {', '.join(h.name for h in self.registry)}."
                )
            try:
                args = found.args_model.model_validate(request.args)
            except ValidationError as error:
                raise InvalidArgsError(f"{request.name}: {describe_validation(error)}") from None
            async with self.studio.lock:
                result = await found.func(self.studio, args)
            return result_reply(request.id, result.model_dump_json())
        except StudioError as error:
            return error_reply(rid, error)
        except Exception as error:
            traceback.print_exc()  # the worker's console keeps the details for a bug report
            name = type(error).__name__
            return error_reply(
                rid,
                StudioError(
                    f"Something went wrong inside the studio ({name}: {error}).", type="internal"
                ),
            )
