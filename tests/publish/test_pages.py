"""`make pages` (publish/pages.py): what the published site holds, and that it holds together."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.linkcheck import check_site
from publish.pages import PagesError, build, pydoc_modules
from tests.publish.site import REPO, built_pages


@pytest.fixture(scope="module")
def site() -> Path:
    return built_pages()


def test_the_studio_is_at_the_root_and_the_docs_and_references_beside_it(site: Path) -> None:
    assert 'id="root"' in (site / "index.html").read_text(encoding="utf-8")
    for path in ("sw.js", "boot-manifest.json", "manifest.webmanifest"):
        assert (site / path).is_file(), path
    docs = (site / "docs" / "index.html").read_text(encoding="utf-8")
    assert "story_gen studio" in docs
    assert 'id="root"' not in docs
    for page in ("deployment", "deployment-model", "writers-guide", "publishing", "api"):
        assert (site / "docs" / page / "index.html").is_file(), page
    reference = site / "docs" / "assets" / "openapi"
    for name in (
        "openapi.json",
        "index.html",
        "api-reference.js",
        "swagger-ui-bundle.js",
        "swagger-ui.css",
    ):
        assert (reference / name).is_file(), name
    assert (site / "pydoc" / "index.html").is_file()
    assert (site / "pydoc" / "search.js").is_file()
    assert (site / ".nojekyll").is_file()
    assert "This page does not exist" in (site / "404.html").read_text(encoding="utf-8")


def test_the_openapi_snapshot_is_published_as_committed(site: Path) -> None:
    committed = REPO / "docs" / "assets" / "openapi" / "openapi.json"
    published = site / "docs" / "assets" / "openapi" / "openapi.json"
    assert published.read_bytes() == committed.read_bytes()


def test_the_python_reference_documents_the_core_and_the_sync_api(site: Path) -> None:
    assert {"story_gen.core", "story_gen.sync_api"} <= set(pydoc_modules())
    core = (site / "pydoc" / "story_gen" / "core.html").read_text(encoding="utf-8")
    for name in ("StoryBlueprint", "Chapter", "Character", "diagnose", "merge"):
        assert f'id="{name}"' in core, name
    sync_api = (site / "pydoc" / "story_gen" / "sync_api.html").read_text(encoding="utf-8")
    assert 'id="create_app"' in sync_api
    assert 'id="Settings"' in sync_api
    # A model without a docstring shows none, not pydantic's (its links point into pydantic's docs).
    assert "concepts/models.md" not in core


def test_what_pages_never_serves_is_left_out(site: Path) -> None:
    files = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    assert [f for f in files if f.endswith((".br", ".gz"))] == []
    assert not (site / "bench").exists()
    assert not (site / "build-report.json").exists()
    # MkDocs' own 404 page links from the host's root; the site's 404.html is the one Pages
    # uses. Its sitemap, without a site URL, is empty.
    assert not (site / "docs" / "404.html").exists()
    assert not (site / "docs" / "sitemap.xml").exists()


def test_every_internal_link_resolves_and_nothing_loads_from_another_host(site: Path) -> None:
    assert check_site(site) == []


def test_a_missing_studio_build_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PagesError, match=r"not a studio build: run `make web` first"):
        build(tmp_path / "pages", web=tmp_path / "nothing")
    assert not (tmp_path / "pages").exists()
