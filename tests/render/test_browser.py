"""The HTML page in a real headless Chromium: the chart and the tables render.

A probe page (not the rendered page, whose Content-Security-Policy forbids
scripts) loads the rendered page in a frame and measures it after layout: the
SVG is in the SVG namespace with a real size, every student dot has a box,
every table row has a height. A screenshot is taken too. Skipped, with the
reason, only when no Chromium is installed (.ci/run installs Debian's).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from render_helpers import STATEMENTS, browser_flags, find_browser, statement_files

from dls.render import render_file

BROWSER = find_browser()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        BROWSER is None,
        reason="no Chromium on PATH (install it: apt-get install -y chromium)",
    ),
]

PROBE = """<!DOCTYPE html><html><body><pre id="out">pending</pre>
<iframe id="f" src="page.html" style="width:1200px;height:4000px"></iframe>
<script>
document.getElementById('f').addEventListener('load', () => {
  const d = document.getElementById('f').contentDocument;
  const r = {};
  try {
    const svg = d.querySelector('svg.dls-chart');
    r.svgNamespace = svg.namespaceURI;
    const box = svg.getBoundingClientRect();
    r.svgWidth = box.width;
    r.svgHeight = box.height;
    r.findingRows = d.querySelectorAll('svg g.finding').length;
    r.drawnStudentDots = [...d.querySelectorAll('svg g.finding circle.student')]
      .filter(c => c.getBBox().width > 0).length;
    r.drawnTeacherMarks = [...d.querySelectorAll('svg g.finding path.teacher')]
      .filter(c => c.getBBox().width > 0).length;
    r.lostRowFill = [...d.querySelectorAll('svg rect.row.lost')]
      .map(e => getComputedStyle(e).fill).slice(1);
    r.tables = d.querySelectorAll('table').length;
    r.rows = d.querySelectorAll('tr').length;
    r.rowsWithHeight = [...d.querySelectorAll('tr')]
      .filter(t => t.getBoundingClientRect().height > 0).length;
    r.headings = [...d.querySelectorAll('h3')].map(h => h.textContent);
    r.scripts = d.querySelectorAll('script').length;
  } catch (e) { r.error = String(e); }
  document.getElementById('out').textContent = JSON.stringify(r);
});
</script></body></html>
"""


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [BROWSER, *browser_flags(tmp_path / "profile"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _measure(tmp_path: Path, statement: Path) -> tuple[dict[str, object], int]:
    out = render_file(statement, "html")
    (tmp_path / "page.html").write_text(out.text, encoding="utf-8")
    (tmp_path / "probe.html").write_text(PROBE, encoding="utf-8")
    run = _chromium(
        tmp_path,
        "--allow-file-access-from-files",
        "--virtual-time-budget=10000",
        "--dump-dom",
        (tmp_path / "probe.html").as_uri(),
    )
    found = re.search(r'<pre id="out">([^<]*)</pre>', run.stdout)
    assert found, run.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&")), len(
        out.report.verdicts
    )


@pytest.mark.parametrize("statement", statement_files(), ids=lambda p: p.name)
def test_chromium_lays_out_the_chart_and_every_table(tmp_path: Path, statement: Path) -> None:
    result, _ = _measure(tmp_path, statement)
    assert "error" not in result, result
    assert result["svgNamespace"] == "http://www.w3.org/2000/svg"
    assert float(result["svgWidth"]) > 300 and float(result["svgHeight"]) > 60  # type: ignore[arg-type]
    assert result["drawnStudentDots"] == result["findingRows"] == result["drawnTeacherMarks"]
    assert int(result["findingRows"]) > 0  # type: ignore[call-overload]
    assert int(result["tables"]) >= 4  # type: ignore[call-overload]
    assert result["rowsWithHeight"] == result["rows"]
    assert result["scripts"] == 0
    assert "Not assessed" in result["headings"]  # type: ignore[operator]


def test_chromium_highlights_lost_rows_in_red(tmp_path: Path) -> None:
    result, _ = _measure(tmp_path, STATEMENTS / "chat-assistant.dls.yaml")
    assert result["lostRowFill"] == ["rgb(255, 235, 233)", "rgb(255, 235, 233)"]


def test_chromium_takes_a_screenshot_of_the_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        render_file(STATEMENTS / "chat-assistant.dls.yaml", "html").text, encoding="utf-8"
    )
    shot = tmp_path / "page.png"
    run = _chromium(tmp_path, "--window-size=1100,1600", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file(), run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1100, 1600)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes


def test_chromium_prints_the_page_to_pdf(tmp_path: Path) -> None:
    """The print path works end to end (print styles: tables and the chart kept whole)."""
    page = tmp_path / "page.html"
    page.write_text(
        render_file(STATEMENTS / "chat-assistant.dls.yaml", "html").text, encoding="utf-8"
    )
    pdf = tmp_path / "page.pdf"
    run = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file(), run.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2
