"""How the CLI shows diagnostics: ``file:path: severity code: message`` plus an indented hint."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from story_gen.core import Diagnostic, Severity

__all__ = ["echo_diagnostics", "format_diagnostic", "summary"]


def format_diagnostic(file: Path | str, diagnostic: Diagnostic) -> str:
    where = f"{file}:{diagnostic.path}" if diagnostic.path else f"{file}"
    text = f"{where}: {diagnostic.severity.value} {diagnostic.code}: {diagnostic.message}"
    if diagnostic.hint:
        text += f"\n    hint: {diagnostic.hint}"
    return text


def echo_diagnostics(
    file: Path | str, diagnostics: Iterable[Diagnostic], *, err: bool = False
) -> None:
    for diagnostic in diagnostics:
        click.echo(format_diagnostic(file, diagnostic), err=err)


def summary(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    names = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "infos"}
    for diagnostic in diagnostics:
        counts[names[diagnostic.severity]] += 1
    return counts
