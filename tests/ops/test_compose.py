"""Every compose file: valid against the Compose Specification's schema (vendored), every
variable it uses present in its env example, every STORY_GEN_* there a real setting, and the
shape each deployment promises (two modes, the API on the internal network only, Redis, the
backup schedule, the observability profile)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from story_gen.sync_api.config import Settings

from ._files import (
    ALL_COMPOSE,
    COMPOSE_ENV,
    OPS,
    REPO,
    VARIANTS,
    commented_settings,
    env_example,
    includes,
    load,
    variables,
)

SCHEMA = OPS / "schemas" / "compose-spec.json"
SCHEMA_SHA256 = "d549057ebc2925f39f62799eab0db7b9e2c18b35b6c00595199116da3ed10e64"
SETTINGS = {f"STORY_GEN_{name.upper()}" for name in Settings.model_fields}


def services(path: Path) -> dict[str, Any]:
    """The services of ``path`` and of everything it includes."""
    merged: dict[str, Any] = {}
    for source in (path, *includes(path)):
        merged.update(load(source).get("services", {}))
    return merged


def test_the_vendored_schema_is_the_noted_version() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    assert SCHEMA_SHA256 in (OPS / "schemas" / "README.md").read_text("utf-8")


@pytest.mark.parametrize("path", ALL_COMPOSE, ids=lambda p: str(p.relative_to(REPO)))
def test_compose_file_matches_the_compose_specification(path: Path) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_the_schema_check_can_fail() -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    broken = {"services": {"api": {"image": "x", "depends_on": {"db": {"condition": "whenever"}}}}}
    assert list(validator.iter_errors(broken))


@pytest.mark.parametrize(("path", "example"), COMPOSE_ENV.items(), ids=lambda p: p.name)
def test_every_variable_a_compose_file_uses_is_in_its_env_example(
    path: Path, example: Path
) -> None:
    used = set().union(*(variables(source) for source in (path, *includes(path))))
    documented = set(env_example(example)) | commented_settings(example)
    assert sorted(used - documented) == []


@pytest.mark.parametrize("example", sorted(set(COMPOSE_ENV.values())), ids=lambda p: p.name)
def test_env_examples_name_only_real_settings_with_valid_values(example: Path) -> None:
    values = env_example(example)
    named = {name for name in values if name.startswith("STORY_GEN_")}
    named |= {name for name in commented_settings(example) if name.startswith("STORY_GEN_")}
    assert sorted(named - SETTINGS) == []
    given: dict[str, Any] = {
        name.removeprefix("STORY_GEN_").lower(): value
        for name, value in values.items()
        if name.startswith("STORY_GEN_")
    }
    Settings(**given, blob_store="s3")  # the example's values are valid as they stand


def test_the_local_stack_has_studio_api_database_object_store_and_migrate() -> None:
    stack = services(REPO / "docker-compose.yml")
    expected = {"web", "api", "postgres", "minio", "minio-init", "migrate", "redis", "worker"}
    assert expected | {"backup"} <= set(stack)
    api = stack["api"]
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert stack["migrate"]["command"] == ["story-gen-sync-api", "migrate"]
    assert api["environment"]["STORY_GEN_AUTO_MIGRATE"] == "false"
    assert {k for k in api["environment"] if k.startswith("STORY_GEN_")} <= SETTINGS
    assert stack["web"]["build"]["dockerfile"] == "docker/web.Dockerfile"


@pytest.mark.parametrize("path", VARIANTS, ids=lambda p: p.name)
def test_each_variant_has_both_modes_and_keeps_the_api_internal(path: Path) -> None:
    stack = services(path)
    for bundled in ("postgres", "minio", "minio-init"):
        assert stack[bundled]["profiles"] == ["local"], bundled
    for always in ("api", "migrate", "worker", "redis", "backup", "caddy"):
        assert "profiles" not in stack[always], always
    assert "ports" not in stack["api"]  # reachable on the compose network only
    assert stack["caddy"]["ports"][:2] == ["80:80", "443:443"]
    environment = stack["api"]["environment"]
    assert environment["STORY_GEN_JOB_QUEUE"] == "redis"
    assert {k for k in environment if k.startswith("STORY_GEN_")} <= SETTINGS
    # Managed mode: the database and the object store come from the environment.
    assert environment["STORY_GEN_DATABASE_URL"].startswith("${STORY_GEN_DATABASE_URL:-")
    assert environment["STORY_GEN_S3_ENDPOINT_URL"].startswith("${STORY_GEN_S3_ENDPOINT_URL-")
    optional = [
        name for name, spec in stack["api"]["depends_on"].items() if spec.get("required") is False
    ]
    assert "minio-init" in optional  # absent in managed mode
    observability = {n for n, s in stack.items() if s.get("profiles") == ["observability"]}
    assert observability == {"prometheus", "loki", "promtail", "grafana"}
    assert stack["grafana"]["ports"] == ["127.0.0.1:3000:3000"]


def test_the_app_never_gets_minios_root_credentials() -> None:
    for path in COMPOSE_ENV:
        for name, service in services(path).items():
            if name in {"minio", "minio-init"}:
                continue
            text = json.dumps(service.get("environment", {}))
            assert "MINIO_ROOT" not in text, f"{path.name}: {name}"


def test_managed_mode_sidecars() -> None:
    gcp = services(OPS / "docker-compose.gcp.yml")
    assert gcp["cloud-sql-proxy"]["profiles"] == ["managed"]
    azure = services(OPS / "docker-compose.azure.yml")
    assert azure["blob-gateway"]["profiles"] == ["managed"]
    assert azure["blob-gateway"]["environment"]["JCLOUDS_PROVIDER"] == "azureblob"


def test_the_backup_service_runs_cron_from_the_api_image() -> None:
    stack = services(OPS / "docker-compose.droplet.yml")
    backup = stack["backup"]
    assert backup["build"]["target"] == "backup"
    assert "BACKUP_SCHEDULE" in backup["environment"]
    entrypoint = (OPS / "backup" / "cron-entrypoint.sh").read_text("utf-8")
    assert "story-gen backup" in entrypoint
    assert "exec cron -f" in entrypoint


def test_the_old_ops_docker_folder_is_gone_and_unreferenced() -> None:
    import subprocess

    assert not (OPS / "docker").exists()
    tracked = subprocess.run(
        ["git", "grep", "-l", "ops/docker/", "--", ".", ":!tests/ops/test_compose.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tracked.stdout.split() == []
