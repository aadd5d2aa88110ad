"""The studio's runtime files as shipped (web/scripts/compile_wheels.py, trim_stdlib.py).

The build runs both inside Pyodide (Python 3.14: Zstandard entries, 3.14 syntax); here their
policies are checked on CPython with deflate. The build itself checks the real files: a static
import check over the trimmed standard library and a boot of the shipped wheels, and the e2e
suite runs the studio on them.
"""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "web" / "scripts"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compile_wheels = load("compile_wheels")
trim_stdlib = load("trim_stdlib")


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in files.items():
            out.writestr(name, text)
    return path


WHEEL = {
    "pkg/__init__.py": "from pkg.used import VALUE\n",
    "pkg/used.py": "VALUE = 1\n",
    "pkg/unused.py": "OTHER = 2\n",
    "pkg/v1/__init__.py": "OLD = 1\n",
    "pkg-1.0.dist-info/METADATA": "Name: pkg\n",
    "pkg-1.0.dist-info/RECORD": "",
}
BOOT = ["pkg/__init__.py", "pkg/used.py"]


def test_third_party_modules_ship_in_one_form(tmp_path: Path) -> None:
    source = make_zip(tmp_path / "pkg-1.0-py3-none-any.whl", WHEEL)
    target = tmp_path / "out.whl"
    assert compile_wheels.compile_wheel(source, target, BOOT, keep_sources=False) == 2
    names = zipfile.ZipFile(target).namelist()
    # Imported at boot: bytecode where the source was (importable without it); else the source.
    assert "pkg/__init__.pyc" in names
    assert "pkg/__init__.py" not in names
    assert "pkg/used.pyc" in names
    assert "pkg/used.py" not in names
    assert "pkg/unused.py" in names
    assert not any(
        n.startswith("pkg/unused") and n.endswith(".pyc") for n in names
    )
    assert names[-1] == "pkg-1.0.dist-info/RECORD"


def test_our_wheels_keep_their_sources_beside_the_bytecode(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "pkg-1.0-py3-none-any.whl", {k: v for k, v in WHEEL.items() if "/v1/" not in k}
    )
    target = tmp_path / "out.whl"
    compile_wheels.compile_wheel(source, target, BOOT, keep_sources=True)
    names = zipfile.ZipFile(target).namelist()
    tag = compile_wheels.sys.implementation.cache_tag
    assert "pkg/used.py" in names
    assert f"pkg/__pycache__/used.{tag}.pyc" in names


def test_record_lists_exactly_the_shipped_files(tmp_path: Path) -> None:
    source = make_zip(tmp_path / "pkg-1.0-py3-none-any.whl", WHEEL)
    target = tmp_path / "out.whl"
    compile_wheels.compile_wheel(source, target, BOOT, keep_sources=False)
    wheel = zipfile.ZipFile(target)
    record = wheel.read("pkg-1.0.dist-info/RECORD").decode().splitlines()
    assert sorted(line.split(",")[0] for line in record) == sorted(wheel.namelist())


def test_pydantics_v1_copy_is_left_out(tmp_path: Path) -> None:
    files = {k.replace("pkg/v1/", "pydantic/v1/"): v for k, v in WHEEL.items()}
    source = make_zip(tmp_path / "pkg-1.0-py3-none-any.whl", files)
    target = tmp_path / "out.whl"
    compile_wheels.compile_wheel(source, target, BOOT, keep_sources=False)
    assert not [n for n in zipfile.ZipFile(target).namelist() if n.startswith("pydantic/v1/")]


def test_the_output_is_deterministic(tmp_path: Path) -> None:
    source = make_zip(tmp_path / "pkg-1.0-py3-none-any.whl", WHEEL)
    one, two = tmp_path / "one.whl", tmp_path / "two.whl"
    compile_wheels.compile_wheel(source, one, BOOT, keep_sources=False)
    compile_wheels.compile_wheel(source, two, BOOT, keep_sources=False)
    assert one.read_bytes() == two.read_bytes()


STDLIB = {
    "json/__init__.py": "import re\n",
    "re/__init__.py": "",
    "pdb.py": "import bdb\n",
    "bdb.py": "",
    "heapq.py": 'if __name__ == "__main__":\n    import doctest\n',
    "doctest.py": "import unittest\n",
    "unittest/__init__.py": "",
    "encodings/__init__.py": "",
    "encodings/cp437.py": "import codecs\ndecoding_table = 'x'\nencoding_table = codecs.charmap_build(decoding_table)\n",
    "encodings/cp1251.py": "import codecs\ndecoding_table = 'x'\nencoding_table = codecs.charmap_build(decoding_table)\n",
    "encodings/utf_8.py": "import codecs\n",
}


def fake_stdlib(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    files = {**STDLIB, **(extra or {})}
    with_all = {name: files.get(name, "") for name in files}
    # Every DROPPED name must exist in the zip (a stale list fails the build by name).
    for name in trim_stdlib.DROPPED:
        path = name.replace(".", "/") + ".py"
        with_all.setdefault(path, "")
    return make_zip(tmp_path / "stdlib.zip", with_all)


def test_the_trim_drops_what_a_worker_never_runs_and_keeps_the_rest(tmp_path: Path) -> None:
    target = tmp_path / "out.zip"
    kept, dropped = trim_stdlib.trim(str(fake_stdlib(tmp_path)), str(target))
    names = set(zipfile.ZipFile(target).namelist())
    assert {
        "json/__init__.py",
        "re/__init__.py",
        "heapq.py",
        "encodings/cp437.py",
        "encodings/utf_8.py",
    } <= names
    assert not names & {
        "pdb.py",
        "bdb.py",
        "doctest.py",
        "unittest/__init__.py",
        "encodings/cp1251.py",
    }
    assert kept > 0
    assert dropped > 0


def test_a_kept_module_importing_a_dropped_one_fails_the_trim_by_name(tmp_path: Path) -> None:
    stdlib = fake_stdlib(
        tmp_path,
        {"json/__init__.py": "import re\ntry:\n    import pdb\nexcept ImportError:\n    pass\n"},
    )
    with pytest.raises(SystemExit, match=r"json/__init__.py imports pdb"):
        trim_stdlib.trim(str(stdlib), str(tmp_path / "out.zip"))


def test_imports_inside_functions_and_main_guards_do_not_count(tmp_path: Path) -> None:
    lazy = "def debug():\n    import pdb\n\nclass C:\n    def m(self):\n        from unittest import mock\n"
    stdlib = fake_stdlib(
        tmp_path, {"json/__init__.py": lazy, "json/__main__.py": "import argparse\n"}
    )
    trim_stdlib.trim(str(stdlib), str(tmp_path / "out.zip"))


def test_a_dropped_name_missing_from_the_stdlib_fails_the_trim(tmp_path: Path) -> None:
    stdlib = make_zip(tmp_path / "stdlib.zip", STDLIB)
    with pytest.raises(SystemExit, match="not in this standard library"):
        trim_stdlib.trim(str(stdlib), str(tmp_path / "out.zip"))
