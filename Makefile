# story_gen studio: one quality gate, run the same everywhere.
# The README's two commands are `make run` and `make test`; .ci/run calls `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(PYTHON) -m uv
RUN := $(UV) run --locked --all-packages
PYTEST_ARGS ?=
# Pyodide: pinned third-party wheels + our own wheels, all in one folder (see docs/testing.md).
PYODIDE_WHEELS := build/pyodide/wheels
APP_WHEELS := story-gen-core story-gen-client story-gen-browser
# tests/browser joins once it exists (a fresh clone has no empty folders).
PYODIDE_TESTS ?= tests/core $(wildcard tests/browser)
PYODIDE_PYTEST_ARGS ?=

.PHONY: help setup tools py node system-deps run test check lint fmt typecheck imports openapi openapi-check \
        test-py test-pyodide long long-pyodide pyodide-wheels wheels web web-check bench docs lambda

help:
	@echo "make run    set up and run the studio locally (embedded SQLite + blob folder)"
	@echo "make test   set up and run every check and test (what CI runs)"
	@echo "make check  the quality gate alone, on an already set-up machine"
	@echo "make bench  benchmarks (JSON + table)"
	@echo "make long   the long hypothesis profile (10,000 examples per core property; 5,000 sync convergence seeds; make long-pyodide in Pyodide)"
	@echo "make lambda the AWS Lambda package (build/lambda, size printed; docs/deployment.md)"

# ---------------------------------------------------------------- setup
setup: tools py node

tools:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"

py: tools
	$(UV) sync --locked --all-packages

node: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json package.json pyodide/package.json web/package.json
	npm ci --no-audit --no-fund
	@touch $@

# Machine services the test suite talks to for real: PostgreSQL (+ pg_dump), Redis, headless
# Chromium, Caddy.
system-deps:
	bash ops/dev/system-deps.sh

# ---------------------------------------------------------------- run
run: setup web
	$(RUN) story-gen serve

# ---------------------------------------------------------------- test
# --keep-going: one failing step must not hide the others' results.
test: setup system-deps
	$(MAKE) --keep-going check

check: lint typecheck imports openapi-check docs web-check test-py test-pyodide

lint:
	$(RUN) ruff format --check .
	$(RUN) ruff check .

fmt:
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

# Python (mypy --strict) and the harness's JavaScript (tsc, strict, via // @ts-check);
# web/ and browser/js are type-checked by web-check.
typecheck: node
	$(RUN) mypy core/src browser/src sync_api/src cli/src client/src tests bench publish
	$(RUN) mypy pyodide/wheels.py
	npx --no-install tsc -p pyodide

imports:
	$(RUN) lint-imports

# tests/e2e drives the static build in Chromium, so the build comes first.
test-py: web
	$(RUN) pytest $(PYTEST_ARGS)

# The core (and browser) suites inside Pyodide under Node, on the wheels the studio loads.
# First the harness's own tests (node --test), then the suites.
test-pyodide: node wheels
	node --test pyodide/test/
	node pyodide/run-pytest.mjs $(PYODIDE_TESTS) $(PYODIDE_PYTEST_ARGS)

# The long hypothesis profile (at least 10,000 examples per property; tens of minutes on 2 cores)
# over the core's incremental-equals-full and edit properties, on CPython, then inside Pyodide.
# Not part of `make test` / `make check`.
LONG_TESTS ?= tests/core/test_session_follows_patches.py tests/core/test_session.py \
              tests/core/test_edits_properties.py
# CPython only: the client's sync convergence run (10x its seeds) against the real API.
LONG_CPYTHON_TESTS ?= tests/client/test_convergence.py
long: py
	HYPOTHESIS_PROFILE=long $(RUN) pytest $(LONG_TESTS) $(LONG_CPYTHON_TESTS) -p no:cacheprovider $(PYTEST_ARGS)

long-pyodide: node wheels
	HYPOTHESIS_PROFILE=long node pyodide/run-pytest.mjs $(LONG_TESTS) $(PYODIDE_PYTEST_ARGS)

# Pinned wheels (hash-checked) from the package index; a no-op when all are present.
pyodide-wheels:
	$(PYTHON) pyodide/wheels.py fetch

# Our pure-Python wheels, built the way the browser loads them, then the manifest of all wheels.
wheels: tools pyodide-wheels
	rm -f $(PYODIDE_WHEELS)/story_gen_*.whl
	for package in $(APP_WHEELS); do \
	    $(UV) build --quiet --package $$package --wheel --out-dir $(PYODIDE_WHEELS); \
	done
	$(PYTHON) pyodide/wheels.py manifest

# ---------------------------------------------------------------- build
# The static studio (docs/studio.md): UI bundle, Pyodide runtime, runtime + app wheels, service
# worker, precompressed .br/.gz, into build/web/ (servable at / or under any sub-path).
web: node wheels pyodide-wheels
	PYTHON=$(PYTHON) npm run --silent build -w web

# Strict TypeScript (UI, worker, browser/js host), generated types not stale, TS unit tests.
web-check: node
	npm run --silent typecheck -w web
	PYTHON=$(PYTHON) npm run --silent check-types-fresh -w web
	npm run --silent test -w web

# The sync API's OpenAPI snapshot (generated; `openapi-check` fails when it is stale).
OPENAPI_SNAPSHOT := docs/assets/openapi/openapi.json

openapi:
	$(RUN) python -m story_gen.sync_api.openapi write $(OPENAPI_SNAPSHOT)

openapi-check:
	$(RUN) python -m story_gen.sync_api.openapi check $(OPENAPI_SNAPSHOT)

# The AWS Lambda deployment package (build/lambda/ + build/lambda.zip) from uv.lock, its size
# printed; deploy with `sam deploy -t ops/aws/template.yaml` (docs/deployment.md).
lambda: tools
	bash ops/aws/build-lambda.sh

# Every bench/*_bench.py on CPython, and the core's (core*_bench.py) inside Pyodide too.
BENCH_ARGS ?=
bench: setup wheels
	$(RUN) python bench/run_all.py $(BENCH_ARGS)

docs:
	NO_MKDOCS_2_WARNING=1 $(RUN) mkdocs build --strict

# ---------------------------------------------------------------- published site and wiki
# docs/publishing.md. `make pages`: build/pages/ for GitHub Pages (the studio at the root, the
# docs under /docs/, the API references under /docs/assets/openapi/ and /pydoc/), link-checked.
# `make wiki-sync`: docs/ rendered as the repository's wiki in build/wiki/;
# `make wiki-sync-push`: committed and pushed to WIKI_REMOTE (default: origin's .wiki.git).
# `make screenshots`: the e2e suite's chosen screenshots into docs/assets/screenshots/.
WIKI_REMOTE ?=

.PHONY: pages wiki-sync wiki-sync-push screenshots

pages: web node
	$(RUN) python -m publish.pages --web build/web --out build/pages
	$(RUN) python -m publish.linkcheck build/pages

wiki-sync: py
	$(RUN) python -m publish.wiki render --out build/wiki

wiki-sync-push: wiki-sync
	$(RUN) python -m publish.wiki push --from build/wiki $(if $(WIKI_REMOTE),--remote "$(WIKI_REMOTE)")

screenshots: py
	$(RUN) python -m publish.screenshots
