"""The wiki mirror (publish/wiki.py): docs/ rendered as GitHub wiki pages, and pushed to a
wiki repository (here a local bare one) committing only what changed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from publish.wiki import (
    WikiError,
    default_remote,
    page_name,
    push,
    render,
    web_url_for,
    wiki_remote_for,
)

REPO = Path(__file__).resolve().parents[2]
REPO_URL = "https://github.com/ringxworld/story_generator"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def small_docs(root: Path) -> tuple[Path, Path]:
    docs = root / "docs"
    (docs / "adr").mkdir(parents=True)
    (docs / "assets" / "screenshots").mkdir(parents=True)
    (docs / "index.md").write_text(
        "# Welcome\n\nStart with the [guide](guide.md).\n", encoding="utf-8"
    )
    (docs / "guide.md").write_text(
        "# The guide\n\n"
        "See [settings](settings.md#storage), [a decision](adr/0001-first.md) and "
        "[the build script](../web/scripts/build.mjs).\n\n"
        '![the library](assets/screenshots/library.png "Library")\n\n'
        "```sh\n[not a link](settings.md)\n```\n\n"
        "[ref]: settings.md\n",
        encoding="utf-8",
    )
    (docs / "settings.md").write_text("# Settings\n\n## Storage\n", encoding="utf-8")
    (docs / "adr" / "0001-first.md").write_text(
        "# ADR 0001: the first decision\n\nBack to [the guide](../guide.md).\n", encoding="utf-8"
    )
    (docs / "assets" / "screenshots" / "library.png").write_bytes(PNG)
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(
        "site_name: Test site\nnav:\n  - Home: index.md\n  - Writer's guide: guide.md\n"
        "  - Settings: settings.md\n  - Decisions:\n      - adr/0001-first.md\n",
        encoding="utf-8",
    )
    return docs, mkdocs


def test_page_names_are_as_github_names_wiki_pages() -> None:
    assert page_name("Deployment model") == "Deployment-model"
    assert page_name("Studio (web)") == "Studio-web"
    assert page_name("Writer's guide") == "Writers-guide"
    assert page_name("Publishing: the site / the wiki") == "Publishing-the-site-the-wiki"


def test_render_writes_home_sidebar_and_pages_with_links_rewritten(tmp_path: Path) -> None:
    docs, mkdocs = small_docs(tmp_path)
    out = tmp_path / "wiki"
    pages = render(out, docs=docs, mkdocs_yml=mkdocs, repo_url=REPO_URL)
    assert sorted(p.name for p in pages) == ["ADR-0001-first", "Home", "Settings", "Writers-guide"]
    assert sorted(p.name for p in out.iterdir()) == [
        "ADR-0001-first.md",
        "Home.md",
        "Settings.md",
        "Writers-guide.md",
        "_Sidebar.md",
        "assets",
    ]
    guide = (out / "Writers-guide.md").read_text(encoding="utf-8")
    assert "[settings](Settings#storage)" in guide
    assert "[a decision](ADR-0001-first)" in guide
    assert f"[the build script]({REPO_URL}/blob/main/web/scripts/build.mjs)" in guide
    assert '![the library](assets/screenshots/library.png "Library")' in guide
    assert (out / "assets" / "screenshots" / "library.png").read_bytes() == PNG
    assert "[not a link](settings.md)" in guide  # code blocks are left alone
    assert "[ref]: Settings" in guide
    assert "[the guide](Writers-guide)" in (out / "ADR-0001-first.md").read_text(encoding="utf-8")
    assert "[guide](Writers-guide)" in (out / "Home.md").read_text(encoding="utf-8")
    sidebar = (out / "_Sidebar.md").read_text(encoding="utf-8")
    assert "- [Writer's guide](Writers-guide)" in sidebar
    assert "  - [ADR 0001: the first decision](ADR-0001-first)" in sidebar


def test_every_page_says_docs_is_its_source(tmp_path: Path) -> None:
    docs, mkdocs = small_docs(tmp_path)
    out = tmp_path / "wiki"
    render(out, docs=docs, mkdocs_yml=mkdocs, repo_url=REPO_URL)
    for page in out.glob("[!_]*.md"):
        first = page.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("> This page mirrors [`docs/"), page.name
        assert "edit it there (docs/ is the source)" in first
    assert f"({REPO_URL}/blob/main/docs/guide.md)" in (out / "Writers-guide.md").read_text(
        encoding="utf-8"
    )


def test_the_real_docs_render_with_every_wiki_link_resolving(tmp_path: Path) -> None:
    out = tmp_path / "wiki"
    pages = render(out, repo_url=REPO_URL)
    names = {p.name for p in pages}
    assert {"Home", "Deployment-model", "Publishing", "Writers-guide"} <= names
    link = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)")
    for page in out.glob("*.md"):
        for target in link.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            path = target.split("#")[0]
            assert path in names or (out / path).is_file(), f"{page.name}: {target}"


def test_the_wiki_remote_is_derived_from_origin() -> None:
    assert wiki_remote_for("https://github.com/o/r.git") == "https://github.com/o/r.wiki.git"
    assert wiki_remote_for("https://github.com/o/r") == "https://github.com/o/r.wiki.git"
    assert wiki_remote_for("git@github.com:o/r.git") == "git@github.com:o/r.wiki.git"
    assert web_url_for("git@github.com:o/r.git") == "https://github.com/o/r"
    assert web_url_for("https://token@github.com/o/r.git") == "https://github.com/o/r"
    assert web_url_for("/srv/git/r.git") is None


def test_default_remote_prefers_wiki_remote_then_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "clone"
    repo.mkdir()
    git("init", "--quiet", cwd=repo)
    monkeypatch.delenv("WIKI_REMOTE", raising=False)
    with pytest.raises(WikiError, match="set WIKI_REMOTE"):
        default_remote(repo)
    git("remote", "add", "origin", "https://github.com/o/r.git", cwd=repo)
    assert default_remote(repo) == "https://github.com/o/r.wiki.git"
    monkeypatch.setenv("WIKI_REMOTE", "/srv/wiki.git")
    assert default_remote(repo) == "/srv/wiki.git"


def test_push_commits_only_what_changed_and_removes_deleted_pages(tmp_path: Path) -> None:
    remote = tmp_path / "wiki.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    docs, mkdocs = small_docs(tmp_path / "src")
    out = tmp_path / "wiki"

    render(out, docs=docs, mkdocs_yml=mkdocs, repo_url=REPO_URL)
    assert push(out, str(remote)) is True
    assert push(out, str(remote)) is False  # nothing changed: no commit
    first = git("log", "--format=%H", "--all", cwd=remote).split()
    assert len(first) == 1

    (docs / "settings.md").write_text(
        "# Settings\n\n## Storage\n\nNow with text.\n", encoding="utf-8"
    )
    (docs / "adr" / "0001-first.md").unlink()
    (docs / "guide.md").write_text("# The guide\n\nShorter.\n", encoding="utf-8")
    render(out, docs=docs, mkdocs_yml=mkdocs, repo_url=REPO_URL)
    assert push(out, str(remote)) is True
    log = git("log", "--format=%H", "--all", cwd=remote).split()
    assert len(log) == 2
    changed = git("diff", "--name-status", log[1], log[0], cwd=remote).splitlines()
    assert sorted(changed) == [
        "D\tADR-0001-first.md",
        "D\tassets/screenshots/library.png",
        "M\tSettings.md",
        "M\tWriters-guide.md",
        "M\t_Sidebar.md",
    ]
    clone = tmp_path / "check"
    git("clone", "--quiet", str(remote), str(clone), cwd=tmp_path)
    assert "Now with text." in (clone / "Settings.md").read_text(encoding="utf-8")
    assert not (clone / "ADR-0001-first.md").exists()


def test_push_without_a_rendered_wiki_or_a_reachable_remote_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WikiError, match="run `make wiki-sync` first"):
        push(tmp_path, str(tmp_path / "nowhere.git"))
    (tmp_path / "Home.md").write_text("# Home\n", encoding="utf-8")
    with pytest.raises(WikiError, match="cannot clone the wiki"):
        push(tmp_path, str(tmp_path / "nowhere.git"))
