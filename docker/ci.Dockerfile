# syntax=docker/dockerfile:1
# CI parity: the machine CI runs on (Debian bookworm, Python 3.11, Node 20, PostgreSQL, Redis,
# Chromium, Caddy), then `.ci/run` in a copy of the repository, exactly as CI does.
#   docker build -f docker/ci.Dockerfile -t story-gen-ci . && docker run --rm story-gen-ci
FROM node:20-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        python3 python3-pip python3-venv python3-dev make git sudo \
        postgresql postgresql-client redis-server caddy chromium \
    && rm -rf /var/lib/apt/lists/*
# The tests reach PostgreSQL as `postgres` on 127.0.0.1 without a password (as on CI's machine).
RUN sed -ri 's/^(host|local)(\s+\S+\s+\S+.*)\s(scram-sha-256|md5|peer)$/\1\2 trust/' \
        /etc/postgresql/*/main/pg_hba.conf \
    && mkdir -p /var/lib/redis /var/log/redis
ENV PIP_BREAK_SYSTEM_PACKAGES=1 CI=true
WORKDIR /repo
COPY . .
COPY docker/ci-entrypoint.sh /usr/local/bin/story-gen-ci
CMD ["/usr/local/bin/story-gen-ci"]
