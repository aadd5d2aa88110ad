"""The sync engine without I/O: an outbox of changes and the rules for server answers.

The engine never sends anything. Ask it what to send (:meth:`SyncEngine.outgoing`,
:meth:`SyncEngine.pull_cursor`), send it any way you like (httpx here, the browser's fetch in
the studio), and hand the answers back (:meth:`SyncEngine.apply_push`,
:meth:`SyncEngine.apply_pull`). Its whole state is one pydantic model, saved and loaded as JSON.
"""

from story_gen.client.sync_engine.engine import SyncEngine
from story_gen.client.sync_engine.report import Rejection, SyncReport
from story_gen.client.sync_engine.state import Pending, SyncState, Tracked

__all__ = ["Pending", "Rejection", "SyncEngine", "SyncReport", "SyncState", "Tracked"]
