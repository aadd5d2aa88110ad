"""The sync engine, the models and the request descriptions import without httpx (the studio
will run them in Pyodide over the browser's fetch); the httpx clients load on first use."""

from __future__ import annotations

import subprocess
import sys

BLOCK_HTTPX = """
import sys
sys.modules["httpx"] = None  # any import of httpx now fails
from story_gen.client import ApiError, SyncEngine, SyncState, WireChange
from story_gen.client import calls
from story_gen.client.sync_engine import SyncEngine as Engine
assert Engine is SyncEngine
try:
    from story_gen.client import StoryApiClient
except ImportError:
    print("clients need httpx")
"""


def test_the_engine_imports_without_httpx() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_HTTPX], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clients need httpx"


def test_the_clients_load_on_first_use() -> None:
    from story_gen import client

    assert client.StoryApiClient.__name__ == "StoryApiClient"
    assert client.sync_async.__name__ == "sync_async"


def test_sync_is_the_function_not_a_module() -> None:
    from story_gen.client import sync, sync_async

    assert callable(sync)
    assert callable(sync_async)
