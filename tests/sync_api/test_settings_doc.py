"""docs/settings.md documents every setting, and nothing that is not one."""

from __future__ import annotations

import re
from pathlib import Path

from story_gen.sync_api.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_every_setting_is_documented_once_and_only_settings_are() -> None:
    documented = re.findall(r"^\| `(STORY_GEN_[A-Z0-9_]+)` \|", DOC.read_text("utf-8"), re.M)
    expected = [f"STORY_GEN_{name.upper()}" for name in Settings.model_fields]
    assert sorted(documented) == sorted(expected)
    assert len(documented) == len(set(documented))


def test_settings_are_read_from_the_environment(monkeypatch: object, tmp_path: Path) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("STORY_GEN_STAGE", "prod")
    monkeypatch.setenv("STORY_GEN_CORS_ORIGINS", "https://a.example, https://b.example")
    settings = Settings(data_dir=tmp_path)
    assert settings.stage == "prod"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
