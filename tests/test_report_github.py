"""GitHub workflow commands: escaping, injection safety, annotation caps and the job summary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dls.findings import FileReport, Finding, Report, Severity, Span
from dls.report import github
from dls.report._paths import relative_posix

# -- an independent model of the runner's command parser (actions/runner ActionCommand.TryParseV2)


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def runner_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """The commands a runner would execute for ``output``, honouring ::stop-commands::."""
    commands: list[tuple[str, dict[str, str], str]] = []
    stopped: str | None = None
    for raw in output.split("\n"):
        line = raw.lstrip()
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        if not line.startswith("::"):
            continue
        end = line.find("::", 2)
        if end < 0:
            continue
        info, data = line[2:end], line[end + 2 :]
        name, _, props_text = info.partition(" ")
        props: dict[str, str] = {}
        for pair in filter(None, props_text.split(",")):
            key, _, value = pair.partition("=")
            props[key] = _unescape_property(value)
        if name == "stop-commands":
            stopped = data
        commands.append((name, props, _unescape_data(data)))
    return commands


def annotations(output: str) -> list[tuple[str, dict[str, str], str]]:
    return [c for c in runner_commands(output) if c[0] in {"error", "warning", "notice"}]


# -- escaping ----------------------------------------------------------------------------------


def test_message_escaping_matches_the_toolkit():
    """Messages escape %, CR and LF, in that order, and nothing else."""
    assert github.escape_data("100% a:b,c\r\nnext") == "100%25 a:b,c%0D%0Anext"


def test_property_escaping_also_covers_colon_and_comma():
    """Property values additionally escape ':' and ','."""
    assert github.escape_property("a,b:c%d\n") == "a%2Cb%3Ac%25d%0A"


def test_hostile_path_and_message_round_trip_through_the_runner_parser():
    """Newlines, %, ::, commas and colons in paths and messages come out exactly as written."""
    path = "odd dir/a,b:c%d::e.dls.yaml"
    message = "first line\n::error::pwned\r\n100% sure, really: yes"
    report = Report(
        [FileReport(path, [Finding("DLS-S006", Severity.ERROR, message, span=Span(3, 5, 3, 9))])]
    )
    output = github.render(report, token="t0ken")
    anns = annotations(output)
    assert len(anns) == 1
    name, props, data = anns[0]
    assert name == "error"
    assert props == {
        "file": path,
        "line": "3",
        "col": "5",
        "endLine": "3",
        "endColumn": "9",
        "title": "DLS-S006 wrong-type",
    }
    assert data == message


def test_justification_starting_with_double_colon_never_becomes_a_command():
    """User text starting with '::' (or hiding one after a newline) runs no command anywhere."""
    evil = "::add-mask::secret\n::set-env name=PATH::/tmp/evil\n  ::error::fake"
    report = Report(
        [
            FileReport(
                "s.dls.yaml",
                [Finding("DLS-T024", Severity.INFO, evil, hint="::stop-commands::x")],
            )
        ]
    )
    output = github.render(report)
    names = [name for name, _, _ in runner_commands(output)]
    assert names == ["notice", "group", "stop-commands", "endgroup"]
    (_, _, data) = annotations(output)[0]
    assert data.startswith(evil)


def test_every_output_line_is_a_known_command_or_inside_stopped_commands():
    """Outside the stop-commands block, every line is one of our own commands."""
    report = Report([FileReport("s.dls.yaml", [Finding("DLS-S006", Severity.ERROR, "a\nb\nc")])])
    output = github.render(report, token="tok")
    inside = False
    for line in output.splitlines():
        if line == "::stop-commands::tok":
            inside = True
            continue
        if line == "::tok::":
            inside = False
            continue
        if not inside:
            assert re.match(r"::(error|warning|notice|group|endgroup)[ :]", line), line


def test_stop_token_is_fresh_for_every_run():
    """Without an explicit token each render picks a new random one."""
    report = Report([FileReport("s.dls.yaml", [])])
    tokens = {
        next(d for n, _, d in runner_commands(github.render(report)) if n == "stop-commands")
        for _ in range(3)
    }
    assert len(tokens) == 3


def test_full_report_lists_every_finding_even_beyond_the_caps():
    """The log keeps all findings, one text line each, when annotations are capped."""
    findings = [
        Finding("DLS-S006", Severity.ERROR, f"e{i}", span=Span(i + 1, 1)) for i in range(25)
    ]
    output = github.render(Report([FileReport("s.dls.yaml", findings)]), token="tok")
    body = output.split("::stop-commands::tok\n", 1)[1].split("::tok::", 1)[0]
    assert len([ln for ln in body.splitlines() if "[DLS-S006]" in ln]) == 25
    assert "s.dls.yaml:25:1: error [DLS-S006] e24" in body


# -- caps --------------------------------------------------------------------------------------


def test_annotations_are_sorted_by_severity_and_capped_per_step_with_a_final_notice():
    """25 errors, 15 warnings, 3 notes -> 10 + 10 + 3 annotations and one 'N more' notice."""
    findings = [
        Finding("DLS-S006", Severity.ERROR, f"e{i}", span=Span(i + 1, 1)) for i in range(25)
    ]
    findings += [
        Finding("DLS-R005", Severity.WARNING, f"w{i}", span=Span(i + 1, 2)) for i in range(15)
    ]
    findings += [Finding("DLS-T024", Severity.INFO, f"n{i}", span=Span(i + 1, 3)) for i in range(3)]
    anns = annotations(github.render(Report([FileReport("s.dls.yaml", findings[::-1])])))
    kinds = [name for name, _, _ in anns]
    assert kinds == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 4
    assert [d for _, _, d in anns[:3]] == ["e0", "e1", "e2"]
    assert anns[-1][2].startswith("20 more findings — see the log and the job summary")


def test_notice_cap_keeps_a_slot_for_the_overflow_notice():
    """With 12 notes, 9 are shown and the tenth notice counts the 3 left out."""
    findings = [Finding("DLS-T024", Severity.INFO, f"n{i}", span=Span(i + 1, 1)) for i in range(12)]
    anns = annotations(github.render(Report([FileReport("s.dls.yaml", findings)])))
    assert [n for n, _, _ in anns] == ["notice"] * 10
    assert anns[-1][2].startswith("3 more findings")


def test_no_overflow_notice_when_everything_fits():
    """Ten errors fit the cap exactly: no 'more findings' notice."""
    findings = [
        Finding("DLS-S006", Severity.ERROR, f"e{i}", span=Span(i + 1, 1)) for i in range(10)
    ]
    anns = annotations(github.render(Report([FileReport("s.dls.yaml", findings)])))
    assert [n for n, _, _ in anns] == ["error"] * 10


def test_unreadable_file_becomes_an_error_annotation_on_that_file():
    """A file that could not be checked is an error annotation naming the file."""
    anns = annotations(github.render(Report([FileReport("gone.dls.yaml", exception="not found")])))
    assert anns == [
        ("error", {"file": "gone.dls.yaml", "title": "dls could not check this file"}, "not found")
    ]


def test_multi_line_ranges_drop_the_end_column():
    """GitHub ignores columns on ranges spanning lines; only endLine is sent then."""
    report = Report(
        [
            FileReport(
                "s.dls.yaml", [Finding("DLS-S006", Severity.ERROR, "m", span=Span(2, 3, 5, 1))]
            )
        ]
    )
    (_, props, _) = annotations(github.render(report))[0]
    assert (props["line"], props["endLine"], "endColumn" in props) == ("2", "5", False)


# -- job summary -------------------------------------------------------------------------------


@dataclass
class Row:
    """Shaped like dls.verdicts rows: the summary reads them by attribute name."""

    category: str
    finding_id: str
    metric: str
    teacher: float
    student: float
    difference: float
    tolerance_text: str
    verdict: str
    accepted: bool = False
    blocking: bool = False
    interval: tuple[float, float] | None = None


def summary_report() -> Report:
    rows = [
        Row(
            "safety",
            "refusals",
            "refusal_rate",
            0.91,
            0.88,
            -0.03,
            "-0.02 abs",
            "lost",
            accepted=True,
        ),
        Row(
            "task_performance",
            "acc",
            "accuracy",
            0.812,
            0.805,
            -0.007,
            "-0.02 abs",
            "preserved",
            interval=(-0.015, 0.001),
        ),
        Row("privacy", "mia", "mia_auc", 0.5, 0.58, 0.08, "0.02 abs", "lost", blocking=True),
    ]
    ok = FileReport(
        "statements/chat.dls.yaml",
        [Finding("DLS-T024", Severity.INFO, "accepted loss: refusal_rate -0.03 | see *note*")],
        verdicts=rows,
    )
    bad = FileReport(
        "statements/bad.dls.yaml",
        [Finding("DLS-S006", Severity.ERROR, "expected number | got <script>", span=Span(4, 2))],
        verdicts=[{"category": "grounding", "metric": "faithfulness", "verdict": "inconclusive"}],
    )
    return Report([ok, bad])


def test_summary_tallies_files_errors_and_accepted_losses_apart():
    """The first line counts passes, errors, warnings and accepted losses separately."""
    text = github.step_summary(summary_report())
    assert "2 files, 1 passed, 1 error, 0 warnings, 1 accepted loss." in text


def test_summary_has_a_verdict_table_per_statement():
    """Each statement gets an 8-column verdict row per verdict, numbers formatted."""
    text = github.step_summary(summary_report())
    assert (
        "| Category | Finding | Metric | Teacher | Student | Difference | Tolerance | Verdict |"
        in text
    )
    assert (
        "| safety | refusals | refusal\\_rate | 0.91 | 0.88 | -0.03 | -0.02 abs "
        "| ☑️ lost (accepted) |" in text
    )
    assert "| -0.007 \\[-0.015, +0.001\\] |" in text
    assert "| ❌ lost (blocking) |" in text
    assert "| grounding | — | faithfulness | — | — | — | — | ⚠️ inconclusive |" in text


def test_summary_escapes_markdown_and_html_in_user_text():
    """A '|' cannot split a table cell and '<script>' stays text."""
    text = github.step_summary(summary_report())
    row = next(ln for ln in text.splitlines() if "DLS-S006" in ln)
    assert "<script>" not in text
    assert "&lt;script&gt;" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # 4 cells -> 5 unescaped pipes


def test_summary_marks_accepted_losses_in_the_findings_list():
    """Accepted losses are listed with their own label, not as plain info."""
    text = github.step_summary(summary_report())
    assert "| 1:1 | accepted loss | DLS-T024 |" in text


def test_summary_is_appended_to_the_step_summary_file(tmp_path: Path):
    """With GITHUB_STEP_SUMMARY set, the summary is appended after existing content."""
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n", encoding="utf-8")
    written = github.write_step_summary(
        summary_report(), environ={"GITHUB_STEP_SUMMARY": str(target)}
    )
    content = target.read_text(encoding="utf-8")
    assert written is True
    assert content.startswith("earlier step\n## dls validate")


def test_summary_is_not_written_without_the_variable():
    """Outside GitHub Actions nothing is written."""
    assert github.write_step_summary(summary_report(), environ={}) is False


def test_summary_stays_under_the_one_mebibyte_limit():
    """A huge report is truncated with a note instead of exceeding GitHub's limit."""
    findings = [
        Finding("DLS-S006", Severity.ERROR, "x" * 500, span=Span(i + 1, 1)) for i in range(3000)
    ]
    text = github.step_summary(Report([FileReport("s.dls.yaml", findings)]))
    assert len(text.encode("utf-8")) <= github.SUMMARY_LIMIT
    assert text.endswith("*Summary truncated: see the job log for the rest.*\n")


def test_real_reports_round_trip_through_the_runner_parser():
    """Every annotation of the invalid corpus parses back to its file and message."""
    import dls

    root = Path(__file__).resolve().parents[1]
    report = dls.validate_paths([str(root / "tests" / "cases" / "invalid")])
    anns = annotations(github.render(report, root=root, per_step=10_000))
    expected = sum(len(fr.findings) for fr in report.files)
    assert len(anns) == expected
    messages = {f.message for _, f in report.findings()}
    for _, props, data in anns:
        assert props["file"].startswith("tests/cases/invalid/")
        assert data.split("\nHint: ")[0].split("\n(at ")[0] in messages


def test_repository_root_is_the_workspace_then_the_git_folder(tmp_path):
    """GITHUB_WORKSPACE wins when the run is inside it; else the nearest .git folder; else start."""
    from dls.report._paths import repository_root

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a" / "b").mkdir(parents=True)
    start = repo / "a" / "b"
    assert repository_root(start, environ={}) == repo
    assert repository_root(start, environ={"GITHUB_WORKSPACE": str(repo / "a")}) == repo / "a"
    assert repository_root(start, environ={"GITHUB_WORKSPACE": str(tmp_path / "x")}) == repo
    assert repository_root(tmp_path, environ={}) == tmp_path


def test_summary_lists_files_needing_attention_first_and_folds_clean_ones():
    """The failing file comes before the passing one, which sits in a <details> block."""
    text = github.step_summary(summary_report())
    bad, ok = text.index("statements/bad.dls.yaml"), text.index("statements/chat.dls.yaml")
    assert bad < text.index("<details><summary>1 file passed</summary>") < ok
    assert text.rstrip().endswith("</details>")


def test_golden_workflow_commands_and_step_summary():
    """Annotations, full log and job summary of a fixed report match the reviewed golden files."""
    from _report_sample import check_golden, golden_report

    check_golden("sample.github.txt", github.render(golden_report(), token="GOLDENTOKEN"))
    check_golden("sample.summary.md", github.step_summary(golden_report()))


# -- property: escaping holds for any text -------------------------------------------------------


_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(list(":,%\r\n= ")), st.characters(codec="utf-8")),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(path=_TEXT, message=_TEXT, hint=st.none() | _TEXT)
def test_any_path_and_message_round_trip_and_run_no_other_command(path, message, hint):
    """Whatever a file name or message holds, the runner sees exactly one annotation with it."""
    report = Report([FileReport(path, [Finding("DLS-S006", Severity.ERROR, message, hint=hint)])])
    output = github.render(report, token="tok")
    names = [name for name, _, _ in runner_commands(output)]
    assert names == ["error", "group", "stop-commands", "endgroup"]
    (_, props, data) = annotations(output)[0]
    expected = message if hint is None else f"{message}\nHint: {hint}"
    assert data == expected
    assert props["file"] == relative_posix(path)


def test_a_token_found_in_the_log_is_never_used_to_stop_commands():
    """If user text holds '::TOKEN::', another token is chosen, so commands stay stopped."""
    message = "x\n::tok::\n::error::escaped the block"
    report = Report([FileReport("s.dls.yaml", [Finding("DLS-S006", Severity.ERROR, message)])])
    output = github.render(report, token="tok")
    names = [name for name, _, _ in runner_commands(output)]
    assert names == ["error", "group", "stop-commands", "endgroup"]
