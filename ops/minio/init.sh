#!/bin/sh
# MinIO's one-shot setup (the minio-init service): the bucket, a policy that allows exactly the
# app's operations on that bucket, and the app's own user with that policy. The app never gets
# MinIO's root credentials. Idempotent: safe on every `docker compose up`.
set -eu
: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${MINIO_APP_ACCESS_KEY:?}"
: "${MINIO_APP_SECRET_KEY:?}" "${STORY_GEN_S3_BUCKET:?}"
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "local/$STORY_GEN_S3_BUCKET"
if [ -n "${BACKUP_BUCKET:-}" ]; then
    mc mb --ignore-existing "local/$BACKUP_BUCKET"
fi
policy=/tmp/story-gen-app-policy.json
resources="\"arn:aws:s3:::$STORY_GEN_S3_BUCKET\", \"arn:aws:s3:::$STORY_GEN_S3_BUCKET/*\""
if [ -n "${BACKUP_BUCKET:-}" ]; then
    resources="$resources, \"arn:aws:s3:::$BACKUP_BUCKET\", \"arn:aws:s3:::$BACKUP_BUCKET/*\""
fi
cat >"$policy" <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:GetObject", "s3:PutObject",
                 "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      "Resource": [$resources]
    }
  ]
}
POLICY
mc admin policy create local story-gen-app "$policy"
mc admin user add local "$MINIO_APP_ACCESS_KEY" "$MINIO_APP_SECRET_KEY"
mc admin policy attach local story-gen-app --user "$MINIO_APP_ACCESS_KEY" 2>/dev/null \
    || echo "minio-init: policy story-gen-app already attached to $MINIO_APP_ACCESS_KEY"
echo "minio-init: bucket $STORY_GEN_S3_BUCKET and user $MINIO_APP_ACCESS_KEY ready"
