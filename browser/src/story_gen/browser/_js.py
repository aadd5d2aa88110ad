"""The one module that touches Pyodide's FFI (``js``, ``pyodide.ffi``); everything else is plain
Python that runs on CPython too (``tests/repo`` checks that no other module imports them).

:class:`JsHost` adapts the object ``browser/js/host.mjs``'s ``createHost()`` returns (registered
by the worker as the JS module ``story_gen_host``) to the :class:`~story_gen.browser._host.Host`
Protocol. Only strings cross: JSON goes in and comes out, and a rejected JS promise becomes a
:class:`~story_gen.browser._errors.StorageError` carrying the host's ``{type, message}``.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from pyodide.ffi import (  # type: ignore[import-not-found]
    JsException,
    create_proxy,
    run_sync,
    to_js,
)

from story_gen.browser._errors import STORAGE_ERROR, STORAGE_QUOTA, StorageError
from story_gen.browser.sync._http import ANSWER_HEADERS, HttpFailedError
from story_gen.client.reply import Reply

__all__ = ["JsHost", "JsHttp", "block_on", "js_module"]

HOST_MODULE = "story_gen_host"
T = TypeVar("T")


def js_module(name: str) -> Any:
    """A JS module the worker (or a test setup hook) registered with ``registerJsModule``."""
    return importlib.import_module(name)


def block_on(awaitable: Awaitable[T]) -> T:
    """Wait for ``awaitable`` from synchronous code (tests under pytest); needs JSPI."""
    return run_sync(awaitable)  # type: ignore[no-any-return]


def _storage_error(error: JsException) -> StorageError:
    name = str(getattr(error, "name", ""))
    if name == "StoryGenHostError":
        kind = str(getattr(error, "type", STORAGE_ERROR))
        message = str(getattr(error, "message", str(error)))
        return StorageError(
            message, type=kind if kind in (STORAGE_QUOTA, STORAGE_ERROR) else STORAGE_ERROR
        )
    return StorageError(f"the browser's storage failed: {error}")


async def _call(awaitable: Awaitable[T]) -> T:
    try:
        return await awaitable
    except JsException as error:
        raise _storage_error(error) from None


class JsHost:
    """The real host: IndexedDB, BroadcastChannel, navigator.storage, via ``host.mjs``."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._proxies: list[Any] = []

    @classmethod
    def from_module(cls, name: str = HOST_MODULE) -> JsHost:
        return cls(js_module(name))

    async def open(self) -> None:
        await _call(self._raw.open())

    async def list_summaries(self) -> str:
        return str(await _call(self._raw.listSummaries()))

    async def get_story(self, story_id: str) -> str | None:
        text = str(await _call(self._raw.getStory(story_id)))
        return None if text == "null" else text

    async def put_story_if_revision(
        self,
        story_id: str,
        expected_revision: int,
        summary_json: str,
        story_json: str,
        pending_through: int = 0,
    ) -> str:
        put = self._raw.putStoryIfRevision(
            story_id, expected_revision, summary_json, story_json, pending_through
        )
        return str(await _call(put))

    async def delete_story(self, story_id: str) -> None:
        await _call(self._raw.deleteStory(story_id))

    async def get_history(self, story_id: str) -> str:
        return str(await _call(self._raw.getHistory(story_id)))

    async def put_history(self, story_id: str, steps_json: str, deleted_seqs_json: str) -> None:
        await _call(self._raw.putHistory(story_id, steps_json, deleted_seqs_json))

    async def get_pending(self) -> str:
        return str(await _call(self._raw.getPending()))

    async def delete_pending(self, ids_json: str) -> None:
        await _call(self._raw.deletePending(ids_json))

    async def get_meta(self, key: str) -> str | None:
        text = str(await _call(self._raw.getMeta(key)))
        return None if text == "null" else text

    async def set_meta(self, key: str, value_json: str) -> None:
        await _call(self._raw.setMeta(key, value_json))

    async def request_persist(self) -> bool:
        return str(await _call(self._raw.requestPersist())) == "true"

    async def sync_lead(self) -> bool:
        return str(await _call(self._raw.syncLead())) == "elected"

    def now(self) -> str:
        return str(self._raw.now())

    def new_id(self) -> str:
        return str(self._raw.newId())

    def broadcast(self, message_json: str) -> None:
        self._raw.broadcast(message_json)

    def subscribe(self, callback: Callable[[str], None]) -> Callable[[], None]:
        # JS keeps calling this after subscribe() returns, so it must outlive the call: a
        # proxy that we destroy ourselves when unsubscribing (or closing).
        proxy = create_proxy(lambda message: callback(str(message)))
        self._proxies.append(proxy)
        js_unsubscribe = self._raw.subscribe(proxy)

        def unsubscribe() -> None:
            js_unsubscribe()
            if proxy in self._proxies:
                self._proxies.remove(proxy)
                proxy.destroy()

        return unsubscribe

    def close(self) -> None:
        self._raw.close()
        for proxy in self._proxies:
            proxy.destroy()
        self._proxies.clear()


class JsHttp:
    """The sync client's :class:`~story_gen.browser.sync.Http` over the worker's ``fetch``.

    ``credentials: "omit"``: the API is reached with a bearer token, never cookies, so a
    cross-origin API needs no credentialed CORS. A failed fetch (offline, refused, blocked by
    CORS, timed out) is :class:`HttpFailedError`; any HTTP answer, errors included, is a Reply.
    """

    def __init__(self, timeout_ms: int = 30_000) -> None:
        self._timeout_ms = timeout_ms

    async def request(
        self, method: str, url: str, headers: Mapping[str, str], body: str | None
    ) -> Reply:
        import js  # type: ignore[import-not-found]

        options: dict[str, Any] = {
            "method": method,
            "headers": to_js(dict(headers), dict_converter=js.Object.fromEntries),
            "credentials": "omit",
            "cache": "no-store",
            "signal": js.AbortSignal.timeout(self._timeout_ms),
        }
        if body is not None:
            options["body"] = body
        try:
            response = await js.fetch(url, to_js(options, dict_converter=js.Object.fromEntries))
            text = str(await response.text())
        except JsException as error:
            raise HttpFailedError(f"{method} {url}: {error}") from None
        answer_headers: dict[str, str] = {}
        for name in ANSWER_HEADERS:
            value = response.headers.get(name)
            if value is not None:
                answer_headers[name] = str(value)
        return Reply(status=int(response.status), body=text.encode(), headers=answer_headers)
