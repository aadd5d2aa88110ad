"""``story-gen serve``: a real process on a free port, the embedded default created on first run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CLI = [sys.executable, "-c", "from story_gen.cli.main import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serve(tmp_path: Path, *extra: str) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "STORY_GEN_ARGON2_MEMORY_KIB": "1024", "STORY_GEN_ARGON2_TIME_COST": "1"}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--data-dir", str(tmp_path / "data"), *extra],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"serve exited: {process.stderr.read().decode() if process.stderr else ''}"
                )
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("serve did not come up in 60 s")
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path)


def test_serve_creates_the_embedded_default_and_answers(served: str, tmp_path: Path) -> None:
    assert (tmp_path / "data" / "story_gen.db").is_file()
    index = httpx.get(f"{served}/api/v1").json()
    assert index["persistence"] == "sqlite+folder"
    account = {"email": "serve@example.org", "password": "correct horse battery"}
    created = httpx.post(f"{served}/api/v1/auth/register", json={**account, "display_name": "S"})
    assert created.status_code == 201
    token = httpx.post(f"{served}/api/v1/auth/login", json=account).json()["access_token"]
    story = httpx.post(
        f"{served}/api/v1/stories",
        json={"title": "Served", "blueprint": {"premise": "A served story."}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert story.status_code == 201
    assert any((tmp_path / "data" / "blobs").rglob("*"))


def test_serve_without_a_built_studio_says_how_to_build_it(served: str) -> None:
    page = httpx.get(f"{served}/")
    assert page.status_code == 200
    assert "not built yet" in page.text
    assert "make web" in page.text


def test_serve_serves_the_built_studio_from_the_same_origin(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>studio</title>", "utf-8")
    (web / "core.wasm").write_bytes(b"\0asm")
    for base in _serve(tmp_path, "--web-dir", str(web)):
        assert "<title>studio</title>" in httpx.get(f"{base}/").text
        assert httpx.get(f"{base}/core.wasm").headers["content-type"] == "application/wasm"
        assert httpx.get(f"{base}/healthz").json()["status"] == "ok"


def test_serve_is_listed_in_the_cli() -> None:
    done = subprocess.run([*CLI, "--help"], capture_output=True, text=True)
    assert "serve" in done.stdout
