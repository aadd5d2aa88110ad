"""The client's address, as the per-address login limit counts it (issue 13, item 7; ADR 0073).

One setting, ``STORY_GEN_TRUSTED_PROXIES``, names the reverse proxies in front of the API.
A request whose connection comes from one of them is attributed to the address the proxies
recorded in ``X-Forwarded-For``: read right to left (each proxy appends the address it saw),
the first hop that is not a trusted proxy is the client. Any other request is attributed to
its connection's address and its ``X-Forwarded-For`` is ignored, so a client without a proxy
in front cannot choose its own bucket. The server is started without uvicorn's own
proxy-header handling (``--no-proxy-headers``), so the connection's address reaches us as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

from starlette.requests import Request

__all__ = ["Network", "client_address", "forwarded_client"]

Network = IPv4Network | IPv6Network

_UNKNOWN = "unknown"
_MAX_LENGTH = 64


def _trusted(host: str, proxies: Sequence[Network]) -> bool:
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in proxies)


def forwarded_client(
    peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[Network]
) -> str:
    """The client of a connection from ``peer`` that carried these ``X-Forwarded-For`` values."""
    if not peer:
        return _UNKNOWN
    if not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop[:_MAX_LENGTH]
    # Every hop is a proxy of ours (or there is none): the nearest one is all we know.
    return (hops[0] if hops else peer)[:_MAX_LENGTH]


def client_address(request: Request, proxies: Sequence[Network]) -> str:
    peer = request.client.host if request.client else None
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"), proxies)
