"""Three-way merges of pushed documents, optionally in worker processes (ADR 0084).

A merge is pure Python CPU work. In the serving process it shares the interpreter lock with
every other request, so one costly stale push (bounded by the diff budget, ADR 0070, but still
hundreds of milliseconds) slows everyone else's answers. With ``STORY_GEN_MERGE_WORKERS`` above
0, a push's three-way merge runs in one of that many worker processes instead; the documents
cross as JSON (strings pickle cheaply and exactly; a Story round-trips through its JSON). The
processes are spawned, not forked (the server has threads), when the app starts.

0, the default, merges in the request's thread: Lambda has no ``/dev/shm`` for
multiprocessing, and one writer's embedded server has no one else to slow down.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor

from story_gen.core import Story
from story_gen.sync_api.merging import Merged, merge_onto_head

__all__ = ["MergePool"]


def _merge_json(base: str, client: str, head: str) -> str:
    """The worker's side: parse, merge, answer the result as JSON."""
    result = merge_onto_head(
        base=Story.model_validate_json(base),
        client=Story.model_validate_json(client),
        head=Story.model_validate_json(head),
    )
    return result.model_dump_json()


def _ready() -> bool:
    return True


class MergePool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def merge(self, *, base: Story, client: Story, head: Story) -> Merged:
        if self.workers == 0:
            return merge_onto_head(base=base, client=client, head=head)
        future = self._pool().submit(
            _merge_json, base.model_dump_json(), client.model_dump_json(), head.model_dump_json()
        )
        return Merged.model_validate_json(future.result())

    def start(self) -> None:
        """Spawn the workers now (they import the core: about a second), not in the first
        stale push's request. Nothing to do with 0 workers."""
        if self.workers > 0:
            pool = self._pool()
            for _ in range(self.workers):
                pool.submit(_ready)

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("spawn")
                )
            return self._executor

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
