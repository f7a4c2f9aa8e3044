"""The documentation site: generated pages current, strict build, every name present, snippets run.

Snippets in ``docs/*.md`` are executed, page by page, in a fresh folder that
holds a copy of ``examples/`` (also as ``statements/``, the name the guides
use). Fences run by language: ``sh``/``bash``/``shell`` as one script,
``console`` line by line (``$ `` lines are commands, the rest is sample
output), ``python``/``py`` with this interpreter. An HTML comment right before
a fence changes that:

- ``<!-- docs-test: skip (why) -->`` does not run it (it installs, or needs
  the network or a repository);
- ``<!-- docs-test: exit N -->`` expects exit status N instead of 0;
- ``<!-- docs-test: file PATH -->`` writes the block's text to PATH first.

Python snippets must also pass ruff, JSON snippets parse, YAML snippets load
with dls's strict loader (dls documents without even a warning).
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from markdown_it import MarkdownIt

from dls import codes, load_text, registry, scenarios

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SHELLS = {"sh", "bash", "shell"}
PYTHONS = {"python", "py"}
MARKER = re.compile(r"<!--\s*docs-test:\s*(?P<verb>skip|exit|file)\b\s*(?P<arg>[^>]*?)\s*-->")


def _gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_gen", DOCS / "_gen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Snippet:
    page: str
    line: int
    lang: str
    text: str
    verb: str | None
    arg: str

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def snippets(page: Path) -> list[Snippet]:
    """Fenced blocks of a page, with the docs-test marker right before each."""
    tokens = MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8"))
    out = []
    for i, tok in enumerate(tokens):
        if tok.type != "fence" or tok.map is None:
            continue
        lang = tok.info.split()[0].lower() if tok.info.strip() else ""
        prev = tokens[i - 1] if i else None
        found = (
            MARKER.search(prev.content) if prev is not None and prev.type == "html_block" else None
        )
        verb, arg = (found["verb"], found["arg"]) if found else (None, "")
        rel = page.relative_to(DOCS).as_posix()
        out.append(Snippet(rel, tok.map[0] + 1, lang, tok.content, verb, arg))
    return out


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "reference" not in p.relative_to(DOCS).parts)


def _runnable(page: Path) -> list[Snippet]:
    return [
        s
        for s in snippets(page)
        if s.verb == "file" or (s.verb != "skip" and s.lang in SHELLS | PYTHONS | {"console"})
    ]


PAGES = [p for p in _pages() if _runnable(p)]


def console_commands(text: str) -> list[str]:
    """The commands of a console transcript: ``$ `` lines, with ``\\`` continuations."""
    commands: list[str] = []
    continued = False
    for line in text.splitlines():
        if continued:
            commands[-1] += "\n" + line
        elif line.startswith("$ "):
            commands.append(line[2:])
        else:
            continue
        continued = line.rstrip().endswith("\\")
    return commands


def _run(snippet: Snippet, cwd: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("GITHUB_ACTIONS", None)
    expected = int(snippet.arg) if snippet.verb == "exit" else 0
    if snippet.lang in PYTHONS:
        runs = [[sys.executable, "-c", snippet.text]]
    elif snippet.lang == "console":
        runs = [["bash", "-o", "pipefail", "-c", c] for c in console_commands(snippet.text)]
    else:
        runs = [["bash", "-e", "-o", "pipefail", "-c", snippet.text]]
    for argv in runs:
        proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == expected, (
            f"{snippet.id}: {argv[-1]!r} exited {proc.returncode}, expected {expected}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_the_snippets_of_a_page_run(page: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    if (ROOT / "examples").is_dir():
        shutil.copytree(ROOT / "examples", work / "examples")
        shutil.copytree(ROOT / "examples", work / "statements")
    ran = 0
    for snippet in _runnable(page):
        if snippet.verb == "file":
            target = work / snippet.arg
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(snippet.text, encoding="utf-8")
            continue
        _run(snippet, work)
        ran += 1
    assert ran > 0 or any(s.verb == "file" for s in _runnable(page))


def _blocks(*langs: str) -> list[Snippet]:
    return [s for page in _pages() for s in snippets(page) if s.lang in langs]


def test_python_snippets_are_lint_clean() -> None:
    """Readers copy these: they follow the project's ruff rules."""
    for snippet in _blocks(*PYTHONS):
        proc = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--stdin-filename", "snippet.py", "-"],
            input=snippet.text,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, f"{snippet.id}:\n{proc.stdout}{proc.stderr}"


def test_console_transcripts_keep_continued_commands_whole() -> None:
    text = "$ dls measure --a 1 \\\n      --b 2\noutput line\n$ dls verify x\n"
    assert console_commands(text) == ["dls measure --a 1 \\\n      --b 2", "dls verify x"]


def test_json_snippets_parse() -> None:
    """A json block holds one JSON document, or JSON Lines (one document per line)."""
    for snippet in _blocks("json", "jsonl"):
        try:
            json.loads(snippet.text)
        except json.JSONDecodeError:
            for n, line in enumerate(snippet.text.splitlines(), 1):
                if line.strip():
                    try:
                        json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise AssertionError(f"{snippet.id} (+{n}): {exc}") from None


def test_yaml_snippets_load_with_the_strict_loader() -> None:
    """No duplicate keys or other errors in what readers copy; no YAML 1.1 traps in statements.

    (A GitHub workflow's ``on:`` key is a YAML 1.1 boolean trap GitHub itself relies on, so
    the warnings are checked only for dls documents.)
    """
    for snippet in _blocks("yaml", "yml"):
        doc = load_text(snippet.text, name=snippet.id)
        assert doc.ok, [(snippet.id, f.line, f.code, f.message) for f in doc.findings]
        if "format: dls-" in snippet.text:
            assert [f.code for f in doc.findings] == [], snippet.id


def test_the_quickstart_runs_init_validate_and_the_python_api() -> None:
    """The five-minute path is really exercised, not skipped."""
    langs = [(s.lang, s.verb, s.text.split()[:2]) for s in snippets(DOCS / "quickstart.md")]
    assert ("sh", None, ["dls", "init"]) in langs
    assert ("sh", "exit", ["dls", "validate"]) in langs
    assert ("sh", None, ["dls", "validate"]) in langs
    assert ("sh", None, ["dls", "render"]) in langs
    assert any(lang == "python" and verb is None for lang, verb, _ in langs)


def test_markers_are_spelled_right() -> None:
    """A misspelt marker would silently run or skip a block."""
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        for comment in re.findall(r"<!--\s*docs-test[^>]*-->", text):
            assert MARKER.fullmatch(comment), f"{page.name}: bad marker {comment}"
            found = MARKER.fullmatch(comment)
            assert found is not None
            if found["verb"] == "exit":
                assert found["arg"].isdigit(), comment


def test_the_generated_reference_pages_are_current() -> None:
    """Run `python docs/_gen.py` after changing codes, the registry, schemas or commands."""
    assert _gen().stale() == []


def test_every_page_in_docs_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def files(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [f for v in node.values() for f in files(v)]
        if isinstance(node, list):
            return [f for v in node for f in files(v)]
        return []

    in_nav = set(files(config["nav"]))
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert on_disk - in_nav == set(), "add these pages to the nav in mkdocs.yml"
    assert in_nav - on_disk == set(), "these nav entries have no page"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The site built with `mkdocs build --strict`, as the text of all its pages."""
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 8
    return html.unescape("\n".join(p.read_text(encoding="utf-8") for p in pages))


def test_every_rule_code_is_in_the_site(site: str) -> None:
    missing = [code for code in codes.CATALOG if code not in site]
    assert missing == []


def test_every_metric_and_category_is_in_the_site(site: str) -> None:
    reg = registry.load()
    missing = [m for m in [*reg.metrics, *reg.categories] if m not in site]
    assert missing == []


def test_every_built_in_scenario_is_in_the_site(site: str) -> None:
    ids = scenarios.builtin_ids(include_abstract=False)
    assert len(ids) >= 8
    assert [s for s in ids if s not in site] == []


def test_every_command_is_in_the_site(site: str) -> None:
    from dls.cli import main

    names = main.list_commands(None)  # type: ignore[arg-type]
    assert "init" in names
    assert [n for n in names if f"dls {n}" not in site] == []
