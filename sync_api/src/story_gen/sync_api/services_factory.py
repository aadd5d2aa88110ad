"""Services for a process that is not the API (jobs, the worker, backups): same settings, same
parts, no request-serving extras."""

from __future__ import annotations

from story_gen.sync_api.blobs.factory import blob_store_from_settings
from story_gen.sync_api.clock import SystemClock
from story_gen.sync_api.config import Settings
from story_gen.sync_api.db_secret import database_for
from story_gen.sync_api.document_cache import DocumentCache
from story_gen.sync_api.security import Passwords
from story_gen.sync_api.services import Services

__all__ = ["services_from_settings"]


def services_from_settings(settings: Settings, *, documents_bytes: int = 0) -> Services:
    """One connection at most, no document cache (a job reads each document once)."""
    return Services(
        settings=settings,
        db=database_for(settings, pool_size=1),
        blobs=blob_store_from_settings(settings),
        clock=SystemClock(),
        passwords=Passwords(settings),
        documents=DocumentCache(documents_bytes),
    )
