"""The studio's sync client: an account on a sync API, a durable outbox, and a sync loop.

:class:`Syncer` runs the client's sans-IO :class:`~story_gen.client.SyncEngine` over the
:class:`Http` seam (the browser's ``fetch`` in the studio), keeping its state in IndexedDB
beside the stories. See docs/sync-protocol.md, "The studio's client".
"""

from story_gen.browser.sync._http import Http, HttpFailedError
from story_gen.browser.sync._replica import Account, Replica
from story_gen.browser.sync._status import Phase, SyncStatus
from story_gen.browser.sync._syncer import Syncer

__all__ = ["Account", "Http", "HttpFailedError", "Phase", "Replica", "SyncStatus", "Syncer"]
