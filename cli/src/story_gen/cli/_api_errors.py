"""The CLI's view of client errors: one line that says what the server said and what to do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from story_gen.cli._report import format_diagnostic
from story_gen.client import ApiError, TransportError

__all__ = ["EXIT_UNREACHABLE", "reported"]

EXIT_UNREACHABLE = 2


@contextmanager
def reported() -> Iterator[None]:
    """Turn :class:`ApiError` / :class:`TransportError` into a message and exit status 2."""
    try:
        yield
    except ApiError as error:
        click.echo(f"story-gen: the API answered {error}", err=True)
        for diagnostic in error.diagnostics:
            click.echo("    " + format_diagnostic("", diagnostic).lstrip(": "), err=True)
        if error.status == 401:
            click.echo(
                "story-gen: sign in again: story-gen login --api URL --email EMAIL", err=True
            )
        raise click.exceptions.Exit(EXIT_UNREACHABLE) from None
    except TransportError as error:
        click.echo(f"story-gen: {error}", err=True)
        raise click.exceptions.Exit(EXIT_UNREACHABLE) from None
