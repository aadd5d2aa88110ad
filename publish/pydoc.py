"""The Python API reference under /pydoc/, rendered by pdoc (run by publish/pages.py).

    python -m publish.pydoc OUT MODULE [MODULE ...]

pdoc imports what it documents, so publish/pages.py runs this in its own process. Docstrings
are reStructuredText (``double backticks``), and pdoc's search index is built in (search.js,
no outside service). One adjustment: a model without a docstring of its own shows none, not
pydantic's ``BaseModel`` text (pdoc does the same for dict and Enum subclasses), whose links
point into pydantic's documentation and would be broken here.
"""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path

import pdoc
import pdoc.doc
import pdoc.render
from pydantic import BaseModel

FOOTER = "story_gen: the Python API reference (docs/publishing.md)"


def _without_base_model_text() -> None:
    inherited = pdoc.doc.Class.docstring
    base_text = pdoc.doc._safe_getdoc(BaseModel)

    def docstring(self: pdoc.doc.Class) -> str:
        text: str = inherited.func(self)  # type: ignore[attr-defined]
        return "" if text == base_text else text

    patched = cached_property(docstring)
    patched.__set_name__(pdoc.doc.Class, "docstring")
    pdoc.doc.Class.docstring = patched  # type: ignore[assignment, method-assign]


def render(out: Path, modules: list[str]) -> None:
    _without_base_model_text()
    pdoc.render.configure(docformat="restructuredtext", search=True, footer_text=FOOTER)
    pdoc.pdoc(*modules, output_directory=out)


if __name__ == "__main__":
    render(Path(sys.argv[1]), sys.argv[2:])
