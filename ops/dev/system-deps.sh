#!/usr/bin/env bash
# Brings up what the tests talk to for real on this machine: PostgreSQL (a machine service that
# may be stopped; 127.0.0.1:5432, trust auth, database `test`) with its client tools (pg_dump,
# pg_restore: `story-gen backup`), Redis (127.0.0.1:6379, the job queue's tests), Debian's
# Chromium (Playwright cannot download browsers here) and Caddy (its own `caddy validate`
# checks ops/Caddyfile). Idempotent and quiet when all is well; safe before every run.
set -euo pipefail

apt_updated=0
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
    apt-get install -y -qq "$@" >/dev/null
}

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "system-deps: installing PostgreSQL" >&2
    apt_install postgresql
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "system-deps: starting PostgreSQL" >&2
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
    if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
        echo "system-deps: PostgreSQL $version did not come up on 127.0.0.1:5432;" \
            "see /var/log/postgresql/postgresql-$version-main.log" >&2
        exit 1
    fi
fi

if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1; then
    echo "system-deps: installing the PostgreSQL client tools" >&2
    apt_install postgresql-client
fi

if ! command -v redis-server >/dev/null 2>&1; then
    echo "system-deps: installing Redis" >&2
    apt_install redis-server
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "system-deps: starting Redis" >&2
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        echo "system-deps: Redis did not come up on 127.0.0.1:6379; see /var/log/redis/ci.log" >&2
        exit 1
    fi
fi

if ! command -v caddy >/dev/null 2>&1; then
    echo "system-deps: installing Debian's caddy" >&2
    apt_install caddy
fi

if ! command -v chromium >/dev/null 2>&1; then
    echo "system-deps: installing Debian's chromium" >&2
    apt_install chromium
fi
