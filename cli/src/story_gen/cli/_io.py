"""The CLI's edge with the file system: reading documents, writing atomically, reporting.

Everything here turns an OS or decoding failure into an :class:`InputError` that names
the file, says what is wrong and how to fix it; no command shows a traceback.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import click

from story_gen.core import JsonSyntaxError, parse_json

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "InputError",
    "dump_json",
    "parse_file_json",
    "read_json",
    "read_text",
    "write_atomic",
]

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


class InputError(click.ClickException):
    """An input could not be read at all (exit status 2); ``line``/``column`` for bad JSON."""

    exit_code = EXIT_UNREADABLE

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column

    def show(self, file: object = None) -> None:
        click.echo(f"story-gen: {self.message}", err=True)


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give the path of a .json file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{path}:{line}:{column}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8"
        ) from None


def parse_file_json(path: Path, text: str) -> object:
    """Parse the text of ``path``; bad JSON is reported as ``file:line:column: message``."""
    try:
        return parse_json(text)
    except JsonSyntaxError as exc:
        raise InputError(
            f"{path}:{exc.line}:{exc.column}: not valid JSON: {exc.message}",
            line=exc.line,
            column=exc.column,
        ) from None


def read_json(path: Path) -> object:
    return parse_file_json(path, read_text(path))


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves either the old or the new file.

    A symbolic link is followed: the file it points to is replaced, the link stays.
    """
    path = path.resolve() if path.is_symlink() else path
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_json(value: object) -> str:
    """JSON for machines: UTF-8, two-space indent, newline at the end."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
