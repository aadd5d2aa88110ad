#!/usr/bin/env bash
# docker/ci.Dockerfile's command: the database CI's machine has (`test`), then `.ci/run`.
set -euo pipefail
version="$(ls /etc/postgresql | sort -V | tail -n 1)"
pg_ctlcluster --skip-systemctl-redirect "$version" main start
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'test'\"" | grep -q 1 \
    || su postgres -c "createdb test"
exec bash .ci/run
