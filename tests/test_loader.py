"""The strict loader: every bad input of VALIDATION §2 (rows 4-27) becomes a located finding.

Each test runs with libyaml and with the pure-Python parser (the ``parser`` fixture), because
the two report some errors at different places and only one of them exists on some machines.
Tests assert codes and positions, never the parsers' wording.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dls import _yaml
from dls.errors import InputError
from dls.findings import Severity, Span
from dls.loader import Document, Limits, load_path, load_text

PARSERS = [
    pytest.param(
        True,
        id="libyaml",
        marks=pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml"),
    ),
    pytest.param(False, id="pure-python"),
]


@contextmanager
def using(libyaml: bool) -> Iterator[None]:
    saved = _yaml.USE_LIBYAML
    _yaml.USE_LIBYAML = libyaml
    try:
        yield
    finally:
        _yaml.USE_LIBYAML = saved


@pytest.fixture(params=PARSERS)
def parser(request: pytest.FixtureRequest) -> Iterator[bool]:
    with using(request.param):
        yield request.param


def located(doc: Document) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in doc.findings]


# -- rows 4-6: shape -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n", "   \n"])
def test_empty_file_or_comments_only_is_p002_at_1_1(parser: bool, text: str) -> None:
    doc = load_text(text)
    assert located(doc) == [("DLS-P002", 1, 1)]
    assert doc.data is None and not doc.ok


def test_two_documents_are_p003_at_the_second_document_marker(parser: bool) -> None:
    doc = load_text("a: 1\nb: 2\n---\nc: 3\n")
    assert located(doc) == [("DLS-P003", 3, 1)]
    assert doc.data is None


def test_top_level_list_and_scalar_load_for_the_schema_stage_to_judge(parser: bool) -> None:
    assert load_text("- a\n- b\n").data == ["a", "b"]
    doc = load_text("just text\n")
    assert doc.data == "just text" and doc.ok and doc.findings == ()


# -- rows 7-9: bytes, encodings, line endings ----------------------------------------------


def test_invalid_utf8_is_p011_at_the_bad_byte(parser: bool) -> None:
    doc = load_text(b"a: 1\nname: caf\xe9 au lait\n")
    assert located(doc) == [("DLS-P011", 2, 10)]
    assert doc.data is None and doc.text is None


def test_invalid_utf8_column_counts_code_points_not_bytes(parser: bool) -> None:
    doc = load_text("a: 1\nb: ééé ".encode() + b"\xff\n")
    assert located(doc) == [("DLS-P011", 2, 8)]


@pytest.mark.parametrize(
    ("text", "where"),
    [("a: 1\nb: x\x00y\n", (2, 5)), ("a: \x07\n", (1, 4)), ("a: 1\r\nb: \x1b\r\n", (2, 4))],
)
def test_nul_and_control_characters_are_p011_at_their_position(
    parser: bool, text: str, where: tuple[int, int]
) -> None:
    doc = load_text(text)
    assert located(doc) == [("DLS-P011", *where)]


def test_utf8_bom_is_accepted_and_does_not_shift_columns(parser: bool) -> None:
    doc = load_text(b"\xef\xbb\xbfa: x\n")
    assert doc.data == {"a": "x"} and doc.findings == ()
    assert doc.spans[("a",)] == Span(1, 4, 1, 5)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_accepted_with_an_info_finding(parser: bool, codec: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    doc = load_text(bom + "a: 1\nb: ü\n".encode(codec))
    assert doc.data == {"a": 1, "b": "ü"}
    assert located(doc) == [("DLS-P104", 1, 1)]
    assert doc.findings[0].severity is Severity.INFO and doc.ok


def test_crlf_and_mixed_line_endings_keep_line_numbers(parser: bool) -> None:
    crlf = load_text("a: 1\r\nb: 2\r\n\r\nc: [1,\r\n  2]\r\n")
    assert crlf.data == {"a": 1, "b": 2, "c": [1, 2]}
    assert crlf.spans[("c", 1)].line == 5 and crlf.spans[("c", 1)].column == 3
    mixed = load_text("a: 1\r\nb: 2\nc: 3\rd: 4\n")
    assert mixed.data == {"a": 1, "b": 2, "c": 3, "d": 4}
    assert [mixed.key_spans[(k,)].line for k in "abcd"] == [1, 2, 3, 4]


def test_crlf_error_positions_stay_correct(parser: bool) -> None:
    assert located(load_text("a: 1\r\nb: 2\r\nb: 3\r\n")) == [("DLS-P004", 3, 1)]


# -- rows 10-11: syntax --------------------------------------------------------------------


def test_tab_indentation_is_p001_at_the_tab(parser: bool) -> None:
    assert located(load_text("a:\n  b: 1\n\tc: 2\n")) == [("DLS-P001", 3, 1)]


def test_unclosed_bracket_is_p001_with_the_context_position_in_the_message(parser: bool) -> None:
    doc = load_text("a: [1, 2\nb: 3\n")
    assert located(doc) == [("DLS-P001", 2, 2)]
    assert "line 1, column 4" in doc.findings[0].message


def test_bad_indentation_is_p001_at_the_offending_line(parser: bool) -> None:
    doc = load_text("a:\n  b: 1\n c: 2\n")
    assert located(doc) == [("DLS-P001", 3, 2)]
    assert "line 1, column 1" in doc.findings[0].message


def test_unterminated_quote_and_undefined_alias_are_p001(parser: bool) -> None:
    assert located(load_text("a: 'abc\n")) == [("DLS-P001", 2, 1)]
    assert located(load_text("a: 1\nb: *nowhere\n")) == [("DLS-P001", 2, 4)]


# -- rows 12-14: keys ----------------------------------------------------------------------

STATEMENT_WITH_DUPLICATE = """\
format: dls-statement/v1
losses:
  - category: accuracy
    metric: top1
    delta: -0.5
    delta: -0.4
"""


def test_duplicate_key_is_p004_at_the_second_key_naming_the_first_line(parser: bool) -> None:
    doc = load_text(STATEMENT_WITH_DUPLICATE)
    assert located(doc) == [("DLS-P004", 6, 5)]
    assert "'delta'" in doc.findings[0].message and "line 5" in doc.findings[0].message
    assert doc.findings[0].path == ("losses", 0, "delta")
    assert not doc.ok


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('a: 1\n"a": 2\n', (2, 1)),
        ("a: 1\n'a': 2\n", (2, 1)),
        ("x:\n  1: a\n  0x1: b\n", (3, 3)),
        ("{b: 1, c: 2, b: 3}\n", (1, 14)),
    ],
)
def test_duplicate_keys_are_compared_after_construction(
    parser: bool, text: str, where: tuple[int, int]
) -> None:
    assert ("DLS-P004", *where) in located(load_text(text))


def test_merge_keys_work_and_an_explicit_override_is_not_a_duplicate(parser: bool) -> None:
    doc = load_text("base: &b {x: 1, y: 2}\nmore: &m {z: 0}\nitem:\n  <<: [*b, *m]\n  y: 3\n")
    assert doc.findings == ()
    assert doc.data["item"] == {"x": 1, "y": 3, "z": 0}
    assert doc.spans[("item", "y")].line == 5
    assert (
        doc.spans[("item", "x")] == doc.spans[("base", "x")]
    )  # merged values point at their definition


def test_merging_a_scalar_is_p001(parser: bool) -> None:
    doc = load_text("s: &s text\nm:\n  <<: *s\n")
    assert located(doc) == [("DLS-P001", 1, 4)]  # the merged node, where it is defined
    assert not doc.ok


def test_ampersand_in_text_without_anchors_loads_normally(parser: bool) -> None:
    assert load_text("team: R&D\nq: 'a & b'\n").data == {"team": "R&D", "q": "a & b"}


def test_duplicate_inside_a_mapping_with_a_merge_is_still_reported(parser: bool) -> None:
    doc = load_text("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 3\n  y: 4\n")
    assert located(doc) == [("DLS-P004", 5, 3)]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("1: a\n", (1, 1)),
        ("ok: 1\nnull: a\n", (2, 1)),
        ("true: a\n", (1, 1)),
        ("? [a, b]\n: c\n", (1, 3)),
        ("{x: 1, {y: 2}: 3}\n", (1, 8)),
    ],
)
def test_non_string_keys_are_p005_at_the_key(
    parser: bool, text: str, where: tuple[int, int]
) -> None:
    doc = load_text(text)
    assert located(doc) == [("DLS-P005", *where)]
    assert not doc.ok


def test_dates_are_string_keys_and_values(parser: bool) -> None:
    doc = load_text("2024-01-01: released\nwhen: 2024-01-02T10:00:00Z\n")
    assert doc.data == {"2024-01-01": "released", "when": "2024-01-02T10:00:00Z"} and doc.ok


# -- rows 15-21: what scalars mean ---------------------------------------------------------


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "NO", "Yes", "ON", "oFf"])
def test_yaml11_booleans_stay_strings_with_a_p101_warning(parser: bool, word: str) -> None:
    doc = load_text(f"country: {word}\n")
    assert doc.data == {"country": word}
    assert located(doc) == [("DLS-P101", 1, 10)]
    assert doc.findings[0].severity is Severity.WARNING and doc.ok


def test_quoted_or_explicitly_tagged_yes_is_silent(parser: bool) -> None:
    doc = load_text("a: 'yes'\nb: !!str no\n")
    assert doc.data == {"a": "yes", "b": "no"} and doc.findings == ()


def test_only_yaml12_booleans_and_nulls(parser: bool) -> None:
    doc = load_text("a: true\nb: FALSE\nc: True\nd: ~\ne:\nf: Null\ng: y\nh: tRUE\n")
    assert doc.data == {
        "a": True,
        "b": False,
        "c": True,
        "d": None,
        "e": None,
        "f": None,
        "g": "y",
        "h": "tRUE",
    }


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0755", "DLS-P102"),
        ("010", "DLS-P102"),
        ("0b101", "DLS-P102"),
        ("-012", "DLS-P102"),
        ("1:20", "DLS-P103"),
        ("12:30:00", "DLS-P103"),
    ],
)
def test_octal_leading_zero_and_sexagesimal_stay_strings_with_a_warning(
    parser: bool, value: str, code: str
) -> None:
    doc = load_text(f"mode: {value}\n")
    assert doc.data == {"mode": value}
    assert located(doc) == [(code, 1, 7)]


def test_yaml12_integers(parser: bool) -> None:
    doc = load_text("a: 0\nb: -12\nc: 0o17\nd: 0x1F\ne: 1_000\nf: +7\n")
    assert doc.data == {"a": 0, "b": -12, "c": 15, "d": 31, "e": "1_000", "f": 7}
    assert doc.findings == ()


def test_version_1_10_loads_as_float_but_scalars_keeps_the_source(parser: bool) -> None:
    doc = load_text("version: 1.10\nquoted: '1.10'\n")
    assert doc.data["version"] == 1.1
    assert doc.scalars[("version",)] == "1.10"
    assert ("quoted",) not in doc.scalars


def test_yaml12_floats_including_exponents_without_dot(parser: bool) -> None:
    doc = load_text("a: 1e-3\nb: 5e9\nc: .5\nd: 1.0e3\ne: -2.5E+2\n")
    assert doc.data == {"a": 0.001, "b": 5e9, "c": 0.5, "d": 1000.0, "e": -250.0}
    assert all(isinstance(v, float) for v in doc.data.values())


def test_non_finite_floats_load_for_the_schema_stage(parser: bool) -> None:
    doc = load_text("a: .inf\nb: -.inf\nc: .nan\nd: .NaN\n")
    assert doc.data["a"] == math.inf and doc.data["b"] == -math.inf
    assert math.isnan(doc.data["c"]) and math.isnan(doc.data["d"])
    assert doc.findings == ()


def test_quoted_numbers_stay_strings(parser: bool) -> None:
    doc = load_text('a: "0.5"\nb: \'5%\'\nc: "true"\n')
    assert doc.data == {"a": "0.5", "b": "5%", "c": "true"}


# -- rows 22-23: tags ----------------------------------------------------------------------


def test_python_tags_are_p006_and_never_executed(parser: bool, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    doc = load_text(f"a: 1\nb: !!python/object/apply:os.system ['touch {marker}']\n")
    assert located(doc) == [("DLS-P006", 2, 4)]
    assert "!!python/object/apply:os.system" in doc.findings[0].message
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("script: !reference [.setup, script]\n", (1, 9)),
        ("a:\n  b: !include other.yaml\n", (2, 6)),
        ("when: !!timestamp 2024-01-01\n", (1, 7)),
        ("s: !!set {a, b}\n", (1, 4)),
        ("n: !!int twelve\n", (1, 4)),
    ],
)
def test_unknown_or_unsupported_tags_are_p006_at_the_node(
    parser: bool, text: str, where: tuple[int, int]
) -> None:
    assert located(load_text(text)) == [("DLS-P006", *where)]


def test_standard_explicit_tags_are_accepted(parser: bool) -> None:
    doc = load_text(
        "a: !!int '12'\nb: !!float 3\nc: !!str 12\nd: !!bool true\n"
        "e: !!null ''\nf: !!seq [1]\ng: !!map {x: 1}\n"
    )
    assert doc.data == {"a": 12, "b": 3.0, "c": "12", "d": True, "e": None, "f": [1], "g": {"x": 1}}
    assert doc.findings == ()


# -- rows 24-27: limits --------------------------------------------------------------------

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_alias_bomb_is_p007_at_the_node_where_expansion_passes_the_limit(parser: bool) -> None:
    doc = load_text(BOMB)
    # f expands to 597,871 nodes, e only to 66,430: f is where the 100k limit is crossed.
    assert located(doc) == [("DLS-P007", 6, 4)]
    assert "100000 nodes" in doc.findings[0].message
    assert doc.data is None


def test_alias_expansion_limit_is_configurable(parser: bool) -> None:
    doc = load_text("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n", limits=Limits(max_nodes=10))
    assert located(doc) == [("DLS-P007", 2, 4)]
    assert load_text("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n").data == {
        "a": [1, 2, 3],
        "b": [[1, 2, 3]] * 3,
    }


def test_a_large_document_without_aliases_is_not_an_alias_bomb(parser: bool) -> None:
    doc = load_text("a: &a 1\nb: [" + ", ".join(["x"] * 50) + "]\n", limits=Limits(max_nodes=20))
    assert doc.ok and len(doc.data["b"]) == 50


@pytest.mark.parametrize(
    ("text", "where"), [("a: &a [*a]\n", (1, 8)), ("x: 1\na: &a\n  b:\n    c: *a\n", (4, 8))]
)
def test_recursive_alias_is_p008_at_the_alias(
    parser: bool, text: str, where: tuple[int, int]
) -> None:
    doc = load_text(text)
    assert located(doc) == [("DLS-P008", *where)]
    assert doc.data is None


@pytest.mark.parametrize("levels", [65, 1_000, 20_000])
def test_deep_nesting_is_p009_at_the_first_level_over_the_limit(parser: bool, levels: int) -> None:
    doc = load_text("[" * levels + "]" * levels)
    assert located(doc) == [("DLS-P009", 1, 65)]


def test_nesting_through_aliases_counts_the_expanded_depth(parser: bool) -> None:
    # 1 (root) + 30 around the alias + 40 inside the anchor: level 65 is x's 34th bracket.
    text = "x: &a " + "[" * 40 + "]" * 40 + "\ny: " + "[" * 30 + "*a" + "]" * 30 + "\n"
    assert located(load_text(text)) == [("DLS-P009", 1, 40)]


def test_deep_nesting_in_a_document_with_anchors_is_p009(parser: bool) -> None:
    assert located(load_text("a: &x 1\nb: " + "[" * 70 + "]" * 70)) == [
        ("DLS-P009", 2, 67)
    ]  # root is level 1: the 64th bracket


def test_nesting_at_the_limit_loads(parser: bool) -> None:
    doc = load_text("[" * 64 + "]" * 64)
    assert doc.ok


def test_block_nesting_over_the_limit_points_at_the_line(parser: bool) -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(70))
    doc = load_text(text, limits=Limits(max_depth=10))
    assert located(doc) == [("DLS-P009", 11, 21)]


def test_text_over_the_size_limit_is_p010_before_parsing(parser: bool) -> None:
    doc = load_text("a: " + "x" * 2_000_000 + "\n")
    assert located(doc) == [("DLS-P010", 1, 1)]
    assert doc.data is None
    assert located(load_text(b"a: 12345\n", limits=Limits(max_bytes=8))) == [("DLS-P010", 1, 1)]
    assert load_text(b"a: 1234\n", limits=Limits(max_bytes=8)).ok


def test_size_limit_counts_utf8_bytes_of_text(parser: bool) -> None:
    assert located(load_text("a: éé\n", limits=Limits(max_bytes=7))) == [("DLS-P010", 1, 1)]
    assert load_text("a: éé\n", limits=Limits(max_bytes=8)).ok


# -- positions -----------------------------------------------------------------------------

NESTED = """\
- name: a
  items:
    - 1
    - [x, "y"]
- name: b
"""


def test_spans_key_spans_and_scalars_on_a_nested_document(parser: bool) -> None:
    doc = load_text(NESTED)
    assert doc.data == [{"name": "a", "items": [1, ["x", "y"]]}, {"name": "b"}]
    assert doc.spans[()] == Span(1, 1, 6, 1)
    assert doc.spans[(0,)].line == 1 and doc.spans[(0,)].column == 3
    assert doc.spans[(0, "name")] == Span(1, 9, 1, 10)
    assert doc.key_spans[(0, "name")] == Span(1, 3, 1, 7)
    assert doc.key_spans[(0, "items")] == Span(2, 3, 2, 8)
    assert doc.spans[(0, "items", 0)] == Span(3, 7, 3, 8)
    assert doc.spans[(0, "items", 1)] == Span(4, 7, 4, 15)
    assert doc.spans[(0, "items", 1, 1)] == Span(4, 11, 4, 14)
    assert doc.spans[(1, "name")] == Span(5, 9, 5, 10)
    assert doc.scalars == {
        (0, "name"): "a",
        (0, "items", 0): "1",
        (0, "items", 1, 0): "x",
        (1, "name"): "b",
    }


def test_span_falls_back_to_the_closest_ancestor_then_1_1(parser: bool) -> None:
    doc = load_text(NESTED)
    assert doc.span((0, "items", 1, 7)) == doc.spans[(0, "items", 1)]
    assert doc.key_span((0, "items", 1)) == doc.spans[(0, "items", 1)]
    assert doc.key_span((1, "name")) == Span(5, 3, 5, 7)
    assert load_text("").span(("a",)) == Span(1, 1)


# -- JSON ----------------------------------------------------------------------------------


def test_json_file_name_selects_strict_json(parser: bool) -> None:
    doc = load_text('{"a": 1,}', "statement.json")
    assert doc.is_json and located(doc) == [("DLS-P012", 1, 9)]
    assert located(load_text("a: 1\n", "x.JSON")) == [("DLS-P012", 1, 1)]
    assert load_text("a: 1\n", "x.json", json=False).data == {"a": 1}


def test_json_values_and_positions(parser: bool) -> None:
    doc = load_text(
        '{\n  "a": {"b": [1, 2.5, -0, 1E3, true, null]},\n  "c": "\\/\\u00e9"\n}\n', json=True
    )
    assert doc.data == {"a": {"b": [1, 2.5, 0, 1000.0, True, None]}, "c": "/é"}
    assert doc.spans[("a", "b", 1)] == Span(2, 18, 2, 21)
    assert doc.key_spans[("c",)] == Span(3, 3, 3, 6)
    assert doc.findings == ()


def test_json_nan_infinity_and_overflow_load_as_non_finite_floats(parser: bool) -> None:
    doc = load_text('{"a": NaN, "b": Infinity, "c": -Infinity, "d": 1e999}', json=True)
    assert math.isnan(doc.data["a"])
    assert (doc.data["b"], doc.data["c"], doc.data["d"]) == (math.inf, -math.inf, math.inf)
    assert doc.findings == ()


def test_json_duplicate_key_is_p004_with_its_position(parser: bool) -> None:
    doc = load_text('{\n\t"a": {"b": 1, "b": 2}\n}', json=True)
    assert located(doc) == [("DLS-P004", 2, 16)]


def test_json_the_yaml_pass_cannot_read_falls_back_to_stdlib_data(parser: bool) -> None:
    key = "k" * 1100  # YAML simple keys are limited to 1024 characters; JSON keys are not
    doc = load_text(f'{{"{key}": 1, "{key}": 2}}', json=True)
    assert doc.data == {key: 1}
    assert doc.spans == {}
    assert [f.code for f in doc.findings] == ["DLS-P004"]


def test_json_surrogate_pair_escapes_become_one_character(parser: bool) -> None:
    doc = load_text('{"smile": "\\ud83d\\ude00!"}', json=True)
    assert doc.data == {"smile": "\U0001f600!"} and doc.findings == ()


def test_a_lone_surrogate_escape_is_an_error_not_data(parser: bool) -> None:
    for doc in (load_text('{"a": "\\ud800"}', json=True), load_text('a: "\\ud800"\n')):
        assert [(f.code, f.line) for f in doc.findings] == [("DLS-P001", 1)]
        assert not doc.ok


def test_empty_json_is_p002(parser: bool) -> None:
    assert located(load_text(" \n", "x.json")) == [("DLS-P002", 1, 1)]


# -- load_path -----------------------------------------------------------------------------


def test_load_path_reads_a_file_and_names_it_as_given(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("a: 1\n", encoding="utf-8")
    doc = load_path(tmp_path / "s.yaml")
    assert doc.data == {"a": 1} and doc.name == (tmp_path / "s.yaml").as_posix()
    assert load_path(tmp_path / "s.yaml", name="shown.yaml").name == "shown.yaml"


def test_load_path_decides_json_from_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text('{"a": 1, "a": 2}', encoding="utf-8")
    doc = load_path(tmp_path / "s.json")
    assert doc.is_json and located(doc) == [("DLS-P004", 1, 10)]


def test_load_path_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found") as info:
        load_path(tmp_path / "nope.yaml")
    assert info.value.hint


def test_load_path_directory_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        load_path(tmp_path)


def test_load_path_broken_symlink_raises_input_error(tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    with pytest.raises(InputError, match="broken symbolic link"):
        load_path(link)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads chmod 000 files, so nothing to test"
)
def test_load_path_unreadable_file_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="cannot read"):
            load_path(path)
    finally:
        path.chmod(0o600)


def test_load_path_over_the_size_limit_is_p010_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(64 * 1024**3)  # sparse 64 GiB: reading it would exhaust memory
    doc = load_path(path)
    assert located(doc) == [("DLS-P010", 1, 1)]
    assert doc.data is None and doc.text is None


# -- never raises --------------------------------------------------------------------------

YAMLISH = st.text(
    alphabet=" \t\n\r:-[]{},&*!#|>'\"?%@`~.0123456789abcyesnoYNx\x00\x85\u2028é\ufeff", max_size=80
)


def _sane(doc: Document) -> None:
    assert isinstance(doc, Document)
    for f in doc.findings:
        assert f.line >= 1 and f.column >= 1
    if doc.ok:
        assert doc.spans.get(()) is not None or doc.is_json


@pytest.mark.parametrize("libyaml", PARSERS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=200), YAMLISH), as_json=st.booleans())
def test_any_text_gives_a_document_and_never_raises(
    libyaml: bool, text: str, as_json: bool
) -> None:
    with using(libyaml):
        _sane(load_text(text, json=as_json))


@pytest.mark.parametrize("libyaml", PARSERS)
@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200), as_json=st.booleans())
def test_any_bytes_give_a_document_and_never_raise(
    libyaml: bool, data: bytes, as_json: bool
) -> None:
    with using(libyaml):
        _sane(load_text(data, json=as_json))
