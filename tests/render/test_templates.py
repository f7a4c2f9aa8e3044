"""The Markdown card and custom templates: strict, complete, built on the built-ins."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from render_helpers import STATEMENTS

from dls.errors import DlsError, TemplateError
from dls.render import render, render_file
from dls.render.env import TEMPLATES

CHAT = STATEMENTS / "chat-assistant.dls.yaml"


def _chat_markdown(**kwargs: object) -> str:
    return render_file(CHAT, "markdown", **kwargs).text  # type: ignore[arg-type]


def test_the_card_has_every_section_in_order() -> None:
    md = _chat_markdown()
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    assert headings == [
        "### Models and recipe",
        "### Deployment scenario",
        "### Summary",
        "### Headline results",
        "### Results by category",
        "### Losses and why they are acceptable",
        "### Not assessed",
        "### Evidence",
        "### In the authors' words",
        "### Sign-off",
    ]


def test_the_card_shows_losses_with_why_each_is_acceptable() -> None:
    md = _chat_markdown()
    losses = md.split("### Losses and why they are acceptable")[1].split("### Not assessed")[0]
    assert "**`accuracy`** (`mmlu-accuracy`, task performance)" in losses
    assert "Verdict: **lost (accepted)**" in losses
    assert "Acceptable because: The student answers everyday questions" in losses
    assert 'Mitigation: A "try the larger model" button on every answer.' in losses


def test_the_card_lists_evidence_with_its_hash_and_the_findings_it_backs() -> None:
    md = _chat_markdown()
    sha = next(e["sha256"] for e in yaml.safe_load(CHAT.read_text(encoding="utf-8"))["evidence"])
    assert f"| `evidence/mmlu.records.jsonl` | `{sha}` | both | `mmlu-accuracy` |" in md


def test_the_footer_names_the_format_version_and_the_dls_version() -> None:
    import dls

    footer = "*Distillation Loss Statement, format `dls-statement/v1`, rendered by dls"
    assert _chat_markdown().endswith(f"{footer} {dls.__version__}.*\n")


def test_builtin_layouts_are_jinja2_templates_in_the_package() -> None:
    names = sorted(p.name for p in TEMPLATES.glob("*.j2"))
    assert names == ["card.md.j2", "chart.svg.j2", "not_assessed.md.j2", "page.html.j2"]


def test_a_copy_of_the_builtin_card_template_renders_the_same_card(tmp_path: Path) -> None:
    """Custom templates start from the built-in one: a verbatim copy changes nothing."""
    copy = tmp_path / "card.md.j2"
    copy.write_bytes((TEMPLATES / "card.md.j2").read_bytes())
    assert _chat_markdown(template=copy) == _chat_markdown()


def test_a_custom_template_can_extend_the_builtin_and_override_one_block(tmp_path: Path) -> None:
    custom = tmp_path / "org.md.j2"
    custom.write_text(
        '{% extends "card.md.j2" %}\n'
        "{% block sign_off %}\n### Approval\n\n"
        "Approved by {{ sign_off[0].name }}.\n{% endblock %}\n",
        encoding="utf-8",
    )
    md = _chat_markdown(template=custom)
    assert "### Approval\n\nApproved by Ada Example.\n" in md
    assert "### Sign-off" not in md
    assert "### Not assessed" in md


def test_a_custom_template_escapes_statement_text_too(tmp_path: Path) -> None:
    custom = tmp_path / "t.md.j2"
    custom.write_text("# {{ statement.title }}\n\n{{ not_assessed_section }}\n", encoding="utf-8")
    md = render_file(STATEMENTS / "hostile.dls.yaml", "markdown", template=custom).text
    assert md.startswith("# &lt;script&gt;alert('title')&lt;/script&gt; \\| pipes")


def test_an_undefined_name_in_a_template_is_an_error_naming_template_and_line(
    tmp_path: Path,
) -> None:
    custom = tmp_path / "typo.md.j2"
    custom.write_text(
        "# Card\n\n{{ not_assessed_section }}\n{{ statment.title }}\n", encoding="utf-8"
    )
    with pytest.raises(TemplateError) as err:
        _chat_markdown(template=custom)
    assert "'statment' is undefined" in str(err.value)
    assert "typo.md.j2:4" in str(err.value)


def test_an_undefined_attribute_is_an_error_not_an_empty_string(tmp_path: Path) -> None:
    custom = tmp_path / "attr.md.j2"
    custom.write_text("{{ not_assessed_section }}\n{{ student.nickname }}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="nickname"):
        _chat_markdown(template=custom)


def test_a_template_that_leaves_out_the_not_assessed_section_is_refused(tmp_path: Path) -> None:
    custom = tmp_path / "short.md.j2"
    custom.write_text("# {{ statement.title }}\n\nAll good.\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="leaves out the 'Not assessed' section"):
        _chat_markdown(template=custom)


def test_overriding_the_not_assessed_block_with_nothing_is_refused(tmp_path: Path) -> None:
    custom = tmp_path / "sneaky.md.j2"
    custom.write_text(
        '{% extends "card.md.j2" %}{% block not_assessed %}{% endblock %}', encoding="utf-8"
    )
    with pytest.raises(TemplateError, match="Not assessed"):
        _chat_markdown(template=custom)


@pytest.mark.parametrize(
    "source",
    ["{% if %}", "{{ not_assessed_section }}{{ 1 + 'a' }}", "{% include 'missing.j2' %}"],
)
def test_a_broken_template_is_a_clear_dls_error(tmp_path: Path, source: str) -> None:
    custom = tmp_path / "broken.md.j2"
    custom.write_text(source, encoding="utf-8")
    with pytest.raises(DlsError):
        _chat_markdown(template=custom)


def test_a_missing_template_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="template not found"):
        render({"title": "x"}, template=tmp_path / "nope.j2")


def test_an_invalid_statement_renders_with_a_banner_listing_its_problems() -> None:
    bad = STATEMENTS.parent / "invalid" / "claims-preserved.dls.yaml"
    out = render_file(bad, "markdown", allow_invalid=True)
    assert not out.valid
    assert out.text.startswith("> **Warning: this statement did not validate.**")
    codes = {f.code for f in out.report.findings}
    assert codes
    for code in codes:
        assert f"`{code}`" in out.text.split("## Distillation Loss Statement")[0]
