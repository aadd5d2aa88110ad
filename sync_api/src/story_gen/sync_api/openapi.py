"""The committed OpenAPI snapshot (docs/assets/openapi/openapi.json): write it, or check it.

``python -m story_gen.sync_api.openapi write PATH`` (``make openapi``) regenerates it;
``... check PATH`` (``make openapi-check``, part of ``make check``) fails when the committed
file differs from what the code produces. The snapshot is generated, never edited by hand.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["main", "openapi_document", "render"]


def openapi_document() -> dict[str, Any]:
    from story_gen.sync_api.app import create_app
    from story_gen.sync_api.config import Settings

    with tempfile.TemporaryDirectory() as scratch:
        # The schema does not depend on settings; a scratch data dir keeps this side-effect free.
        document: dict[str, Any] = create_app(Settings(data_dir=Path(scratch))).openapi()
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in {"write", "check"}:
        print("usage: python -m story_gen.sync_api.openapi write|check PATH", file=sys.stderr)
        return 2
    action, path = args[0], Path(args[1])
    fresh = render(openapi_document())
    if action == "write":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fresh, encoding="utf-8")
        print(f"wrote {path}")
        return 0
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if current != fresh:
        print(
            f"{path} is stale: the API changed. Run `make openapi` and commit the result.",
            file=sys.stderr,
        )
        return 1
    print(f"{path} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
