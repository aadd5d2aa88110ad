"""``story-gen-sync-api``: the deploy-time and scheduled jobs of a hosted sync API.

    story-gen-sync-api migrate   # alembic upgrade head (a deploy step; never per request)
    story-gen-sync-api gc        # delete unreferenced old blobs, prune bounded tables

Settings come from the same ``STORY_GEN_*`` variables as the app (docs/settings.md).
"""

from __future__ import annotations

import argparse
import json
import sys

from story_gen.sync_api.blobs.factory import blob_store_from_settings
from story_gen.sync_api.clock import SystemClock
from story_gen.sync_api.config import Settings
from story_gen.sync_api.db import Database
from story_gen.sync_api.document_cache import DocumentCache
from story_gen.sync_api.security import Passwords
from story_gen.sync_api.services import Services


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="story-gen-sync-api", description=__doc__)
    parser.add_argument("job", choices=["migrate", "gc"])
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    db = Database(settings.resolved_database_url, pool_size=1)
    try:
        if args.job == "migrate":
            from story_gen.sync_api.migrate import current_revision, upgrade_head

            upgrade_head(db.engine)
            print(json.dumps({"migrated_to": current_revision(db.engine)}))
            return 0
        from story_gen.sync_api.ops.gc import collect_blobs, prune_tables

        services = Services(
            settings=settings,
            db=db,
            blobs=blob_store_from_settings(settings),
            clock=SystemClock(),
            passwords=Passwords(settings),
            documents=DocumentCache(0),  # a job reads each document once
        )
        report = collect_blobs(services)
        pruned = prune_tables(services)
        print(
            json.dumps(
                {
                    "blobs_examined": report.examined,
                    "blobs_deleted": report.deleted,
                    "pruned": pruned,
                }
            )
        )
        return 0
    finally:
        db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
