"""Every ADR the tree cites exists, under the name it is cited by.

Code and docs point readers at ADRs for the why of a decision ("ADR 0071",
``docs/adr/0060-published-site.md``); a citation of a record that was never written, or whose
file was renamed, sends the reader nowhere.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ADR_DIR = REPO / "docs" / "adr"
BY_NUMBER = re.compile(r"\bADR[ -]?(\d{4})\b")
BY_PATH = re.compile(r"docs/adr/(\d{4}[a-z0-9-]*\.md)")
TEXT_SUFFIXES = {".py", ".md", ".ts", ".tsx", ".mts", ".mjs", ".js", ".yml", ".yaml", ".toml", ""}


def cited_in(text: str) -> tuple[set[str], set[str]]:
    return set(BY_NUMBER.findall(text)), set(BY_PATH.findall(text))


def tracked_texts() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode()
    paths = [REPO / name for name in out.split("\0") if name]
    return [
        p
        for p in paths
        if p.suffix in TEXT_SUFFIXES
        and p.is_file()
        and p != Path(__file__).resolve()
        and not p.is_relative_to(REPO / "ops" / "schemas")
    ]


def test_the_citation_patterns_find_both_forms() -> None:
    numbers, files = cited_in("see ADR 0071 and ADR-0060, docs/adr/0003-patch-format.md")
    assert numbers == {"0071", "0060"}
    assert files == {"0003-patch-format.md"}


def test_every_cited_adr_exists() -> None:
    records = {p.name for p in ADR_DIR.glob("*.md")}
    numbers_written = {name[:4] for name in records}
    missing = []
    for path in tracked_texts():
        text = path.read_text(encoding="utf-8", errors="replace")
        numbers, files = cited_in(text)
        where = path.relative_to(REPO)
        missing += [f"{where}: ADR {n}" for n in sorted(numbers - numbers_written)]
        missing += [f"{where}: docs/adr/{f}" for f in sorted(files - records)]
    assert not missing, "cited ADRs that do not exist:\n" + "\n".join(missing)
