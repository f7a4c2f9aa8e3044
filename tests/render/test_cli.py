"""`dls render` end to end, through the real command line (subprocess)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from render_helpers import STATEMENTS

from dls.render import BEGIN, END

CHAT = STATEMENTS / "chat-assistant.dls.yaml"
INVALID = STATEMENTS.parent / "invalid" / "claims-preserved.dls.yaml"
CARD = STATEMENTS.parent / "cards" / "third-party-crlf.md"


def dls(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dls", *map(str, args)], capture_output=True, cwd=cwd, check=False
    )


def test_markdown_goes_to_standard_output_by_default() -> None:
    run = dls("render", CHAT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().startswith("## Distillation Loss Statement: Acme Chat 1B")


def test_every_format_renders_from_the_command_line() -> None:
    starts = {"markdown": b"## Distillation", "html": b"<!DOCTYPE html>", "hf": b"---\nlicense:"}
    for fmt, start in starts.items():
        run = dls("render", CHAT, "--format", fmt)
        assert run.returncode == 0, run.stderr
        assert run.stdout.startswith(start)


def test_output_file_is_written_and_never_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "card.html"
    assert dls("render", CHAT, "--format", "html", "-o", out).returncode == 0
    first = out.read_bytes()
    assert first.startswith(b"<!DOCTYPE html>")
    out.write_bytes(b"precious")
    again = dls("render", CHAT, "-o", out)
    assert again.returncode == 2
    assert b"exists; pass --force" in again.stderr
    assert out.read_bytes() == b"precious"
    forced = dls("render", CHAT, "-o", out, "--force")
    assert forced.returncode == 0
    assert out.read_bytes().startswith(b"## Distillation")


def test_an_invalid_statement_is_refused_with_its_findings_on_stderr() -> None:
    run = dls("render", INVALID)
    assert run.returncode == 1
    assert run.stdout == b""
    err = run.stderr.decode()
    assert "DLS-" in err
    assert "not rendered" in err and "--allow-invalid" in err


def test_allow_invalid_renders_with_a_visible_banner() -> None:
    run = dls("render", INVALID, "--allow-invalid")
    assert run.returncode == 0
    assert run.stdout.startswith(b"> **Warning: this statement did not validate.**")
    assert b"does not validate" in run.stderr


def test_into_updates_a_card_in_place_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(CARD.read_bytes())
    first = dls("render", CHAT, "--into", card)
    assert first.returncode == 0, first.stderr
    assert b"updated" in first.stderr
    data = card.read_bytes()
    assert data.startswith(CARD.read_bytes())
    assert BEGIN.encode() in data and END.encode() in data
    second = dls("render", CHAT, "--into", card)
    assert second.returncode == 0
    assert b"unchanged" in second.stderr
    assert card.read_bytes() == data


def test_into_with_malformed_markers_exits_2_and_keeps_the_card(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(f"# C\n{BEGIN}\n".encode())
    run = dls("render", CHAT, "--into", card)
    assert run.returncode == 2
    assert b"dls:begin marker without a dls:end marker" in run.stderr
    assert card.read_bytes() == f"# C\n{BEGIN}\n".encode()


def test_into_only_takes_markdown(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_bytes(b"# C\n")
    run = dls("render", CHAT, "--into", card, "--format", "html")
    assert run.returncode == 2
    assert b"--format markdown" in run.stderr
    assert card.read_bytes() == b"# C\n"


def test_a_template_with_an_undefined_name_exits_2_with_its_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md.j2"
    bad.write_text("{{ not_assessed_section }}\n{{ nope }}\n", encoding="utf-8")
    run = dls("render", CHAT, "--template", bad)
    assert run.returncode == 2
    assert b"bad.md.j2:2" in run.stderr and b"'nope' is undefined" in run.stderr
    assert run.stdout == b""


def test_a_missing_statement_exits_2() -> None:
    run = dls("render", "does-not-exist.dls.yaml")
    assert run.returncode == 2
    assert b"Traceback" not in run.stderr


def test_a_file_that_does_not_parse_is_refused_even_with_allow_invalid(tmp_path: Path) -> None:
    bad = tmp_path / "broken.dls.yaml"
    bad.write_text("format: dls-statement/v1\ntitle: [unclosed\n", encoding="utf-8")
    run = dls("render", bad, "--allow-invalid")
    assert run.returncode == 1
    assert b"DLS-P001" in run.stderr
    assert run.stdout == b""


def test_a_scenario_file_is_not_rendered_as_a_statement() -> None:
    scenario = (
        Path(__file__).resolve().parents[2]
        / "scenarios"
        / "compressed-classifier.dls-scenario.yaml"
    )
    run = dls("render", scenario)
    assert run.returncode == 2
    assert b"is a scenario file, not a statement" in run.stderr


def test_warnings_of_a_valid_statement_are_shown_on_stderr_and_it_still_renders() -> None:
    run = dls("render", STATEMENTS / "hostile.dls.yaml")
    assert run.returncode == 0
    assert b"DLS-R016 warning: text contains a bidirectional control (U+202E)" in run.stderr
    assert b"{U+202E}" in run.stdout
