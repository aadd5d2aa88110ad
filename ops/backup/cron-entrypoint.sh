#!/bin/sh
# The backup service's entry point: `story-gen backup "$STORY_GEN_BACKUP_DEST"` on the cron
# schedule BACKUP_SCHEDULE (default 03:17 every day), as the unprivileged storygen user, its
# output in the container's log (`docker compose logs backup`).
set -eu
: "${STORY_GEN_BACKUP_DEST:?set STORY_GEN_BACKUP_DEST (a folder such as /backups, or s3://bucket/prefix)}"
schedule="${BACKUP_SCHEDULE:-17 3 * * *}"
# cron starts jobs with an empty environment: hand them the deployment's settings, quoted.
umask 077
mkdir -p /run/story-gen
python3 - >/run/story-gen/backup.env <<'PY'
import os, shlex
for name, value in sorted(os.environ.items()):
    if name.startswith(("STORY_GEN_", "AWS_", "PG")):
        print(f"export {name}={shlex.quote(value)}")
PY
chown root:root /run/story-gen/backup.env
if [ -d /backups ]; then chown storygen /backups; fi
printf '%s root . /run/story-gen/backup.env && setpriv --reuid=storygen --regid=storygen --init-groups story-gen backup "$STORY_GEN_BACKUP_DEST" >/proc/1/fd/1 2>/proc/1/fd/2\n' \
    "$schedule" >/etc/cron.d/story-gen-backup
chmod 0644 /etc/cron.d/story-gen-backup
echo "backup: story-gen backup $STORY_GEN_BACKUP_DEST on schedule '$schedule'"
if [ "${BACKUP_ON_START:-false}" = "true" ]; then
    setpriv --reuid=storygen --regid=storygen --init-groups story-gen backup "$STORY_GEN_BACKUP_DEST"
fi
exec cron -f
