"""publish/linkcheck.py finds each kind of broken reference, and nothing in a sound site."""

from __future__ import annotations

from pathlib import Path

from publish.linkcheck import Problem, check_site, main


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


SOUND = {
    "index.html": """<!doctype html><html><head>
        <link rel="stylesheet" href="assets/site.css"><link rel="icon" href="assets/icon.svg">
        <link rel="canonical" href="https://example.org/elsewhere/">
        <script src="assets/app.js"></script></head><body>
        <a href="docs/">docs</a> <a href="docs/page/#section">section</a> <a href="#top">top</a>
        <a id="top" href="https://example.org/">an outside link is fine</a>
        <a href="mailto:someone@example.org">mail</a> <a href="docs/index.html?q=1">query</a>
        <img srcset="assets/a.png 1x, assets/b.png 2x" src="assets/a.png" alt="">
        <a href="sp%20ace.html">encoded</a></body></html>""",
    "sp ace.html": "<p>space</p>",
    "assets/site.css": "",
    "assets/icon.svg": "<svg/>",
    "assets/app.js": "",
    "assets/a.png": "",
    "assets/b.png": "",
    "docs/index.html": '<a href="../index.html">home</a> <a href="page/">page</a>',
    "docs/page/index.html": '<h2 id="section">S</h2><a name="legacy"></a><a href="../../#top">up</a>',
}


def test_a_sound_site_has_no_problems(tmp_path: Path) -> None:
    assert check_site(write(tmp_path, SOUND)) == []


def test_each_kind_of_problem_is_reported_with_its_page(tmp_path: Path) -> None:
    broken = {
        **SOUND,
        "docs/bad.html": """
            <a href="missing.html">gone</a>
            <a href="page/#nowhere">no such anchor</a>
            <a href="/docs/page/">from the host's root</a>
            <a href="../../outside.html">out of the folder</a>
            <script src="https://cdn.example.net/lib.js"></script>
            <link rel="stylesheet" href="//fonts.example.net/font.css">
            <img src="img/missing.png" srcset="img/one.png 1x, img/two.png 2x" alt="">
            <a href="#here">own anchor, missing</a>""",
    }
    problems = check_site(write(tmp_path, broken))
    assert problems == sorted(
        [
            Problem("docs/bad.html", "missing", "missing.html"),
            Problem("docs/bad.html", "anchor", "page/#nowhere"),
            Problem("docs/bad.html", "root-absolute", "/docs/page/"),
            Problem("docs/bad.html", "escapes", "../../outside.html"),
            Problem("docs/bad.html", "external-resource", "https://cdn.example.net/lib.js"),
            Problem("docs/bad.html", "external-resource", "//fonts.example.net/font.css"),
            Problem("docs/bad.html", "missing", "img/missing.png"),
            Problem("docs/bad.html", "missing", "img/one.png"),
            Problem("docs/bad.html", "missing", "img/two.png"),
            Problem("docs/bad.html", "anchor", "#here"),
        ]
    )


def test_a_folder_without_an_index_is_missing(tmp_path: Path) -> None:
    site = write(tmp_path, {"index.html": '<a href="empty/">x</a>', "empty/other.html": ""})
    assert check_site(site) == [Problem("index.html", "missing", "empty/")]


def test_the_command_exits_non_zero_and_names_each_problem(tmp_path: Path, capsys: object) -> None:
    site = write(tmp_path, {"index.html": '<a href="gone.html">x</a>'})
    assert main([str(site)]) == 1
    assert main([str(write(tmp_path / "ok", {"index.html": "<p>fine</p>"}))]) == 0
