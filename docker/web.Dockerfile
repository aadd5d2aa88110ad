# syntax=docker/dockerfile:1
# The static studio (`make web`: UI bundle, Pyodide, wheels, service worker, precompressed
# siblings) served by Caddy with ops/Caddyfile, which also proxies /api to the API.
# Build from the repository root: docker build -f docker/web.Dockerfile -t story-gen-web .
FROM node:20-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip python3-venv make \
    && rm -rf /var/lib/apt/lists/*
# Debian's Python is "externally managed"; this throwaway build stage installs uv into it.
ENV PIP_BREAK_SYSTEM_PACKAGES=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY . .
RUN make web PYTHON=python3

FROM caddy:2.10-alpine
COPY ops/Caddyfile /etc/caddy/Caddyfile
COPY --from=build /src/build/web /srv/studio
ENV SITE_ADDRESS=:80 API_UPSTREAM=api:8000
EXPOSE 80 443
