"""A link checker for a built static site: every internal reference resolves inside the folder.

    python -m publish.linkcheck build/pages      # prints each problem; exit 1 if any

For every HTML file it reads the references a browser follows or loads (``href``, ``src``,
``srcset``, ``poster``, ``data``, ``action``, ``<meta http-equiv=refresh>``) and reports:

- ``missing``: a relative reference whose file is not in the folder (a folder resolves to its
  ``index.html``, as GitHub Pages serves it);
- ``anchor``: a ``#fragment`` with no element of that ``id`` (or ``<a name>``) in the target page;
- ``root-absolute``: a reference starting with ``/``, which breaks under a sub-path
  (``/<repo>/``);
- ``escapes``: a relative reference that climbs out of the folder;
- ``external-resource``: a script, stylesheet, image, frame or other resource loaded from
  another host (links to other sites are fine; loading from one is not: no CDN).

Standard library only (html.parser); deterministic output, sorted by page.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["Problem", "check_site"]

# (tag, attribute) pairs that load a resource (as opposed to navigating to it).
LOADS = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
}
NAVIGATES = {("a", "href"), ("area", "href"), ("form", "action")}
# <link rel=...> values that load the target (stylesheet, icon, preload, manifest ...);
# other rels (canonical, alternate, next ...) only point at it.
LINK_LOADS = {
    "stylesheet",
    "icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "apple-touch-icon",
}
OTHER_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")


@dataclass(frozen=True, order=True)
class Problem:
    page: str
    kind: str
    reference: str

    def __str__(self) -> str:
        return f"{self.page}: {self.kind}: {self.reference}"


@dataclass(frozen=True)
class Reference:
    url: str
    loads: bool


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[Reference] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for key in ("id", "name") if tag == "a" else ("id",):
            if key in values:
                self.ids.add(values[key])
        if tag == "base" and "href" in values:
            self.base = values["href"]
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            self.references.append(Reference(values["href"], bool(rels & LINK_LOADS)))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            _, _, target = values.get("content", "").partition("url=")
            if target:
                self.references.append(Reference(target.strip("'\" "), False))
        for name, value in values.items():
            if (tag, name) in NAVIGATES:
                self.references.append(Reference(value, False))
            elif (tag, name) in LOADS:
                urls = (
                    [part.split()[0] for part in value.split(",") if part.strip()]
                    if name == "srcset"
                    else [value]
                )
                self.references.extend(Reference(url, True) for url in urls)

    handle_startendtag = handle_starttag


@cache
def _parse(path: Path) -> _Parser:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def _target(root: Path, page: Path, path: str) -> Path | None:
    """The file a relative ``path`` from ``page`` names, or None when it leaves ``root``."""
    resolved = (page.parent / unquote(path)).resolve() if path else page
    if not resolved.is_relative_to(root):
        return None
    if resolved.is_dir() or path.endswith("/"):
        resolved = resolved / "index.html"
    return resolved


def _check_page(root: Path, page: Path) -> list[Problem]:
    name = page.relative_to(root).as_posix()
    parsed = _parse(page)
    problems: list[Problem] = []
    for reference in parsed.references:
        url = reference.url.strip()
        if not url or url.lower().startswith(OTHER_SCHEMES):
            continue
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            if reference.loads:
                problems.append(Problem(name, "external-resource", url))
            continue
        if parts.path.startswith("/"):
            problems.append(Problem(name, "root-absolute", url))
            continue
        if parsed.base is not None:
            continue  # a <base> would move every relative URL: not used in this project
        target = _target(root, page, parts.path)
        if target is None:
            problems.append(Problem(name, "escapes", url))
        elif not target.is_file():
            problems.append(Problem(name, "missing", url))
        elif (
            parts.fragment
            and target.suffix == ".html"
            and unquote(parts.fragment) not in _parse(target).ids
        ):
            problems.append(Problem(name, "anchor", url))
    return problems


def check_site(root: Path) -> list[Problem]:
    """Every problem in the HTML files under ``root``, sorted."""
    root = root.resolve()
    _parse.cache_clear()
    problems: set[Problem] = set()
    for page in sorted(root.rglob("*.html")):
        problems.update(_check_page(root, page))
    return sorted(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", type=Path)
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"{args.root}: not a folder", file=sys.stderr)
        return 2
    problems = check_site(args.root)
    for problem in problems:
        print(problem)
    pages = sum(1 for _ in args.root.rglob("*.html"))
    print(f"{pages} pages checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
