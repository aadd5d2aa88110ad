"""Where ``story-gen login`` keeps the account: one JSON file under the user's config folder
(``$XDG_CONFIG_HOME/story-gen/credentials.json``, else ``~/.config/story-gen/``), mode 0600
(it holds a bearer token), written atomically."""

from __future__ import annotations

import getpass
import os
import socket
from pathlib import Path

import click
from pydantic import BaseModel, ConfigDict, ValidationError

from story_gen.client import StoryApiClient

__all__ = ["Account", "client_for", "credentials_path", "forget", "load", "password", "save"]

PASSWORD_ENV = "STORY_GEN_PASSWORD"


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")

    api: str
    email: str
    token: str


def credentials_path() -> Path:
    root = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(root) / "story-gen" / "credentials.json"


def save(account: Account) -> Path:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(account.model_dump_json(indent=2) + "\n")
    os.chmod(tmp, 0o600)  # whatever the umask said
    os.replace(tmp, path)
    return path


def load() -> Account:
    path = credentials_path()
    try:
        return Account.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise click.ClickException(
            "not signed in: run `story-gen login --api URL --email EMAIL` first"
        ) from None
    except (OSError, ValidationError, ValueError) as error:
        raise click.ClickException(
            f"{path}: cannot be read ({type(error).__name__}); run `story-gen login` again"
        ) from None


def forget() -> bool:
    try:
        credentials_path().unlink()
    except FileNotFoundError:
        return False
    return True


def password(prompt: str = "Password: ") -> str:
    """From ``STORY_GEN_PASSWORD`` (scripts), else asked without echo."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return getpass.getpass(prompt)


def device_name() -> str | None:
    """This computer's host name, for the history's "which device" (ADR 0109); None when it
    has none the API would take (empty, or longer than its 80 characters)."""
    name = "".join(ch for ch in socket.gethostname() if ch.isprintable()).strip()
    return name[:80] or None


def client_for(account: Account) -> StoryApiClient:
    return StoryApiClient(account.api, token=account.token, device=device_name())
