"""story_gen sync API: accounts, revisioned stories and the sync protocol over Postgres/SQLite
and S3/folder storage. ``create_app(settings)`` builds the ASGI app; ``lambda_handler.handler``
is the AWS Lambda entry point."""

from story_gen.sync_api.app import create_app
from story_gen.sync_api.config import Settings

__all__ = ["Settings", "create_app"]
