"""The deployment files and the env example each compose file is used with."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[2]
OPS = REPO / "ops"

COMPOSE_ENV = {
    REPO / "docker-compose.yml": OPS / ".env.example",
    OPS / "docker-compose.droplet.yml": OPS / ".env.example",
    OPS / "docker-compose.aws.yml": OPS / ".env.aws.example",
    OPS / "docker-compose.gcp.yml": OPS / ".env.gcp.example",
    OPS / "docker-compose.azure.yml": OPS / ".env.azure.example",
}
"""Each compose file a user runs, with the env example its documentation copies."""

VARIANTS = [path for path in COMPOSE_ENV if path.parent == OPS]
ALL_COMPOSE = sorted({*COMPOSE_ENV, *(OPS / "compose").glob("*.yml")})
DOCKERFILES = sorted((REPO / "docker").glob("*.Dockerfile"))

_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def includes(path: Path) -> list[Path]:
    """The compose files ``path`` includes, recursively, resolved against its folder."""
    found = []
    for item in load(path).get("include", []):
        target = (path.parent / (item if isinstance(item, str) else item["path"])).resolve()
        found += [target, *includes(target)]
    return found


def variables(path: Path) -> set[str]:
    """Every ${VAR} interpolated in ``path`` (``$${...}`` is a literal dollar, not a variable)."""
    return set(_VARIABLE.findall(path.read_text("utf-8")))


def env_example(path: Path) -> dict[str, str]:
    """The KEY=value lines of an env example (commented-out alternatives not included)."""
    values: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if match := re.fullmatch(r"([A-Z_][A-Z0-9_]*)=(.*)", line.strip()):
            values[match.group(1)] = match.group(2)
    return values


def commented_settings(path: Path) -> set[str]:
    """Names in commented-out KEY=value lines (the managed-mode alternatives)."""
    return {
        match.group(1)
        for line in path.read_text("utf-8").splitlines()
        if (match := re.fullmatch(r"#([A-Z_][A-Z0-9_]*)=.*", line.strip()))
    }
