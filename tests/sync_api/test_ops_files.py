"""ops/aws/build-lambda.sh: the Lambda package's build (`make lambda`), checked without AWS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

OPS = Path(__file__).resolve().parents[2] / "ops"


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
    assert command[0] == '"$runtime_python"'  # the runtime's bytecode format, found by version
    assert "RUNTIME_VERSION=3.12" in script
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
