"""Scenario files: the built-in library, inheritance, and the checks on users' own files."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

import dls
from dls import registry, scenarios
from dls.errors import ScenarioError
from dls.loader import load_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schema" / "scenario-v1.schema.json").read_text(encoding="utf-8"))
BUILTIN_FILES = sorted((ROOT / "scenarios").glob("*.dls-scenario.yaml"))
PROMISED_IDS = {
    "general-chat-assistant",
    "on-device-assistant",
    "reasoning-student",
    "agentic-tool-use",
    "retrieval-grounded-qa",
    "high-stakes-decision-support",
    "privacy-sensitive-data",
    "creative-generation",
    "compressed-classifier",
}


def _ids(path: Path) -> str:
    return path.name.removesuffix(".dls-scenario.yaml")


# -- the schema and the built-in library --------------------------------------------------


def test_the_scenario_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == "urn:dls:schema:scenario:v1"
    assert SCHEMA["properties"]["format"] == {
        "const": "dls-scenario/v1",
        "description": "The format and its version.",
    }


def test_the_schema_lists_exactly_the_registry_metrics():
    enum = SCHEMA["$defs"]["metricId"]["anyOf"][0]["enum"]
    assert enum == list(registry.load().metrics)


def test_the_schema_lists_exactly_the_nine_categories():
    assert list(SCHEMA["properties"]["categories"]["properties"]) == list(registry.CATEGORY_KEYS)


def test_the_library_has_every_promised_scenario_at_version_1():
    ids = set(scenarios.builtin_ids())
    assert ids >= PROMISED_IDS
    for sid in PROMISED_IDS:
        assert scenarios.builtin(sid).version == 1


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=_ids)
def test_a_builtin_scenario_validates_against_the_schema_with_python_jsonschema(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=_ids)
def test_a_builtin_scenario_validates_against_the_schema_with_jsonschema_rs(path: Path):
    import jsonschema_rs

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema_rs.validator_for(SCHEMA).validate(data)


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=_ids)
def test_a_builtin_scenario_passes_dls_validate_without_any_finding(path: Path):
    report = dls.validate(path)
    assert report.kind == "scenario"
    assert [(f.code, f.line, f.message) for f in report.findings] == []


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=_ids)
def test_a_builtin_scenario_resolves_and_is_named_after_its_id(path: Path):
    found = scenarios.builtin(_ids(path))
    assert found.id == _ids(path)
    assert found.source == "built-in"
    assert len(found.sha256) == 64


@pytest.mark.parametrize("sid", sorted(PROMISED_IDS))
def test_a_usable_scenario_explains_itself_with_references(sid: str):
    found = scenarios.builtin(sid)
    assert not found.abstract
    assert found.summary and found.setting and found.rationale
    assert len(found.rationale) > 300
    assert found.references, "every scenario cites its evidence"
    for key in registry.CATEGORY_KEYS:
        cat = found.category(key)
        assert cat.rationale, f"{sid}: {key} has no rationale"


@pytest.mark.parametrize("sid", sorted(PROMISED_IDS))
def test_a_usable_scenario_requires_task_performance_and_one_more_category(sid: str):
    found = scenarios.builtin(sid)
    required = found.by_requirement("required")
    assert "task_performance" in required
    assert len(required) >= 2


@pytest.mark.parametrize("sid", sorted(PROMISED_IDS))
def test_accepted_metrics_are_registry_evidence_for_their_category(sid: str):
    found = scenarios.builtin(sid)
    for key in registry.CATEGORY_KEYS:
        for mid in found.category(key).accepted():
            metric = registry.metric(mid)
            assert metric is not None and key in metric.categories, (sid, key, mid)


def _tolerances() -> dict[str, dict[str, tuple[str, str]]]:
    """metric -> scenario -> (tolerance, where it came from) over every accepted metric."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for sid in sorted(PROMISED_IDS):
        found = scenarios.builtin(sid)
        for key in registry.CATEGORY_KEYS:
            cat = found.category(key)
            for mid in cat.accepted():
                t = cat.target_for(mid)
                assert t.tolerance is not None
                out.setdefault(mid, {})[f"{sid}/{key}"] = (
                    t.tolerance.describe(),
                    t.tolerance_source,
                )
    return out


def test_the_same_metric_has_the_same_tolerance_everywhere_unless_a_scenario_says_why():
    """Only high-stakes decision support tightens a margin, and its file says why."""
    deviations = set()
    for mid, uses in _tolerances().items():
        default = registry.metric(mid).tolerance.describe()
        for where, (tol, source) in uses.items():
            if tol != default:
                deviations.add((where.split("/")[0], mid, tol))
                assert source == "scenario metric", (where, mid)
    assert deviations == {
        ("high-stakes-decision-support", "ece_equal_width", "0.01"),
        ("high-stakes-decision-support", "ece_equal_mass", "0.01"),
        ("high-stakes-decision-support", "brier_score", "0.01"),
        ("high-stakes-decision-support", "aurc", "0.01"),
    }
    text = (ROOT / "scenarios" / "high-stakes-decision-support.dls-scenario.yaml").read_text()
    assert "tightens a registry margin" in text


def test_registry_margins_match_the_domain_brief_defaults():
    """Accuracy, ECE, ASR, MIA AUC 0.02; over-refusal 0.03; distinct-n 5% relative."""
    tol = {
        m: registry.metric(m).tolerance.describe()
        for m in (
            "accuracy",
            "ece_equal_width",
            "over_refusal_rate",
            "attack_success_rate",
            "mia_auc",
            "distinct_n",
        )
    }
    assert tol == {
        "accuracy": "0.02",
        "ece_equal_width": "0.02",
        "over_refusal_rate": "0.03",
        "attack_success_rate": "0.02",
        "mia_auc": "0.02",
        "distinct_n": "0.05 relative",
    }


def test_the_domain_brief_priority_categories_are_required():
    """DOMAIN.md §3: each scenario's priority categories are required."""
    priorities = {
        "on-device-assistant": {"boundary", "safety", "grounding", "privacy"},
        "reasoning-student": {"process", "stability", "uncertainty", "diversity"},
        "agentic-tool-use": {"stability", "boundary", "safety", "process"},
        "retrieval-grounded-qa": {"grounding", "uncertainty", "boundary"},
        "high-stakes-decision-support": {"uncertainty", "boundary", "grounding"},
        "privacy-sensitive-data": {"privacy"},
        "creative-generation": {"diversity"},
        "general-chat-assistant": {"safety", "boundary"},
    }
    for sid, cats in priorities.items():
        assert cats <= set(scenarios.builtin(sid).by_requirement("required")), sid


def test_every_category_is_accounted_for_by_every_usable_scenario():
    """Nothing is silently optional: each category is listed with a requirement and a reason."""
    for sid in PROMISED_IDS:
        found = scenarios.builtin(sid)
        assert set(found.categories) == set(registry.CATEGORY_KEYS), sid


# -- inheritance ---------------------------------------------------------------------------------


def test_a_child_inherits_and_overrides_its_parent():
    device = scenarios.builtin("on-device-assistant")
    assert device.chain == ("on-device-assistant", "general-chat-assistant", "base")
    safety = device.category("safety")
    assert safety.requirement == "required" and safety.waivable is False  # inherited
    assert device.category("diversity").requirement == "optional"  # overridden
    assert device.category("privacy").requirement == "required"  # raised
    titles = [r["title"] for r in device.references]
    assert any("XSTest" in t for t in titles) and any("Parrot" in t for t in titles)


def test_defaults_apply_where_a_category_sets_nothing():
    stakes = scenarios.builtin("high-stakes-decision-support")
    assert stakes.category("boundary").interval_required is True  # from defaults
    assert stakes.category("uncertainty").min_items == 1000  # own setting
    assert stakes.category("process").min_items == 100  # base defaults


def test_per_metric_settings_override_the_category():
    privacy = scenarios.builtin("privacy-sensitive-data").category("privacy")
    assert privacy.target_for("mia_tpr_at_0_1pct_fpr").min_items == 10000
    assert privacy.target_for("mia_tpr_at_1pct_fpr").min_items == 1000


def test_tolerance_precedence_is_metric_then_category_then_registry(tmp_path: Path):
    path = _write(
        tmp_path,
        "org.dls-scenario.yaml",
        """
        format: dls-scenario/v1
        id: acme/org
        version: 3
        title: Org
        extends: general-chat-assistant
        summary: s
        setting: s
        rationale: r
        categories:
          safety:
            tolerance: {absolute: 0.01}
            per_metric:
              strongreject_score: {tolerance: {relative: 0.1}}
          boundary:
            accepted_metrics: [over_refusal_rate, x-acme.clarify_rate]
            per_metric:
              x-acme.clarify_rate: {tolerance: {absolute: 0.04}}
    """,
    )
    org = scenarios.resolve(str(path))
    safety = org.category("safety")
    assert safety.target_for("strongreject_score").tolerance == registry.Tolerance(0.1, True)
    assert safety.target_for("attack_success_rate").tolerance == registry.Tolerance(0.01)
    assert org.category("uncertainty").target_for("ece_equal_width").tolerance_source == "registry"
    assert org.category("boundary").accepts("x-acme.clarify_rate")
    assert org.category("boundary").target_for(
        "x-acme.clarify_rate"
    ).tolerance == registry.Tolerance(0.04)
    assert not org.category("boundary").accepts("abstention_recall")


def test_the_sha256_is_of_the_file_with_line_endings_read_as_lf(tmp_path: Path):
    text = (ROOT / "scenarios" / "creative-generation.dls-scenario.yaml").read_bytes()
    crlf = tmp_path / "crlf.dls-scenario.yaml"
    crlf.write_bytes(text.replace(b"\n", b"\r\n"))
    import hashlib

    assert scenarios.builtin("creative-generation").sha256 == hashlib.sha256(text).hexdigest()
    assert scenarios.resolve(str(crlf)).sha256 == hashlib.sha256(text).hexdigest()


def test_an_unknown_scenario_on_the_command_line_cannot_run():
    with pytest.raises(ScenarioError, match="did you mean 'reasoning-student'"):
        scenarios.resolve("reasoning-studnet")


def test_a_missing_scenario_file_on_the_command_line_cannot_run(tmp_path: Path):
    with pytest.raises(ScenarioError, match="does not exist"):
        scenarios.resolve(str(tmp_path / "nope.dls-scenario.yaml"))


def test_an_invalid_scenario_file_on_the_command_line_cannot_run(tmp_path: Path):
    path = _write(
        tmp_path,
        "bad.dls-scenario.yaml",
        """
        format: dls-scenario/v1
        id: acme/bad
        version: 1
        title: Bad
        extends: no-such-parent
        summary: s
        setting: s
        rationale: r
    """,
    )
    with pytest.raises(ScenarioError, match=r"invalid \(1 error\(s\); first at line 5: DLS-C001"):
        scenarios.resolve(str(path))


# -- checks on scenario files, with locations ------------------------------------------------------


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def _found(path: Path) -> list[tuple[str, int, int]]:
    return sorted((f.code, f.line, f.column) for f in dls.validate(path).findings)


HEAD = """\
format: dls-scenario/v1
id: acme/{name}
version: 1
title: T
summary: s
setting: s
rationale: r
"""


def test_an_unknown_parent_is_reported_at_the_extends_entry_with_a_suggestion(tmp_path: Path):
    path = _write(
        tmp_path, "a.dls-scenario.yaml", HEAD.format(name="a") + "extends: [base, retrieval-qa]\n"
    )
    report = dls.validate(path)
    assert [(f.code, f.line, f.column) for f in report.findings] == [("DLS-C001", 8, 17)]
    assert "did you mean 'retrieval-grounded-qa'" in report.findings[0].message


def test_a_missing_parent_file_is_reported_at_its_entry(tmp_path: Path):
    path = _write(
        tmp_path, "a.dls-scenario.yaml", HEAD.format(name="a") + "extends:\n  - path: nope.yaml\n"
    )
    assert _found(path) == [("DLS-C001", 9, 5)]


def test_an_inheritance_cycle_is_reported_in_each_file_at_the_entry_that_closes_it(tmp_path: Path):
    a = _write(
        tmp_path,
        "a.dls-scenario.yaml",
        HEAD.format(name="a") + "extends:\n  - path: b.dls-scenario.yaml\n",
    )
    b = _write(
        tmp_path,
        "b.dls-scenario.yaml",
        HEAD.format(name="b") + "extends:\n  - path: a.dls-scenario.yaml\n",
    )
    report = dls.validate(a)
    assert [(f.code, f.line, f.column) for f in report.findings] == [("DLS-C002", 9, 5)]
    assert report.findings[0].message == (
        "extends cycle: a.dls-scenario.yaml -> b.dls-scenario.yaml -> a.dls-scenario.yaml"
    )
    assert _found(b) == [("DLS-C002", 9, 5)]


def test_a_scenario_extending_itself_is_a_cycle(tmp_path: Path):
    path = _write(
        tmp_path,
        "a.dls-scenario.yaml",
        HEAD.format(name="a") + "extends: {path: a.dls-scenario.yaml}\n",
    )
    assert _found(path) == [("DLS-C002", 8, 10)]


def test_an_invalid_parent_is_reported_at_the_entry(tmp_path: Path):
    _write(
        tmp_path,
        "p.dls-scenario.yaml",
        HEAD.format(name="p") + "categories:\n  safety: {requirement: must}\n",
    )
    path = _write(
        tmp_path,
        "c.dls-scenario.yaml",
        HEAD.format(name="c") + "extends: {path: p.dls-scenario.yaml}\n",
    )
    report = dls.validate(path)
    assert [(f.code, f.line, f.column) for f in report.findings] == [("DLS-C006", 8, 10)]
    assert "first at line 9" in report.findings[0].message


def test_a_pinned_parent_version_that_differs_is_reported_at_the_version(tmp_path: Path):
    path = _write(
        tmp_path,
        "a.dls-scenario.yaml",
        HEAD.format(name="a") + "extends:\n  - id: base\n    version: 2\n",
    )
    assert _found(path) == [("DLS-C008", 10, 14)]


def test_a_pinned_parent_hash_that_differs_is_reported_at_the_hash(tmp_path: Path):
    _write(tmp_path, "p.dls-scenario.yaml", HEAD.format(name="p"))
    path = _write(
        tmp_path,
        "c.dls-scenario.yaml",
        HEAD.format(name="c")
        + "extends:\n  - path: p.dls-scenario.yaml\n    sha256: "
        + "ab" * 32
        + "\n",
    )
    assert _found(path) == [("DLS-C009", 10, 13)]


def test_a_correctly_pinned_parent_file_resolves(tmp_path: Path):
    parent = _write(
        tmp_path, "p.dls-scenario.yaml", HEAD.format(name="p") + "extends: reasoning-student\n"
    )
    sha = scenarios.content_sha256(parent.read_bytes())
    path = _write(
        tmp_path,
        "c.dls-scenario.yaml",
        HEAD.format(name="c") + f"extends:\n  - path: p.dls-scenario.yaml\n    sha256: {sha}\n",
    )
    assert _found(path) == []
    found = scenarios.resolve(str(path))
    assert found.chain == ("acme/c", "acme/p", "reasoning-student", "base")
    assert found.category("process").requirement == "required"


def test_content_slips_are_warnings_at_their_place(tmp_path: Path):
    path = _write(
        tmp_path,
        "a.dls-scenario.yaml",
        HEAD.format(name="a")
        + textwrap.dedent("""\
        categories:
          safety:
            accepted_metrics: [attack_success_rate, ece_equal_width, x-acme.harm]
            per_metric:
              distinct_n: {waivable: false}
    """),
    )
    assert _found(path) == [
        ("DLS-C003", 10, 45),  # ece is uncertainty evidence
        ("DLS-C004", 12, 7),  # distinct_n is not accepted: the setting never applies
        ("DLS-C005", 10, 62),  # custom metric without a tolerance
    ]


def test_a_statement_used_as_a_scenario_is_not_a_scenario(tmp_path: Path):
    path = _write(tmp_path, "s.dls-scenario.yaml", "format: dls-statement/v1\nid: x\n")
    with pytest.raises(ScenarioError, match="DLS-C007"):
        scenarios.resolve(str(path))


def test_check_scenario_document_works_on_text_without_a_file():
    doc = load_text(
        HEAD.format(name="t") + "extends: general-chat-assistant\n", "t.dls-scenario.yaml"
    )
    assert scenarios.check_scenario_document(doc) == []


# -- versions: targets never change under the same version -------------------------------------

LOCK = Path(__file__).with_name("builtin-versions.json")


def test_a_builtin_scenario_changes_only_with_a_version_bump():
    """Statements pin (id, version, sha256); the content of a released version never changes.

    After editing a built-in scenario, bump its `version` and add the new sha256 under the new
    version in tests/scenarios/builtin-versions.json (keep the old entries).
    """
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    for sid in scenarios.builtin_ids():
        found = scenarios.builtin(sid)
        assert sid in lock, f"{sid} is new: add it to {LOCK.name}"
        pinned = lock[sid].get(str(found.version))
        assert pinned == found.sha256, (
            f"{sid} v{found.version} changed without a version bump (or is not pinned yet)"
        )
