"""Handlers by name: the decorator that registers them and the table the facade dispatches on.

A handler is ``async def f(studio, args: SomeArgs) -> SomeResult`` with pydantic models for
both; the decorator reads the two models from the annotations, so the registration, the
dispatcher's validation and the generated TypeScript can never disagree. Registering a name
twice raises at import time, not at the first call.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

__all__ = ["DuplicateHandlerError", "Handler", "Registry", "handler", "registry"]

A = TypeVar("A", bound=BaseModel)
R = TypeVar("R", bound=BaseModel)


class DuplicateHandlerError(Exception):
    """Two handlers were registered under one name."""


@dataclass(frozen=True)
class Handler(Generic[A, R]):
    name: str
    args_model: type[A]
    result_model: type[R]
    func: Callable[[Any, A], Awaitable[R]]
    doc: str


class Registry:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler[Any, Any]] = {}

    def register(
        self, name: str
    ) -> Callable[[Callable[[Any, A], Awaitable[R]]], Callable[[Any, A], Awaitable[R]]]:
        def decorator(func: Callable[[Any, A], Awaitable[R]]) -> Callable[[Any, A], Awaitable[R]]:
            if name in self._handlers:
                existing = self._handlers[name].func
                raise DuplicateHandlerError(
                    f"handler {name!r} is registered twice: by {existing.__module__}."
                    f"{existing.__qualname__} and by {func.__module__}.{func.__qualname__}"
                )
            if not inspect.iscoroutinefunction(func):
                raise TypeError(f"handler {name!r} must be an async function")
            hints = typing.get_type_hints(func)
            params = list(inspect.signature(func).parameters)
            if len(params) != 2:
                raise TypeError(f"handler {name!r} must take (studio, args)")
            args_model, result_model = hints.get(params[1]), hints.get("return")
            for role, model in (("args", args_model), ("result", result_model)):
                if not (isinstance(model, type) and issubclass(model, BaseModel)):
                    raise TypeError(f"handler {name!r}: the {role} annotation must be a model")
            self._handlers[name] = Handler(
                name=name,
                args_model=typing.cast(type[A], args_model),
                result_model=typing.cast(type[R], result_model),
                func=func,
                doc=inspect.getdoc(func) or "",
            )
            return func

        return decorator

    def get(self, name: str) -> Handler[Any, Any] | None:
        return self._handlers.get(name)

    def __iter__(self) -> Iterator[Handler[Any, Any]]:
        return iter(sorted(self._handlers.values(), key=lambda h: h.name))

    def __len__(self) -> int:
        return len(self._handlers)


registry = Registry()
"""The studio's handlers (filled in by importing story_gen.browser.handlers)."""

handler = registry.register
