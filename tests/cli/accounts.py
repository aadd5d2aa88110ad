"""``story-gen`` in-process with its own config folder, for the account and sync tests."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from story_gen.cli.main import cli
from story_gen.client import StoryApiClient

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "blueprints"
PASSWORD = "correct horse battery"


class Cli:
    """``story-gen`` in-process with its own config folder and password variable."""

    def __init__(self, home: Path, api: str) -> None:
        self.env = {"XDG_CONFIG_HOME": str(home), "STORY_GEN_PASSWORD": PASSWORD}
        self.api = api
        self.email = f"cli{uuid.uuid4().hex[:10]}@example.org"

    def __call__(self, *args: object) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], env=self.env, catch_exceptions=False)

    def sign_up(self) -> None:
        result = self("register", "--api", self.api, "--email", self.email)
        assert result.exit_code == 0, result.output

    def client(self) -> StoryApiClient:
        story_client = StoryApiClient(self.api)
        story_client.login(self.email, PASSWORD)
        return story_client


def alice() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "alice-in-wonderland.json").read_text("utf-8"))
    return data


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data
