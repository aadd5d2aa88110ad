"""The built studio as ``story-gen serve`` sends it: precompressed siblings, cache headers."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from story_gen.sync_api.web import accepted_encodings, content_security_policy, mount_studio

SCRIPT = b"export const studio = 'story_gen';\n" * 50


@pytest.fixture
def site(tmp_path: Path) -> TestClient:
    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>studio</title>", "utf-8")
    (web / "assets" / "app-1a2b.js").write_bytes(SCRIPT)
    (web / "assets" / "app-1a2b.js.gz").write_bytes(gzip.compress(SCRIPT))
    # Stand-in bytes: the server must send the sibling as it is, never compress it again.
    (web / "assets" / "app-1a2b.js.br").write_bytes(b"brotli bytes")
    (web / "assets" / "plain.js").write_bytes(b"export {};\n")
    app = FastAPI()
    mount_studio(app, web)
    return TestClient(app)


def test_brotli_sibling_when_accepted(site: TestClient) -> None:
    got = site.get("/assets/app-1a2b.js", headers={"Accept-Encoding": "gzip, br"})
    assert got.status_code == 200
    assert got.headers["content-encoding"] == "br"
    assert got.headers["content-type"].startswith("text/javascript")
    assert got.headers["vary"] == "Accept-Encoding"
    assert got.content == b"brotli bytes"


def test_gzip_sibling_when_brotli_is_not_accepted(site: TestClient) -> None:
    got = site.get("/assets/app-1a2b.js", headers={"Accept-Encoding": "gzip, br;q=0"})
    assert got.headers["content-encoding"] == "gzip"
    assert got.content == SCRIPT  # httpx decodes it: the sibling holds exactly the file


def test_identity_when_nothing_is_accepted(site: TestClient) -> None:
    got = site.get("/assets/app-1a2b.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in got.headers
    assert got.headers["vary"] == "Accept-Encoding"
    assert got.content == SCRIPT


def test_content_addressed_files_are_immutable_entry_points_revalidate(site: TestClient) -> None:
    immutable = site.get("/assets/plain.js").headers["cache-control"]
    assert immutable == "public, max-age=31536000, immutable"
    assert site.get("/").headers["cache-control"] == "no-cache"
    assert site.get("/index.html").headers["cache-control"] == "no-cache"


def test_a_revalidation_is_304_with_the_same_vary(site: TestClient) -> None:
    first = site.get("/assets/app-1a2b.js", headers={"Accept-Encoding": "br"})
    again = site.get(
        "/assets/app-1a2b.js",
        headers={"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304
    assert again.headers["vary"] == "Accept-Encoding"


def test_the_api_pages_that_would_load_a_cdn_are_not_served(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "cdn" not in page.text.lower()
    assert client.get("/openapi.json").json()["info"]["title"] == "story_gen sync API"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", set()),
        ("gzip, deflate, br, zstd", {"gzip", "deflate", "br", "zstd"}),
        ("br;q=0, gzip;q=0.5", {"gzip"}),
        ("*", {"br", "gzip"}),
        ("*;q=0.1, gzip;q=0", {"br"}),
        ("GZIP ; q=1.0", {"gzip"}),
        ("br;q=nonsense", set()),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header: str, expected: set[str]) -> None:
    assert accepted_encodings(header) == expected


@given(st.text(max_size=80))
def test_any_accept_encoding_header_is_read_without_error(header: str) -> None:
    assert accepted_encodings(header) <= {
        p.split(";")[0].strip().lower() for p in header.split(",")
    } | {
        "br",
        "gzip",
    }


POLICY = "default-src 'self'; connect-src 'self' https://api.example.org blob:"


def test_every_file_carries_the_policy_the_build_wrote_into_index_html(tmp_path: Path) -> None:
    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text(
        '<!doctype html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}"></head>',
        "utf-8",
    )
    (web / "assets" / "service.worker-1a2b.js").write_bytes(b"self.onmessage = null;\n")
    app = FastAPI()
    mount_studio(app, web)
    site = TestClient(app)
    # The worker's own response is what restricts the worker's requests.
    for path in ("/", "/index.html", "/assets/service.worker-1a2b.js"):
        assert site.get(path).headers["content-security-policy"] == POLICY, path


def test_a_build_without_a_policy_sends_none(site: TestClient) -> None:
    assert "content-security-policy" not in site.get("/").headers


def test_the_policy_is_read_from_the_meta_element_only() -> None:
    assert (
        content_security_policy(f'<meta http-equiv="content-security-policy" content="{POLICY}">')
        == POLICY
    )
    assert content_security_policy(f'<meta name="csp" content="{POLICY}"><p>{POLICY}</p>') is None
