"""Shared test settings, loaded on CPython and inside Pyodide alike (keep it import-light).

Where each suite runs: on CPython every suite (tests/browser runs its service tests on the
in-memory host there, and ignores its JS-host-only module itself); inside Pyodide
(``make test-pyodide``) only tests/core and tests/browser, the code that runs in the studio.
Listing them here keeps a plain ``pytest`` run from failing at import.

Hypothesis profiles: ``default`` (what ``make test`` runs, a few hundred examples per property)
and ``long`` (at least 10,000), chosen with ``HYPOTHESIS_PROFILE=long``.
"""

from __future__ import annotations

import os
import sys

from hypothesis import HealthCheck, settings

IN_PYODIDE = sys.platform == "emscripten"
collect_ignore = (
    ["cli", "client", "e2e", "ops", "publish", "repo", "sync_api", "web"] if IN_PYODIDE else []
)

settings.register_profile(
    "default",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
