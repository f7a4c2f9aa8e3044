"""Configuration: files, per-code enable/disable/severity, fail-on, and the precedence of layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dls import config
from dls.errors import ConfigError
from dls.findings import FileReport, Finding, Report, Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- finding and reading files -----------------------------------------------------------------


def test_pyproject_tool_dls_table_is_read(tmp_path):
    """[tool.dls] in pyproject.toml sets fail-on, disabled codes and severities."""
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.dls]\nfail-on = "warning"\ndisable = ["DLS-R013"]\n'
        '[tool.dls.severity]\n"DLS-R005" = "error"\n',
    )
    cfg = config.load_config(start=tmp_path)
    assert cfg.source == tmp_path / "pyproject.toml"
    assert cfg.fail_on is Severity.WARNING
    assert dict(cfg.layer.rules) == {"DLS-R013": None, "DLS-R005": Severity.ERROR}


def test_dls_yaml_is_read_and_wins_over_pyproject_in_the_same_directory(tmp_path):
    """.dls.yaml is preferred to pyproject.toml when both are in one directory."""
    write(tmp_path / "pyproject.toml", '[tool.dls]\nfail-on = "warning"\n')
    write(tmp_path / ".dls.yaml", "fail_on: error\nseverity:\n  DLS-R005: info\n")
    cfg = config.load_config(start=tmp_path)
    assert cfg.source == tmp_path / ".dls.yaml"
    assert cfg.fail_on is Severity.ERROR
    assert dict(cfg.layer.rules) == {"DLS-R005": Severity.INFO}


def test_search_goes_up_from_a_subdirectory(tmp_path):
    """A config in a parent directory applies to the directories below it."""
    write(tmp_path / ".dls.yaml", "disable: [DLS-R013]\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert config.find_config(sub) == tmp_path / ".dls.yaml"


def test_pyproject_without_tool_dls_is_skipped(tmp_path):
    """A pyproject.toml without [tool.dls] does not stop the search."""
    write(tmp_path / ".dls.yaml", "disable: [DLS-R013]\n")
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    assert config.find_config(tmp_path / "pkg") == tmp_path / ".dls.yaml"


def test_search_stops_at_the_repository_root(tmp_path):
    """A config above the repository (a directory with .git) is not used."""
    write(tmp_path / ".dls.yaml", "disable: [DLS-R013]\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert config.find_config(tmp_path / "repo") is None
    assert config.load_config(start=tmp_path / "repo") == config.Config()


def test_unknown_key_is_an_error_with_a_suggestion(tmp_path):
    """A misspelt key is not ignored."""
    path = write(tmp_path / ".dls.yaml", "disabel: [DLS-R013]\n")
    with pytest.raises(ConfigError) as info:
        config.load_config(path)
    assert "unknown key 'disabel'" in info.value.message
    assert info.value.hint == "did you mean 'disable'?"


def test_unknown_code_is_an_error_with_a_suggestion(tmp_path):
    """A code that is not in the catalogue is reported with the closest one."""
    path = write(tmp_path / "pyproject.toml", '[tool.dls]\ndisable = ["DLS-R0013"]\n')
    with pytest.raises(ConfigError) as info:
        config.load_config(path)
    assert "unknown finding code 'DLS-R0013'" in info.value.message
    assert info.value.hint == "did you mean DLS-R013?"


def test_bad_severity_and_bad_fail_on_are_errors(tmp_path):
    """Severity must be error/warning/info/off; fail-on must be error or warning."""
    bad_sev = write(tmp_path / "a" / ".dls.yaml", "severity:\n  DLS-R005: fatal\n")
    bad_fail = write(tmp_path / "b" / ".dls.yaml", "fail-on: info\n")
    with pytest.raises(ConfigError, match="'fatal' is not a severity"):
        config.load_config(bad_sev)
    with pytest.raises(ConfigError, match="'info' is not a fail-on level"):
        config.load_config(bad_fail)


def test_broken_yaml_config_is_an_error_with_a_position(tmp_path):
    """A config file that is not YAML is a ConfigError naming file, line and column."""
    path = write(tmp_path / ".dls.yaml", "disable: [DLS-R013\n")
    with pytest.raises(ConfigError, match=r"\.dls\.yaml:\d+:\d+: "):
        config.load_config(path)


def test_broken_toml_is_an_error(tmp_path):
    """A pyproject.toml that is not TOML is a ConfigError, not a traceback."""
    path = write(tmp_path / "pyproject.toml", "[tool.dls\n")
    with pytest.raises(ConfigError, match="cannot read TOML"):
        config.load_config(path)


def test_missing_explicit_config_is_an_error(tmp_path):
    """--config naming a file that does not exist is a ConfigError."""
    with pytest.raises(ConfigError, match="not found"):
        config.load_config(tmp_path / "nope.yaml")


# -- layers and precedence ---------------------------------------------------------------------


def layer(name, **kwargs) -> config.Layer:
    return config.Layer.build(name, **kwargs)


def test_defaults_apply_without_layers():
    """With no layer, a finding keeps the severity it was emitted with."""
    assert config.Policy().severity("DLS-R005", Severity.WARNING) is Severity.WARNING


def test_command_line_beats_config_beats_scenario():
    """Each layer overrides the ones below it: scenario < config file < command line."""
    scenario = layer("scenario", severity={"DLS-R005": "error"})
    cfg = config.Config(layer=layer("config", severity={"DLS-R005": "info"}))
    cli = layer("cli", disable=["DLS-R005"])
    assert config.policy(scenario=scenario).severity("DLS-R005", Severity.WARNING) is Severity.ERROR
    assert (
        config.policy(scenario=scenario, config=cfg).severity("DLS-R005", Severity.WARNING)
        is Severity.INFO
    )
    assert (
        config.policy(scenario=scenario, config=cfg, cli=cli).severity("DLS-R005", Severity.WARNING)
        is None
    )


def test_enable_on_a_higher_layer_restores_the_last_severity_set_below():
    """A code disabled in the config comes back on with --enable, at the severity set before."""
    scenario = layer("scenario", severity={"DLS-R013": "warning"})
    cfg = config.Config(layer=layer("config", disable=["DLS-R013"]))
    cli = layer("cli", enable=["DLS-R013"])
    pol = config.policy(scenario=scenario, config=cfg, cli=cli)
    assert pol.severity("DLS-R013", Severity.INFO) is Severity.WARNING


def test_exact_code_beats_prefix_within_a_layer():
    """disable DLS-R with DLS-R002 set to warning: R002 stays on as a warning, R001 is off."""
    pol = config.Policy((layer("config", disable=["DLS-R"], severity={"DLS-R002": "warning"}),))
    assert pol.severity("DLS-R001", Severity.ERROR) is None
    assert pol.severity("DLS-R002", Severity.ERROR) is Severity.WARNING


def test_fail_on_from_the_command_line_beats_the_config():
    """--fail-on overrides fail-on in the file, which overrides the default (error)."""
    cfg = config.Config(fail_on=Severity.WARNING)
    assert config.policy().fail_on is Severity.ERROR
    assert config.policy(config=cfg).fail_on is Severity.WARNING
    assert config.policy(config=cfg, fail_on=Severity.ERROR).fail_on is Severity.ERROR


def test_same_code_enabled_and_disabled_in_one_layer_is_an_error():
    """A layer cannot contradict itself."""
    with pytest.raises(ConfigError, match="both enabled and disabled"):
        layer("config", disable=["DLS-R013"], enable=["DLS-R013"])


# -- protected codes ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["DLS-P001", "DLS-S002"])
def test_codes_that_mean_not_checked_cannot_be_disabled(code):
    """Disabling a parse failure or a missing format would let an unchecked file pass."""
    with pytest.raises(ConfigError, match="cannot be disabled or downgraded"):
        layer("config", disable=[code])
    with pytest.raises(ConfigError, match="cannot be disabled or downgraded"):
        layer("config", severity={code: "warning"})


def test_prefix_selectors_skip_protected_codes():
    """disable DLS-P turns off the parse warnings but not the parse errors."""
    pol = config.Policy((layer("config", disable=["DLS-P"]),))
    assert pol.severity("DLS-P101", Severity.WARNING) is None
    assert pol.severity("DLS-P001", Severity.ERROR) is Severity.ERROR


# -- applying a policy to a report -------------------------------------------------------------


def sample() -> Report:
    return Report(
        [
            FileReport(
                "a.dls.yaml",
                [
                    Finding("DLS-R013", Severity.INFO, "unused evidence"),
                    Finding("DLS-R005", Severity.WARNING, "metric in other category"),
                    Finding("DLS-S006", Severity.ERROR, "wrong type"),
                ],
            )
        ]
    )


def test_apply_drops_disabled_findings_and_overrides_severities():
    """Disabled codes vanish from the report; overridden ones carry the new severity."""
    pol = config.Policy((layer("config", disable=["DLS-R013"], severity={"DLS-S006": "warning"}),))
    out = pol.apply(sample())
    assert [(f.code, f.severity) for f in out.files[0].findings] == [
        ("DLS-R005", Severity.WARNING),
        ("DLS-S006", Severity.WARNING),
    ]
    assert [f.code for f in sample().files[0].findings] == ["DLS-R013", "DLS-R005", "DLS-S006"]


def test_fails_follows_fail_on():
    """Warnings fail the run only with fail-on warning; errors always do."""
    only_warning = config.Policy((layer("c", disable=["DLS-S006"]),)).apply(sample())
    assert config.Policy(fail_on=Severity.ERROR).fails(only_warning) is False
    assert config.Policy(fail_on=Severity.WARNING).fails(only_warning) is True
    assert config.Policy().fails(sample()) is True


def test_a_file_that_could_not_be_checked_always_fails():
    """Exceptions are not findings and cannot be configured away."""
    report = Report([FileReport("x.dls.yaml", exception="unreadable")])
    assert config.Policy(fail_on=Severity.ERROR).fails(report) is True


def test_accepted_losses_cannot_be_disabled_or_downgraded():
    """The accepted-loss code (looked up by name in the catalogue) is always reported."""
    code = config.accepted_loss_code()
    assert code == "DLS-T024"
    with pytest.raises(ConfigError, match="accepted losses are always reported"):
        layer("config", disable=[code])
    raised = layer("config", severity={code: "warning"})
    assert config.Policy((raised,)).severity(code, Severity.INFO) is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        '[tool.dls]\nfail-on = "warning"\n',
        '[tool.dls.x]\n[tool.dls]\nfail-on = "warning"\n',
        '[ tool . "dls" ]\nfail-on = "warning"\n',
        'tool.dls.fail-on = "warning"\n',
        '[tool]\ndls = { fail-on = "warning" }\n',
    ],
)
def test_every_toml_spelling_of_tool_dls_is_found(tmp_path, text):
    """Table headers, quoted and spaced names, dotted keys and inline tables all count."""
    write(tmp_path / "pyproject.toml", text)
    assert config.find_config(tmp_path) == tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    "text",
    ['[project]\nname = "dls"\n', "[tool.dlsx]\na = 1\n", '[tool.ruff]\nsrc = ["dls"]\n'],
)
def test_pyproject_that_only_mentions_dls_is_not_a_config(tmp_path, text):
    """A project named dls, or another tool's table, is not a dls configuration."""
    write(tmp_path / "pyproject.toml", text)
    (tmp_path / ".git").mkdir()
    assert config.find_config(tmp_path) is None


def test_empty_or_comment_only_dls_yaml_means_no_settings(tmp_path):
    """A .dls.yaml holding only comments is a valid, empty configuration."""
    path = write(tmp_path / ".dls.yaml", "# settings come later\n")
    cfg = config.load_config(path)
    assert (cfg.source, cfg.fail_on, dict(cfg.layer.rules)) == (path, None, {})


def test_yaml_config_that_is_not_a_mapping_is_an_error(tmp_path):
    """A list at the top of .dls.yaml is reported, not ignored."""
    path = write(tmp_path / ".dls.yaml", "- DLS-R013\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        config.load_config(path)


def test_duplicate_key_in_dls_yaml_is_an_error_not_a_silent_override(tmp_path):
    """Two `disable:` keys would lose one list; the strict loader reports it with its line."""
    path = write(tmp_path / ".dls.yaml", "disable: [DLS-R013]\ndisable: [DLS-R005]\n")
    with pytest.raises(ConfigError, match=r"\.dls\.yaml:2:1: .*duplicate"):
        config.load_config(path)
