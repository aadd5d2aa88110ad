"""`make pages`: the published site, one static folder for GitHub Pages (docs/publishing.md).

    python -m publish.pages [--web build/web] [--out build/pages]

build/pages/ holds, served under any sub-path (``https://<owner>.github.io/<repo>/``):

==========================  ===============================================================
``/``                       the studio (``make web``), without its precompressed ``.br`` /
                            ``.gz`` siblings (Pages never serves them) or the benchmark pages
``/docs/``                  the MkDocs site (``mkdocs build --strict``)
``/docs/assets/openapi/``   the OpenAPI snapshot and its reference page, rendered by Swagger
                            UI copied from node_modules/swagger-ui-dist (nothing from a CDN)
``/pydoc/``                 the Python API reference (pdoc): the core, the client if there
                            is one, and the sync API
``/404.html``               what Pages answers for a missing path, at any depth
``/.nojekyll``              Pages serves the folder as it is (no Jekyll: ``_``-files stay)
==========================  ===============================================================

Every link is relative, so the folder works at ``/`` and under any sub-path; the tests run a
link checker over it (publish/linkcheck.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What the studio build holds that the published site leaves out.
LEFT_OUT = ("*.br", "*.gz", "bench", "build-report.json")
SWAGGER_UI = ("swagger-ui-bundle.js", "swagger-ui.css")
# The Python API reference: each package's public surface (its ``__all__``) and the sync API's
# Lambda entry point; the client joins once it exists. (The request and response models are in
# the OpenAPI reference.)
PYDOC_MODULES = (
    "story_gen.core",
    "story_gen.client",
    "story_gen.sync_api",
    "story_gen.sync_api.lambda_handler",
)
NOT_FOUND = Path(__file__).with_name("not_found.html")


class PagesError(Exception):
    """Something the site needs is missing: the message says what and how to get it."""


def _studio(web: Path, out: Path) -> None:
    if not (web / "index.html").is_file() or not (web / "sw.js").is_file():
        raise PagesError(f"{web} is not a studio build: run `make web` first")
    shutil.copytree(web, out, ignore=shutil.ignore_patterns(*LEFT_OUT))


def _drop_mkdocs_extras(docs: Path) -> None:
    # Pages answers a missing path with the site's root 404.html only; MkDocs' own, built
    # without a site URL (the site works under any URL), links from the root of the host and
    # would be broken anywhere else, and its sitemap is empty.
    for name in ("404.html", "sitemap.xml", "sitemap.xml.gz"):
        (docs / name).unlink(missing_ok=True)


def _docs(out: Path, repo: Path) -> None:
    """The MkDocs site into ``out`` (strict: a broken link or a missing page fails here)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=repo,
        env=env,
        check=True,
    )
    swagger = repo / "node_modules" / "swagger-ui-dist"
    if not swagger.is_dir():
        raise PagesError(f"{swagger} is missing: run `make setup` (npm ci)")
    for name in SWAGGER_UI:
        shutil.copy2(swagger / name, out / "assets" / "openapi" / name)


def pydoc_modules() -> list[str]:
    """The packages documented in /pydoc/: those of PYDOC_MODULES this checkout has."""
    return [name for name in PYDOC_MODULES if importlib.util.find_spec(name) is not None]


def _pydoc(out: Path) -> None:
    # pdoc imports the modules it documents: in a process of its own (publish/pydoc.py).
    command = [sys.executable, "-m", "publish.pydoc", str(out), *pydoc_modules()]
    subprocess.run(command, cwd=REPO, check=True)
    if not (out / "index.html").is_file():
        raise PagesError("pdoc wrote no index.html")


def build(out: Path, *, web: Path, repo: Path = REPO) -> Path:
    """Build the site into ``out`` (replaced whole) and return it."""
    out = out.resolve()
    with tempfile.TemporaryDirectory(
        prefix="pages-", dir=out.parent if out.parent.is_dir() else None
    ) as tmp:
        staging = Path(tmp) / "site"
        _studio(web, staging)
        _docs(staging / "docs", repo)
        _drop_mkdocs_extras(staging / "docs")
        _pydoc(staging / "pydoc")
        shutil.copy2(NOT_FOUND, staging / "404.html")
        (staging / ".nojekyll").write_bytes(b"")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--web", type=Path, default=REPO / "build" / "web")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "pages")
    args = parser.parse_args(argv)
    try:
        site = build(args.out, web=args.web)
    except PagesError as error:
        print(f"make pages: {error}", file=sys.stderr)
        return 1
    files = [p for p in site.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(
        f"{site}: {len(files)} files, {size / 1e6:.1f} MB (modules in /pydoc/: {', '.join(pydoc_modules())})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
