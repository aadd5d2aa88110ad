"""Build the blob store the settings ask for."""

from __future__ import annotations

from story_gen.sync_api.blobs import BlobStore
from story_gen.sync_api.blobs.folder import FolderBlobStore
from story_gen.sync_api.config import Settings

__all__ = ["blob_store_from_settings"]


def blob_store_from_settings(settings: Settings) -> BlobStore:
    if settings.blob_store == "s3":
        # boto3 is imported only by deployments that use it.
        from story_gen.sync_api.blobs.s3 import S3BlobStore

        assert settings.s3_bucket is not None  # checked by Settings
        return S3BlobStore(
            bucket=settings.s3_bucket,
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
        )
    return FolderBlobStore(settings.resolved_blob_dir)
