"""The ``story-gen`` command group.

Every command lives in its own module ``story_gen.cli.commands.<name>`` and exposes a
``command: click.Command``. Registering a command is one line in :data:`COMMANDS`
(kept sorted); modules are imported lazily so that ``story-gen validate`` never pays
for (or needs) the server's dependencies that ``story-gen serve`` imports.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

__all__ = ["COMMANDS", "cli", "main"]

COMMANDS: tuple[str, ...] = (
    "backup",
    "diff",
    "export",
    "fmt",
    "login",
    "logout",
    "merge",
    "plan",
    "pull",
    "push",
    "register",
    "rename",
    "restore",
    "schema",
    "serve",
    "sync",
    "validate",
)
"""Names of the modules in ``story_gen.cli.commands``, one per command, sorted."""


class _LazyGroup(click.Group):
    """A group whose commands are imported only when listed or invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)  # added with cli.add_command
        module = importlib.import_module(f"story_gen.cli.commands.{cmd_name}")
        command = getattr(module, "command", None)
        if not isinstance(command, click.Command):
            raise TypeError(f"story_gen.cli.commands.{cmd_name} must define `command`")
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """story-gen: check, format, plan and export story blueprints."""


def main() -> None:
    """Entry point of ``story-gen``: a writer never sees a traceback.

    Expected problems are reported by the commands themselves; anything else is a bug,
    reported in one line (``STORY_GEN_DEBUG=1`` shows the traceback).
    """
    try:
        cli()
    except BrokenPipeError:
        # The reader went away (`story-gen plan x | head`): not an error worth a word.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except Exception as exc:
        if os.environ.get("STORY_GEN_DEBUG"):
            raise
        click.echo(
            f"story-gen: internal error ({type(exc).__name__}: {exc}); this is a bug, please "
            "report it with the command you ran (STORY_GEN_DEBUG=1 shows the details)",
            err=True,
        )
        raise SystemExit(3) from None
