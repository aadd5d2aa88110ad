"""The long-lived parts one app instance shares across requests, built once, connected lazily."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from story_gen.sync_api.blobs import BlobStore
from story_gen.sync_api.clock import Clock
from story_gen.sync_api.config import Settings
from story_gen.sync_api.crud.anomalies import add_anomaly
from story_gen.sync_api.db import Database
from story_gen.sync_api.document_cache import DocumentCache
from story_gen.sync_api.merge_pool import MergePool
from story_gen.sync_api.ops.logs import logger
from story_gen.sync_api.ops.metrics import Metrics, NoMetrics
from story_gen.sync_api.security import Passwords

__all__ = ["Services"]


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    blobs: BlobStore
    clock: Clock
    passwords: Passwords
    documents: DocumentCache
    metrics: Metrics = field(default_factory=NoMetrics)
    merges: MergePool = field(default_factory=lambda: MergePool(0))

    def record_anomaly(
        self,
        kind: str,
        request_id: str,
        detail: Mapping[str, object],
        *,
        user_id: uuid.UUID | None = None,
    ) -> None:
        """Keep an anomaly event, in its own transaction (the request's may be rolling back).

        Never raises: failing to record an anomaly must not turn into a second failure.
        """
        logger.warning("anomaly", extra={"kind": kind, "detail": dict(detail)})
        try:
            with self.db.transaction() as session:
                add_anomaly(
                    session=session,
                    kind=kind,
                    now=self.clock.now(),
                    request_id=request_id,
                    user_id=user_id,
                    detail=detail,
                )
        except Exception:
            logger.exception("could not record an anomaly event", extra={"kind": kind})
