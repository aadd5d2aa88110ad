"""The wiki mirror of docs/ (docs/publishing.md): docs/ is the source, the wiki a copy.

    python -m publish.wiki render [--out build/wiki]                  # make wiki-sync
    python -m publish.wiki push [--from build/wiki] [--remote URL]    # make wiki-sync-push

``render`` writes GitHub wiki pages: ``Home.md`` from ``docs/index.md``, one page per other
document named by its MkDocs navigation title (else its first heading; in a subfolder, by the
folder and file name: ``adr/0001-workspace-layout.md`` -> ``ADR-0001-workspace-layout.md``) the
way GitHub names wiki pages (``Deployment model`` -> ``Deployment-model.md``), ``_Sidebar.md``
from the
MkDocs navigation, links between documents rewritten to page names (anchors kept), images
copied under ``assets/``, links to anything else in the repository pointed at its GitHub
address, and a note at the top of each page naming its source file.

``push`` clones the wiki's repository, makes its files exactly the rendered ones (a page deleted
from docs/ is deleted from the wiki), and commits and pushes only when that changed something.
The remote is ``--remote``, else ``$WIKI_REMOTE``, else the repository's own wiki derived from
``git remote get-url origin``.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[1]
IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
# [text](target "title") and ![alt](target); the target has no spaces in our docs.
INLINE_LINK = re.compile(
    r"(?P<head>!?\[[^\]\n]*\]\()(?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)"
)
REFERENCE_LINK = re.compile(r"^(?P<head>\s{0,3}\[[^\]\n]+\]:\s*)(?P<target>\S+)(?P<rest>.*)$", re.M)
FENCE = re.compile(r"^(```|~~~)")
NOT_IN_PAGE_NAMES = re.compile(r"[\\/:*?\"<>|#%`'.,;()\[\]{}!]+")


class WikiError(Exception):
    """A wiki sync that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Page:
    source: str  # path under docs/, posix
    name: str  # wiki page name (file name without .md)
    title: str


def page_name(title: str) -> str:
    """GitHub's wiki page file name for a title: spaces to hyphens, no path or link syntax."""
    name = NOT_IN_PAGE_NAMES.sub("", title.replace("\u2019", "").replace("\u2014", "-"))
    name = re.sub(r"\s+", "-", name.strip())
    return re.sub(r"-{2,}", "-", name).strip("-") or "Page"


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip().replace("`", "")
    return None


def _nav_entries(nav: list[Any]) -> list[tuple[str | None, str | list[Any]]]:
    entries: list[tuple[str | None, str | list[Any]]] = []
    for item in nav:
        if isinstance(item, str):
            entries.append((None, item))
        elif isinstance(item, dict):
            for title, value in item.items():
                entries.append((str(title), value))
    return entries


def _nav_titles(nav: list[Any], out: dict[str, str]) -> None:
    for title, value in _nav_entries(nav):
        if isinstance(value, list):
            _nav_titles(value, out)
        elif title is not None:
            out[value] = title


def plan_pages(docs: Path, nav: list[Any]) -> dict[str, Page]:
    """Every document under ``docs`` -> its wiki page (unique names)."""
    titles: dict[str, str] = {}
    _nav_titles(nav, titles)
    pages: dict[str, Page] = {}
    used: set[str] = set()
    for path in sorted(docs.rglob("*.md")):
        source = path.relative_to(docs).as_posix()
        text = path.read_text(encoding="utf-8")
        title = titles.get(source) or _first_heading(text) or path.stem.replace("-", " ")
        if source == "index.md":
            name = "Home"
        elif source in titles or "/" not in source:
            name = page_name(title)
        else:  # adr/0001-workspace-layout.md -> ADR-0001-workspace-layout (titles are long)
            folder, _, stem = source.removesuffix(".md").rpartition("/")
            name = page_name(f"{folder.replace('/', ' ').upper()} {stem}")
        base, n = name, 2
        while name.lower() in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name.lower())
        pages[source] = Page(source, name, title)
    return pages


class _Renderer:
    def __init__(
        self, docs: Path, pages: dict[str, Page], out: Path, repo_url: str | None, branch: str
    ):
        self.docs = docs
        self.pages = pages
        self.out = out
        self.repo_url = repo_url
        self.branch = branch
        self.repo_root = docs.parent

    def _repo_link(self, repo_path: str, is_dir: bool) -> str | None:
        if self.repo_url is None:
            return None
        kind = "tree" if is_dir else "blob"
        return f"{self.repo_url}/{kind}/{self.branch}/{repo_path}"

    def target(self, page: Page, target: str) -> str | None:
        """The wiki's URL for a link in ``page``, or None to leave the link as it is."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
            return None
        path, _, anchor = target.partition("#")
        suffix = f"#{anchor}" if anchor else ""
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.source), path))
        if resolved.endswith(".md") and resolved in self.pages:
            return self.pages[resolved].name + suffix
        if resolved.endswith("/") or resolved in ("", "."):
            resolved = resolved.rstrip("/")
        if not resolved.startswith("../"):
            source = self.docs / resolved
            if source.is_file() and source.suffix.lower() in IMAGES:
                copy = self.out / resolved
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
                return resolved
            repo_path = f"docs/{resolved}"
            on_disk = source
        else:
            repo_path = posixpath.normpath(
                posixpath.join("docs", posixpath.dirname(page.source), path)
            )
            on_disk = self.repo_root / repo_path
        link = self._repo_link(repo_path, on_disk.is_dir())
        return None if link is None else link + suffix

    def render(self, page: Page) -> str:
        text = (self.docs / page.source).read_text(encoding="utf-8")
        lines, fenced = [], False
        for line in text.splitlines():
            if FENCE.match(line.lstrip()):
                fenced = not fenced
            if not fenced:
                line = INLINE_LINK.sub(lambda m: self._inline(page, m), line)
                line = REFERENCE_LINK.sub(lambda m: self._reference(page, m), line)
            lines.append(line)
        source_link = self._repo_link(f"docs/{page.source}", False)
        shown = f"[`docs/{page.source}`]({source_link})" if source_link else f"`docs/{page.source}`"
        note = (
            f"> This page mirrors {shown} in the repository, where it is written: edit it "
            "there (docs/ is the source). Changes made here are replaced by the next sync."
        )
        return note + "\n\n" + "\n".join(lines).rstrip() + "\n"

    def _inline(self, page: Page, match: re.Match[str]) -> str:
        new = self.target(page, match["target"])
        if new is None:
            return match[0]
        return f"{match['head']}{new}{match['title'] or ''})"

    def _reference(self, page: Page, match: re.Match[str]) -> str:
        new = self.target(page, match["target"])
        return match[0] if new is None else f"{match['head']}{new}{match['rest']}"


def _sidebar(nav: list[Any], pages: dict[str, Page], depth: int = 0) -> list[str]:
    lines = []
    for title, value in _nav_entries(nav):
        indent = "  " * depth
        if isinstance(value, list):
            lines.append(f"{indent}- **{title}**")
            lines.extend(_sidebar(value, pages, depth + 1))
        elif value in pages:
            page = pages[value]
            lines.append(f"{indent}- [{title or page.title}]({page.name})")
    return lines


def render(
    out: Path,
    *,
    docs: Path = REPO / "docs",
    mkdocs_yml: Path = REPO / "mkdocs.yml",
    repo_url: str | None = None,
    branch: str = "main",
) -> list[Page]:
    """Render ``docs`` as wiki pages into ``out`` (replaced whole). Returns the pages."""
    config = yaml.safe_load(mkdocs_yml.read_text(encoding="utf-8"))
    nav: list[Any] = config.get("nav", [])
    pages = plan_pages(docs, nav)
    if "index.md" not in pages:
        raise WikiError(f"{docs}/index.md is missing: it becomes the wiki's Home page")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    renderer = _Renderer(docs, pages, out, repo_url, branch)
    for page in pages.values():
        (out / f"{page.name}.md").write_text(renderer.render(page), encoding="utf-8")
    listed = {value for _, value in _walk(nav)}
    unlisted = [p for s, p in sorted(pages.items()) if s not in listed and s != "index.md"]
    sidebar = [f"**[{config.get('site_name', 'Home')}](Home)**", "", *_sidebar(nav, pages)]
    if unlisted:
        sidebar += ["- **More**", *(f"  - [{p.title}]({p.name})" for p in unlisted)]
    (out / "_Sidebar.md").write_text("\n".join(sidebar) + "\n", encoding="utf-8")
    return list(pages.values())


def _walk(nav: list[Any]) -> list[tuple[str | None, str]]:
    found: list[tuple[str | None, str]] = []
    for title, value in _nav_entries(nav):
        if isinstance(value, list):
            found.extend(_walk(value))
        else:
            found.append((title, value))
    return found


# ---------------------------------------------------------------- remotes and pushing


def _git(
    *args: str, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


def origin_url(repo: Path = REPO) -> str | None:
    result = _git("remote", "get-url", "origin", cwd=repo, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def wiki_remote_for(origin: str) -> str:
    """The wiki repository of a GitHub repository's remote URL (https or ssh)."""
    base = origin.rstrip("/").removesuffix(".git")
    if base.endswith(".wiki"):
        return base + ".git"
    return base + ".wiki.git"


def web_url_for(origin: str) -> str | None:
    """``https://github.com/<owner>/<repo>`` for a GitHub remote, else None."""
    match = re.match(
        r"^(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)([^/]+)/([^/]+?)(?:\.git)?/?$",
        origin,
    )
    return f"https://github.com/{match[1]}/{match[2]}" if match else None


def default_remote(repo: Path = REPO) -> str:
    configured = os.environ.get("WIKI_REMOTE")
    if configured:
        return configured
    origin = origin_url(repo)
    if origin is None:
        raise WikiError(
            "no WIKI_REMOTE and no `origin` remote to derive the wiki from: set WIKI_REMOTE"
        )
    return wiki_remote_for(origin)


def _source_revision(repo: Path) -> str:
    head = _git("rev-parse", "--short", "HEAD", cwd=repo, check=False).stdout.strip() or "unknown"
    dirty = _git(
        "status", "--porcelain", "--", "docs", "mkdocs.yml", cwd=repo, check=False
    ).stdout.strip()
    return head + (" with uncommitted changes" if dirty else "")


def push(source: Path, remote: str, *, repo: Path = REPO) -> bool:
    """Make the wiki at ``remote`` hold exactly ``source``; True when a commit was pushed."""
    if not (source / "Home.md").is_file():
        raise WikiError(f"{source} has no Home.md: run `make wiki-sync` first")
    with tempfile.TemporaryDirectory(prefix="wiki-") as tmp:
        clone = Path(tmp) / "wiki"
        cloned = _git("clone", "--quiet", remote, str(clone), check=False)
        if cloned.returncode != 0:
            raise WikiError(
                f"cannot clone the wiki {_redacted(remote)}: {cloned.stderr.strip()}\n"
                "Create the wiki's first page once in GitHub's interface, or set WIKI_REMOTE."
            )
        head = _git("symbolic-ref", "--short", "HEAD", cwd=clone).stdout.strip()
        branch = head or "master"
        for entry in clone.iterdir():
            if entry.name != ".git":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        shutil.copytree(source, clone, dirs_exist_ok=True)
        _git("add", "--all", cwd=clone)
        if not _git("status", "--porcelain", cwd=clone).stdout.strip():
            return False
        identity = []
        if not _git("config", "user.email", cwd=clone, check=False).stdout.strip():
            identity = [
                "-c",
                "user.name=story_gen wiki sync",
                "-c",
                "user.email=wiki-sync@localhost",
            ]
        message = f"Sync from docs/ at {_source_revision(repo)}"
        _git(*identity, "commit", "--quiet", "-m", message, cwd=clone)
        pushed = _git(
            "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", cwd=clone, check=False
        )
        if pushed.returncode != 0:
            raise WikiError(f"push to {_redacted(remote)} failed: {pushed.stderr.strip()}")
    return True


def _redacted(url: str) -> str:
    return re.sub(r"//[^/@]+@", "//***@", url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    render_cmd = commands.add_parser("render", help="docs/ -> wiki pages (make wiki-sync)")
    render_cmd.add_argument("--out", type=Path, default=REPO / "build" / "wiki")
    push_cmd = commands.add_parser("push", help="commit and push the pages (make wiki-sync-push)")
    push_cmd.add_argument("--from", dest="source", type=Path, default=REPO / "build" / "wiki")
    push_cmd.add_argument(
        "--remote", help="the wiki's git URL (default: $WIKI_REMOTE, else origin's .wiki.git)"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "render":
            origin = origin_url()
            pages = render(args.out, repo_url=web_url_for(origin) if origin else None)
            print(f"{args.out}: {len(pages)} pages and _Sidebar.md")
            return 0
        remote = args.remote or default_remote()
        changed = push(args.source, remote)
        print(f"wiki {_redacted(remote)}: " + ("pushed" if changed else "already up to date"))
        return 0
    except WikiError as error:
        print(f"wiki sync: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
