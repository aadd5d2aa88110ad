"""`make screenshots`: the writer's guide's pictures, from the e2e suite's screenshots.

    python -m publish.screenshots [--from test-artifacts/screenshots] [--to docs/assets/screenshots]

The e2e tests save what they see into test-artifacts/screenshots/ (tests/e2e/ui.py
``screenshot``). This copies the chosen ones (``CHOSEN``: the test's name -> the guide's name)
into docs/assets/screenshots/, scaled to ``WIDTH`` pixels and reduced to a 128-colour palette,
so the repository stays small (each a few tens of kilobytes). Run it after the e2e suite when
the studio's look changes, check the pictures, and commit them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
WIDTH = 960
COLOURS = 128
CHOSEN = {
    "static-01-first-visit-demo-story.png": "first-visit.png",
    "desktop-dark-library.png": "library.png",
    "static-editor-01-premise-and-canon.png": "premise-and-canon.png",
    "static-editor-02-theme.png": "theme.png",
    "static-editor-03-rename-key-preview.png": "rename-preview.png",
    "static-editor-04-character.png": "character.png",
    "static-editor-05-chapter.png": "chapter.png",
    "static-editor-07-delete-shows-references.png": "delete-references.png",
    "desktop-dark-plan-order.png": "plan-writing-order.png",
    "desktop-dark-plan-graph.png": "plan-graph.png",
    "desktop-dark-plan-theme-coverage.png": "plan-theme-coverage.png",
    "desktop-light-editor.png": "light-theme.png",
    "phone-editor.png": "phone-editor.png",
    "static-offline-editor.png": "offline.png",
}


def shrink(source: Path, target: Path) -> None:
    with Image.open(source) as image:
        rgb = image.convert("RGB")
        if rgb.width > WIDTH:
            rgb = rgb.resize(
                (WIDTH, round(rgb.height * WIDTH / rgb.width)), Image.Resampling.LANCZOS
            )
        small = rgb.quantize(
            colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        small.save(target, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--from", dest="source", type=Path, default=REPO / "test-artifacts" / "screenshots"
    )
    parser.add_argument(
        "--to", dest="target", type=Path, default=REPO / "docs" / "assets" / "screenshots"
    )
    args = parser.parse_args(argv)
    missing = [name for name in CHOSEN if not (args.source / name).is_file()]
    if missing:
        print(
            f"make screenshots: not in {args.source}: {', '.join(missing)}\n"
            "Run the e2e tests that take them first: make test-py PYTEST_ARGS=tests/e2e",
            file=sys.stderr,
        )
        return 1
    args.target.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, guide_name in CHOSEN.items():
        shrink(args.source / name, args.target / guide_name)
        total += (args.target / guide_name).stat().st_size
    print(f"{args.target}: {len(CHOSEN)} screenshots, {total / 1000:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
