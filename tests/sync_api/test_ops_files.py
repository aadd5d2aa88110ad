"""ops/: no Docker engine or AWS here, so the deployment files are checked by parsing them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from dockerfile_parse import DockerfileParser  # type: ignore[import-untyped]

from story_gen.sync_api.config import Settings

OPS = Path(__file__).resolve().parents[2] / "ops"
SETTINGS = {f"STORY_GEN_{name.upper()}" for name in Settings.model_fields}


class _CfnLoader(yaml.SafeLoader):  # type: ignore[misc]
    """YAML with CloudFormation's short-form tags (!Ref, !Sub, ...) kept as plain values."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node)}
    return {suffix: loader.construct_mapping(node)}


_CfnLoader.add_multi_constructor("!", _tag)


def test_dockerfile_runs_the_app_factory_as_non_root() -> None:
    parser = DockerfileParser(path=str(OPS / "docker" / "Dockerfile"))
    instructions = [i["instruction"] for i in parser.structure]
    assert instructions.count("FROM") == 2
    assert "USER" in instructions
    assert parser.baseimage.startswith("python:3.11")
    assert "story_gen.sync_api:create_app" in parser.cmd
    assert "HEALTHCHECK" in instructions
    assert "/healthz" in parser.content


def test_compose_wires_postgres_minio_migrate_and_app() -> None:
    compose = yaml.safe_load((OPS / "docker" / "compose.yaml").read_text("utf-8"))
    services = compose["services"]
    assert {"postgres", "minio", "migrate", "api"} <= set(services)
    api = services["api"]
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["story-gen-sync-api", "migrate"]
    env = api["environment"]
    assert env["STORY_GEN_BLOB_STORE"] == "s3"
    assert env["STORY_GEN_AUTO_MIGRATE"] == "false"
    assert {k for k in env if k.startswith("STORY_GEN_")} <= SETTINGS


def test_sam_template_is_http_api_v2_lambda_s3() -> None:
    template = yaml.load((OPS / "aws" / "template.yaml").read_text("utf-8"), Loader=_CfnLoader)
    resources = template["Resources"]
    function = resources["ApiFunction"]["Properties"]
    assert function["Handler"] == "story_gen.sync_api.lambda_handler.handler"
    event = function["Events"]["Api"]
    assert event["Type"] == "HttpApi"
    assert event["Properties"]["PayloadFormatVersion"] == "2.0"
    assert resources["HttpApi"]["Type"] == "AWS::Serverless::HttpApi"
    assert resources["BlobBucket"]["Type"] == "AWS::S3::Bucket"
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    assert set(variables) <= SETTINGS
    assert variables["STORY_GEN_AUTO_MIGRATE"] == "false"
    jobs = resources["JobsFunction"]["Properties"]["Handler"]
    module, _, attribute = jobs.rpartition(".")
    imported = subprocess.run(
        [sys.executable, "-c", f"import {module} as m; assert callable(m.{attribute})"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr


def test_build_script_is_strict_bash() -> None:
    script = (OPS / "aws" / "build-lambda.sh").read_text("utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    assert (
        subprocess.run(["bash", "-n", str(OPS / "aws" / "build-lambda.sh")], check=False).returncode
        == 0
    )


def test_the_lambda_package_bytecode_survives_the_zip(tmp_path: Path) -> None:
    """The build compiles .pyc files that Lambda uses even when a zip round trip has moved the
    sources' modification times (its code directory is read-only: a .pyc judged stale would
    mean compiling from source on every cold start)."""
    script = (OPS / "aws" / "build-lambda.sh").read_text("utf-8")
    [compile_line] = [line for line in script.splitlines() if "-m compileall" in line]
    command = compile_line.split()
    assert command[0] == "python3.11"  # the runtime's bytecode format
    package = tmp_path / "build" / "lambda"
    (package / "probe_module").mkdir(parents=True)
    source = package / "probe_module" / "__init__.py"
    source.write_text("VALUE = 42\n", encoding="utf-8")
    args = [sys.executable, *command[1:-1], str(package)]
    subprocess.run(args, check=True, capture_output=True, text=True)
    later = source.stat().st_mtime + 3600
    os.utime(source, (later, later))  # what an extracted zip may do
    imported = subprocess.run(
        [sys.executable, "-v", "-c", "import probe_module; assert probe_module.VALUE == 42"],
        cwd=package,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    probe_lines = [line for line in imported.stderr.splitlines() if "probe_module" in line]
    assert any("code object from" in line and ".pyc" in line for line in probe_lines), probe_lines
    assert not any("stale" in line for line in probe_lines), probe_lines
