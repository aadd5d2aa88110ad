"""The studio service's entry points, as the Web Worker calls them (through Pyodide).

The worker registers the JS host (``createHost()`` from ``browser/js/host.mjs``) as the module
``story_gen_host``, then::

    const app = pyodide.pyimport("story_gen.browser.app");
    app.set_push_sink((json) => postMessage(JSON.parse(json)));
    const start = JSON.parse(await app.start());          // StartResult
    const reply = JSON.parse(await app.handle(JSON.stringify({id: 1, name: "library.list", args: {}})));

Only JSON strings cross. ``start(host)`` takes any :class:`~story_gen.browser._host.Host`
(tests pass a MemoryHost); without one it uses the JS host.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from story_gen.browser._envelope import error_reply, request_id, result_reply
from story_gen.browser._errors import StudioError
from story_gen.browser._facade import Facade
from story_gen.browser._host import Host
from story_gen.browser._service import Studio
from story_gen.browser.handlers import registry
from story_gen.browser.sync import Http

__all__ = ["handle", "set_push_sink", "start"]

_facade: Facade | None = None
_push: Callable[[str], None] | None = None


def set_push_sink(sink: Callable[[str], None] | None) -> None:
    """Where pushes go (``{"type": "push", ...}`` JSON strings); call before or after start()."""
    global _push
    _push = sink
    if _facade is not None:
        _facade.studio.set_push_sink(sink)


async def start(host: Host | None = None, http: Http | None = None) -> str:
    """Open storage, seed the demos on the first run.

    Returns a reply envelope with ``id: null``: ``result`` is a StartResult, or ``error`` is
    ``{type, message}`` (e.g. ``storage.error`` when IndexedDB is unavailable) for the boot
    stage to reject with.
    """
    global _facade
    in_browser = host is None
    if host is None:
        from story_gen.browser._js import JsHost, JsHttp  # only inside Pyodide

        host = JsHost.from_module()
        http = http or JsHttp()
    if _facade is not None:
        _facade.studio.close()
    studio = Studio(host, http)
    studio.set_push_sink(_push)
    _facade = Facade(studio, registry)
    try:
        result = await studio.start()
    except StudioError as error:
        return error_reply(None, error)
    if in_browser:
        # Everything alive now (modules, models, validators) lives as long as the tab: frozen,
        # the cyclic collector's passes skip it, which was the tail of opening a big story and
        # of a re-diagnosis (bench/README.md, --freeze-gc). Not in a test process, where it
        # would keep every later test's garbage. No collect first: it would cost the boot tens
        # of milliseconds, and the snapshot's heap was collected when it was made.
        gc.freeze()
    return result_reply(None, result.model_dump_json())


async def handle(request_json: str) -> str:
    """Reply JSON for one request JSON (never raises)."""
    if _facade is None:
        return error_reply(
            request_id(request_json),
            StudioError(
                "The studio has not started yet; call start() first.", type="app.not_started"
            ),
        )
    return await _facade.handle(request_json)
