"""Fetch the pinned Pyodide wheels and write the wheel manifest (build/pyodide/manifest.json).

    python3 pyodide/wheels.py fetch      # make pyodide-wheels: pinned third-party wheels
    python3 pyodide/wheels.py manifest   # make wheels: after `uv build` put ours beside them

Standard library only: it runs before any environment exists. Every wheel that Pyodide loads,
in the Node test harness and in the studio alike, is one of:

- ``runtime``: pinned with hashes in pyodide/requirements-runtime.txt (pydantic and friends),
- ``test``: pinned with hashes in pyodide/requirements-test.txt (pytest, hypothesis),
- ``app``: our own pure-Python wheels (``story_gen_*``), built from this checkout.

The manifest is generated, never edited; its format is described in docs/testing.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

PYODIDE_DIR = Path(__file__).resolve().parent
REPO = PYODIDE_DIR.parent
WHEEL_DIR = REPO / "build" / "pyodide" / "wheels"
MANIFEST = REPO / "build" / "pyodide" / "manifest.json"

# Pyodide 314.0.7 runs CPython 3.14 with the pyemscripten 2026_0 ABI (see its pyodide-lock.json).
PYTHON_VERSION = "3.14"
PLATFORM = "pyemscripten_2026_0_wasm32"
REQUIREMENTS = {
    "runtime": PYODIDE_DIR / "requirements-runtime.txt",
    "test": PYODIDE_DIR / "requirements-test.txt",
}
APP_PREFIX = "story_gen_"
GROUP_ORDER = ("runtime", "test", "app")
MANIFEST_FORMAT = 1

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s\\]+)")
_HASH = re.compile(r"--hash=sha256:(?P<digest>[0-9a-f]{64})")
# {distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl (PEP 427)
_WHEEL = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


class WheelError(Exception):
    """A wheel or a pin is missing, unpinned or inconsistent; the message says how to fix it."""


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    sha256: str
    group: str


@dataclass(frozen=True)
class Wheel:
    file: str
    name: str
    version: str
    sha256: str
    size: int
    group: str

    def as_json(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "name": self.name,
            "version": self.version,
            "group": self.group,
            "sha256": self.sha256,
            "size": self.size,
        }


def canonical_name(name: str) -> str:
    """PEP 503 normalisation: ``Typing_Extensions`` and ``typing-extensions`` are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(text: str, group: str) -> list[Pin]:
    """Pins of a hash-checking requirements file: ``name==version --hash=sha256:...`` (one each)."""
    logical = re.sub(r"\\\n", " ", text)
    pins: list[Pin] = []
    for number, raw in enumerate(logical.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        pin = _PIN.match(line)
        digests = _HASH.findall(line)
        if pin is None or len(digests) != 1:
            raise WheelError(
                f"{group} requirements, logical line {number}: {line!r} is not "
                "`name==version --hash=sha256:<64 hex>`; pin every wheel with exactly one hash"
            )
        pins.append(
            Pin(canonical_name(pin["name"]), pin["version"], digests[0], group),
        )
    return pins


def load_pins() -> list[Pin]:
    pins: list[Pin] = []
    for group, path in REQUIREMENTS.items():
        pins.extend(parse_requirements(path.read_text(encoding="utf-8"), group))
    return pins


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_wheel_name(file: str) -> tuple[str, str]:
    match = _WHEEL.match(file)
    if match is None:
        raise WheelError(f"{file}: not a wheel file name (PEP 427)")
    return canonical_name(match["name"]), match["version"]


def classify(files: Iterable[tuple[str, str, int]], pins: Sequence[Pin]) -> list[Wheel]:
    """Match (file name, sha256, size) triples to pins; every pin found, every file accounted for."""
    by_digest = {pin.sha256: pin for pin in pins}
    wheels: list[Wheel] = []
    problems: list[str] = []
    for file, digest, size in files:
        name, version = parse_wheel_name(file)
        pin = by_digest.get(digest)
        if pin is not None:
            if (pin.name, pin.version) != (name, version):
                problems.append(
                    f"{file}: its hash is pinned for {pin.name}=={pin.version} in the "
                    f"{pin.group} requirements; the hash is on the wrong line"
                )
                continue
            wheels.append(Wheel(file, name, version, digest, size, pin.group))
        elif file.startswith(APP_PREFIX):
            wheels.append(Wheel(file, name, version, digest, size, "app"))
        else:
            problems.append(
                f"{file}: not pinned in pyodide/requirements-*.txt (stale or foreign wheel); "
                "delete it or run `make pyodide-wheels`"
            )
    found = {wheel.sha256 for wheel in wheels}
    problems.extend(
        f"{pin.name}=={pin.version} ({pin.group}): pinned but missing; run `make pyodide-wheels`"
        for pin in pins
        if pin.sha256 not in found
    )
    apps = [wheel.name for wheel in wheels if wheel.group == "app"]
    problems.extend(
        f"{name}: more than one app wheel; run `make wheels` (it rebuilds them from scratch)"
        for name in sorted({name for name in apps if apps.count(name) > 1})
    )
    if problems:
        raise WheelError("\n".join(problems))
    return sorted(wheels, key=lambda wheel: (GROUP_ORDER.index(wheel.group), wheel.name))


def manifest_json(wheels: Sequence[Wheel], pyodide_version: str) -> str:
    document = {
        "generated_by": "pyodide/wheels.py manifest (generated: do not edit; run `make wheels`)",
        "format": MANIFEST_FORMAT,
        "pyodide": pyodide_version,
        "python": PYTHON_VERSION,
        "platform": PLATFORM,
        "wheels": [wheel.as_json() for wheel in wheels],
    }
    return json.dumps(document, indent=2) + "\n"


def _wheel_files(directory: Path) -> list[tuple[str, str, int]]:
    return [
        (path.name, sha256_of(path), path.stat().st_size)
        for path in sorted(directory.glob("*.whl"))
    ]


def fetch(directory: Path) -> None:
    """Download the pinned wheels unless every one is already there with its hash (fast path)."""
    pins = load_pins()
    directory.mkdir(parents=True, exist_ok=True)
    pinned = {pin.sha256 for pin in pins}
    present = _wheel_files(directory)
    for file, digest, _ in present:
        if not file.startswith(APP_PREFIX) and digest not in pinned:
            # A wheel from an older pin: drop it so the manifest never lists two versions.
            (directory / file).unlink()
            print(f"removed stale {file}")
    if pinned <= {digest for _, digest, _ in present}:
        print(f"pyodide wheels: all {len(pins)} pinned wheels present in {directory}")
        return
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--progress-bar=off",
        "--require-hashes", "--no-deps", "--only-binary=:all:",
        "--python-version", PYTHON_VERSION, "--implementation", "cp",
        "--platform", PLATFORM,
        "--dest", str(directory),
    ]  # fmt: skip
    for path in REQUIREMENTS.values():
        command += ["-r", str(path)]
    subprocess.run(command, check=True)
    classify([f for f in _wheel_files(directory) if not f[0].startswith(APP_PREFIX)], pins)


def write_manifest(directory: Path, manifest: Path) -> None:
    package = json.loads((PYODIDE_DIR / "package.json").read_text(encoding="utf-8"))
    wheels = classify(_wheel_files(directory), load_pins())
    if not any(wheel.group == "app" for wheel in wheels):
        raise WheelError(f"no story_gen_* wheel in {directory}; run `make wheels`")
    manifest.write_text(manifest_json(wheels, package["dependencies"]["pyodide"]), "utf-8")
    for wheel in wheels:
        print(f"{wheel.group:8} {wheel.size:>9} {wheel.file}")
    print(f"wrote {manifest.relative_to(REPO)} ({len(wheels)} wheels)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=["fetch", "manifest"])
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch":
            fetch(WHEEL_DIR)
        else:
            write_manifest(WHEEL_DIR, MANIFEST)
    except WheelError as error:
        print(f"pyodide/wheels.py {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
