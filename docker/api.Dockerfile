# syntax=docker/dockerfile:1
# The sync API image: uvicorn on the app factory, non-root, with the `story-gen` CLI (backups)
# and pg_dump. Targets: `api` (the default, last), `backup` (the same image plus cron: the
# scheduled backup service of ops/compose/services.yml).
# Build from the repository root: docker build -f docker/api.Dockerfile -t story-gen-api .
FROM python:3.12-slim-trixie AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install "uv==0.13.9"
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY core ./core
COPY browser ./browser
COPY sync_api ./sync_api
COPY cli ./cli
RUN uv export --locked --no-dev --package story-gen-sync-api --package story-gen-cli \
        --no-emit-workspace -o /tmp/requirements.txt \
    && uv build --wheel --package story-gen-core -o /wheels \
    && uv build --wheel --package story-gen-sync-api -o /wheels \
    && uv build --wheel --package story-gen-cli -o /wheels

FROM python:3.12-slim-trixie AS runtime
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# pg_dump/pg_restore for `story-gen backup` (Debian trixie: PostgreSQL 17 client, which dumps
# servers up to 17; the bundled server is postgres:17).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /tmp/requirements.txt /tmp/requirements.txt
COPY --from=build /wheels /wheels
# The locked dependencies, hash-checked; then our own wheels on top of them.
RUN pip install --require-hashes -r /tmp/requirements.txt \
    && pip install --no-deps /wheels/*.whl \
    && rm -rf /wheels /tmp/requirements.txt \
    && useradd --create-home --uid 10001 storygen
WORKDIR /home/storygen

FROM runtime AS backup
RUN apt-get update \
    && apt-get install -y --no-install-recommends cron \
    && rm -rf /var/lib/apt/lists/*
COPY ops/backup/cron-entrypoint.sh /usr/local/bin/story-gen-backup-cron
# cron needs root; the backup itself runs as storygen (setpriv in the crontab line).
ENTRYPOINT ["/usr/local/bin/story-gen-backup-cron"]

FROM runtime AS api
# Several uvicorn workers (WEB_CONCURRENCY) share their metrics through this folder, emptied
# at every start (prometheus-client's multiprocess mode; see docs/deployment.md).
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/story-gen-metrics WEB_CONCURRENCY=2
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"]
CMD ["sh", "-c", "rm -rf \"$PROMETHEUS_MULTIPROC_DIR\" && mkdir -p \"$PROMETHEUS_MULTIPROC_DIR\" && exec uvicorn --factory story_gen.sync_api:create_app --host 0.0.0.0 --port 8000 --no-proxy-headers --no-access-log"]
