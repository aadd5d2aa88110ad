"""Every network request a page causes, from the page AND its workers, through CDP.

Playwright's request events and routes are the first line; this is the second, independent
one: a CDP session on the page auto-attaches (``Target.setAutoAttach``) to every target the
page starts (the Pyodide Web Worker, the service worker) and enables the ``Network`` domain
in each, asking the target to wait for it (``waitForDebuggerOnStart``). The auto-attach is the
non-flattened kind: the child sessions are spoken to through ``Target.sendMessageToTarget``,
which needs nothing but Playwright's own CDP session.

One limit: Playwright's own session resumes a new worker too, and it answers faster than this
recorder (whose replies go through Python), so a worker's very first fetches can start before
its ``Network`` domain is on and go unseen. Assertions should rest on requests a worker makes
later (the Pyodide worker fetches the wheels seconds into its boot), and exact byte counts on
the server's side (bench/studio/server.py counts what it writes; bench/studio_bench.py reports
both).
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import BrowserContext, CDPSession, Page
from playwright.sync_api import Error as PlaywrightError

__all__ = ["Exchange", "TrafficRecorder"]

_AUTO_ATTACH = {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False}


@dataclass
class Exchange:
    """One request as CDP saw it, from whichever target made it."""

    target: str  # "page", "worker", "service_worker", ...
    request_id: str
    url: str
    method: str
    status: int | None = None
    from_cache: bool = False  # memory or disk cache: nothing crossed the network
    from_service_worker: bool = False  # answered by the service worker (its own fetch, if any,
    # is a separate exchange of the "service_worker" target)
    encoded_bytes: int = 0  # bytes received for it (headers + body as transferred)
    finished: bool = False
    failed: str | None = None

    @property
    def network_bytes(self) -> int:
        """Bytes that really crossed the network for this exchange."""
        if self.from_cache or self.from_service_worker or self.url.startswith(("data:", "blob:")):
            return 0
        return self.encoded_bytes


@dataclass
class TrafficRecorder:
    """Record every request of ``page`` and of every worker it starts; call before navigating."""

    context: BrowserContext
    page: Page
    exchanges: dict[tuple[str, str], Exchange] = field(default_factory=dict)
    targets: list[tuple[str, str]] = field(default_factory=list)  # (type, url) attached
    _cdp: CDPSession | None = field(default=None, repr=False)
    _next_id: int = field(default=0, repr=False)
    _session_types: dict[str, str] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def start(self) -> TrafficRecorder:
        cdp = self.context.new_cdp_session(self.page)
        self._cdp = cdp
        for event in (
            "Network.requestWillBeSent",
            "Network.responseReceived",
            "Network.requestServedFromCache",
            "Network.loadingFinished",
            "Network.loadingFailed",
        ):
            cdp.on(event, lambda params, name=event: self._on_network("", "page", name, params))
        cdp.on("Target.attachedToTarget", lambda params: self._on_attached("", params))
        cdp.on("Target.receivedMessageFromTarget", self._on_child_message)
        cdp.send("Network.enable")
        cdp.send("Target.setAutoAttach", _AUTO_ATTACH)
        return self

    def stop(self) -> None:
        if self._cdp is not None:
            # The page may already be gone, and with it the session: nothing left to undo.
            with contextlib.suppress(Exception):
                self._cdp.detach()
            self._cdp = None

    # ------------------------------------------------------------------ reading

    @property
    def urls(self) -> list[str]:
        return [exchange.url for exchange in self.exchanges.values()]

    def by_target(self, target: str) -> list[Exchange]:
        return [e for e in self.exchanges.values() if e.target == target]

    def network_bytes(self) -> int:
        return sum(e.network_bytes for e in self.exchanges.values())

    def clear(self) -> None:
        self.exchanges.clear()

    # ------------------------------------------------------------------ CDP plumbing

    def _send_to(self, session_id: str, method: str, params: dict[str, Any] | None = None) -> None:
        assert self._cdp is not None
        self._next_id += 1
        message = json.dumps({"id": self._next_id, "method": method, "params": params or {}})
        # A worker may be gone before it is spoken to (a reload ends it); then so is its traffic.
        with contextlib.suppress(PlaywrightError):
            self._cdp.send(
                "Target.sendMessageToTarget", {"sessionId": session_id, "message": message}
            )

    def _on_attached(self, parent: str, params: dict[str, Any]) -> None:
        session_id: str = params["sessionId"]
        info = params["targetInfo"]
        self._session_types[session_id] = str(info.get("type", "other"))
        self.targets.append((str(info.get("type", "other")), str(info.get("url", ""))))
        if parent:
            # A grandchild (a worker's worker) would need a nested envelope; the studio has none.
            return
        self._send_to(session_id, "Network.enable")
        self._send_to(session_id, "Target.setAutoAttach", _AUTO_ATTACH)
        self._send_to(session_id, "Runtime.runIfWaitingForDebugger")

    def _on_child_message(self, params: dict[str, Any]) -> None:
        session_id: str = params["sessionId"]
        message = json.loads(params["message"])
        method = message.get("method")
        if not isinstance(method, str):
            return  # a reply to one of our commands
        if method == "Target.attachedToTarget":
            self._on_attached(session_id, message["params"])
            return
        if method.startswith("Network."):
            target = self._session_types.get(session_id, "other")
            self._on_network(session_id, target, method, message["params"])

    def _on_network(self, session: str, target: str, method: str, params: dict[str, Any]) -> None:
        key = (session, str(params.get("requestId", "")))
        with self._lock:
            if method == "Network.requestWillBeSent":
                request = params["request"]
                previous = self.exchanges.get(key)
                if previous is not None and params.get("redirectResponse") is not None:
                    # A redirect reuses the request id; keep the hop under its own key.
                    self.exchanges[(session, f"{key[1]}#{len(self.exchanges)}")] = previous
                self.exchanges[key] = Exchange(
                    target=target,
                    request_id=key[1],
                    url=str(request.get("url", "")),
                    method=str(request.get("method", "GET")),
                )
                return
            exchange = self.exchanges.get(key)
            if exchange is None:
                return
            if method == "Network.responseReceived":
                response = params["response"]
                exchange.status = int(response.get("status", 0))
                exchange.from_service_worker = bool(response.get("fromServiceWorker", False))
                if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                    exchange.from_cache = True
            elif method == "Network.requestServedFromCache":
                exchange.from_cache = True
            elif method == "Network.loadingFinished":
                exchange.encoded_bytes = int(params.get("encodedDataLength", 0))
                exchange.finished = True
            elif method == "Network.loadingFailed":
                exchange.failed = str(params.get("errorText", "failed"))
