"""Project configuration: which finding codes count, and how much.

A project tunes dls in ``.dls.yaml`` (or ``.dls.yml``) or under ``[tool.dls]``
in ``pyproject.toml``. The first of these found from the working directory
upwards (stopping at the repository root) is used; in one directory the
``.dls.yaml`` wins over ``pyproject.toml``::

    [tool.dls]
    fail-on = "warning"           # error (default) or warning
    disable = ["DLS-R013"]        # codes, or prefixes such as "DLS-R0"
    enable = ["DLS-R013"]         # re-enable what a lower layer disabled
    [tool.dls.severity]
    "DLS-R005" = "error"          # error, warning, info, or off

Settings come in layers, each overriding the one before: the code defaults
(dls.codes), the scenario, the configuration file, the command line. Within
one layer an exact code beats a prefix and a longer prefix a shorter one.

Some codes cannot be switched off or downgraded below their default, because
that would let a statement pass unchecked or hide a loss: parse failures
(the file was never read), a missing or unknown format (nothing was
validated), and accepted losses (DLS-T024, always reported apart). Prefix
selectors skip them; naming one of them directly is a configuration error.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from dls.errors import ConfigError
from dls.findings import FileReport, Finding, Report, Severity

CONFIG_FILES = (".dls.yaml", ".dls.yml")
KEYS = ("fail-on", "disable", "enable", "severity")
OFF = "off"
ACCEPTED_LOSS_NAME = "accepted-loss"


@functools.cache
def accepted_loss_code() -> str:
    """The code of accepted losses (DLS-T024), looked up by its stable name."""
    from dls.codes import CATALOG

    for meta in CATALOG.values():
        if meta.name == ACCEPTED_LOSS_NAME:
            return meta.code
    return "DLS-T024"


@functools.cache
def protected_codes() -> frozenset[str]:
    """Codes whose findings mean "not checked" or "a loss was accepted": never silenced."""
    parse = [f"DLS-P{n:03d}" for n in range(1, 13)]
    return frozenset([*parse, "DLS-S001", "DLS-S002", "DLS-S003", accepted_loss_code()])


def _severity(value: object, where: str) -> Severity | None:
    """A severity name, or None for "off"."""
    if isinstance(value, str):
        name = value.strip().lower()
        if name == OFF:
            return None
        for sev in Severity:
            if sev.value == name:
                return sev
    raise ConfigError(
        f"{where}: {value!r} is not a severity",
        hint="use one of: error, warning, info, off",
    )


def parse_fail_on(value: object, where: str = "fail-on") -> Severity:
    sev = _severity(value, where)
    if sev is None or sev is Severity.INFO:
        raise ConfigError(f"{where}: {value!r} is not a fail-on level", hint="use error or warning")
    return sev


_NO_RULES: Mapping[str, Severity | None] = MappingProxyType({})


# NamedTuples rather than frozen dataclasses: they are immutable all the same and
# cost a tenth of the import time, which every pre-commit run pays.
class Layer(NamedTuple):
    """One layer of settings: selector -> severity, or None for disabled."""

    name: str
    rules: Mapping[str, Severity | None] = _NO_RULES
    enable: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        name: str,
        *,
        disable: Iterable[str] = (),
        enable: Iterable[str] = (),
        severity: Mapping[str, object] | None = None,
    ) -> Layer:
        """Check the selectors against the code catalogue and merge them into one layer."""
        rules: dict[str, Severity | None] = {}
        disable_set = {_selector(s, f"{name}: disable") for s in disable}
        enable_set = {_selector(s, f"{name}: enable") for s in enable}
        both = disable_set & enable_set
        if both:
            raise ConfigError(f"{name}: {', '.join(sorted(both))} both enabled and disabled")
        for sel in disable_set:
            rules[sel] = None
        for sel, value in (severity or {}).items():
            sel = _selector(sel, f"{name}: severity")
            sev = _severity(value, f"{name}: severity {sel}")
            if sel in rules and rules[sel] != sev:
                raise ConfigError(f"{name}: {sel} is disabled and given a severity")
            if sev is None and sel in enable_set:
                raise ConfigError(f"{name}: {sel} both enabled and disabled")
            rules[sel] = sev
        for sel, sev in rules.items():
            _check_protected(sel, sev, name)
        return cls(name, rules, frozenset(enable_set))


def _known_codes() -> list[str]:
    from dls.codes import CATALOG

    return sorted(CATALOG)


def _selector(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {value!r} is not a finding code")
    sel = value.strip().upper()
    known = _known_codes()
    if sel in known or (sel.startswith("DLS-") and any(c.startswith(sel) for c in known)):
        return sel
    close = _close(sel, known)
    raise ConfigError(
        f"{where}: unknown finding code {value!r}",
        hint=f"did you mean {close[0]}?" if close else "see `dls explain` for the codes",
    )


def _close(word: str, candidates: Iterable[str]) -> list[str]:
    import difflib  # only on the error path

    return difflib.get_close_matches(word, list(candidates), n=1)


def _check_protected(sel: str, sev: Severity | None, where: str) -> None:
    if sel not in protected_codes():
        return
    from dls.codes import CATALOG

    accepted = sel == accepted_loss_code()
    fallback = Severity.INFO if accepted else Severity.ERROR
    default = CATALOG[sel].severity if sel in CATALOG else fallback
    if sev is None or sev < default:
        why = (
            "accepted losses are always reported (raise them to warning or error if you like)"
            if accepted
            else "the file would pass without being checked"
        )
        raise ConfigError(f"{where}: {sel} cannot be disabled or downgraded: {why}")


def _matches(sel: str, code: str) -> bool:
    return code == sel or (sel != code and code.startswith(sel))


def _layer_setting(layer: Layer, code: str) -> tuple[bool, Severity | None] | None:
    """(True, severity-or-None) if the layer says something about ``code``; None if silent."""
    best: tuple[int, tuple[bool, Severity | None]] | None = None
    protected = code in protected_codes()
    for sel, sev in layer.rules.items():
        skip = protected and sel != code  # prefixes never touch protected codes
        if _matches(sel, code) and not skip and (best is None or len(sel) > best[0]):
            best = (len(sel), (True, sev))
    for sel in layer.enable:
        if _matches(sel, code) and (best is None or len(sel) > best[0]):
            best = (len(sel), (False, None))  # enable: back on, severity from below
    return None if best is None else best[1]


class Policy(NamedTuple):
    """The layers in force, lowest first, and the fail-on level."""

    layers: tuple[Layer, ...] = ()
    fail_on: Severity = Severity.ERROR

    def severity(self, code: str, default: Severity) -> Severity | None:
        """The effective severity of a finding, or None when its code is disabled."""
        current: Severity | None = default
        set_by_layer: Severity | None = default
        for layer in self.layers:
            said = _layer_setting(layer, code)
            if said is None:
                continue
            explicit, sev = said
            if explicit:
                current = sev
                if sev is not None:
                    set_by_layer = sev
            else:  # enable
                current = set_by_layer
        return current

    def apply(self, report: Report) -> Report:
        """A report with disabled findings dropped and severities overridden."""
        files = []
        for fr in report.files:
            kept: list[Finding] = []
            for f in fr.findings:
                sev = self.severity(f.code, f.severity)
                if sev is not None:
                    kept.append(f if sev is f.severity else f.with_severity(sev))
            files.append(_copy_file(fr, kept))
        return Report(files)

    def fails(self, report: Report) -> bool:
        """True when a finding reaches fail-on or a file could not be checked."""
        return report.could_not_run or any(
            f.severity.rank >= self.fail_on.rank for _, f in report.findings()
        )


def _copy_file(fr: FileReport, findings: list[Finding]) -> FileReport:
    return replace(fr, findings=findings)


# -- configuration files ---------------------------------------------------------------------


class Config(NamedTuple):
    """What a configuration file says; empty when there is none."""

    source: Path | None = None
    fail_on: Severity | None = None
    layer: Layer = Layer("config")


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file in force for ``start`` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_dls(pyproject):
            return pyproject
        if (directory / ".git").exists():
            break
    return None


# A [tool.dls] table, a [tool.dls.x] sub-table or a dotted key "tool.dls.x = ..." (quotes and
# spaces allowed). Checked on the text first so a pyproject.toml without dls settings costs no
# TOML parse (and no tomllib import) on every run.
_TOOL_DLS = re.compile(
    r"""^\s*(?:\[\s*"?tool"?\s*\.\s*"?dls"?\s*[\].]|"?tool"?\s*\.\s*"?dls"?\s*\.)""",
    re.MULTILINE,
)
_TOOL_TABLE = re.compile(r"""^\s*\[\s*"?tool"?\s*\]""", re.MULTILINE)


def _has_tool_dls(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if _TOOL_DLS.search(text):
        return True
    if "dls" in text and _TOOL_TABLE.search(text):  # [tool] with dls = {...} inside
        return "dls" in _read_toml(pyproject).get("tool", {})
    return False


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read ``path``, or the file :func:`find_config` finds; an empty Config if none."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config()
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        table = _read_toml(path).get("tool", {}).get("dls", {})
        where = f"{path} [tool.dls]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: must be a table")
        return parse_config(table, where, source=path)
    return parse_config(_read_yaml(path), str(path), source=path)


def parse_config(data: Mapping[str, Any], where: str, *, source: Path | None = None) -> Config:
    """Check a configuration mapping and turn it into a Config."""
    normalised: dict[str, Any] = {}
    for key, value in data.items():
        canon = str(key).replace("_", "-")
        if canon not in KEYS:
            close = _close(canon, KEYS)
            raise ConfigError(
                f"{where}: unknown key {key!r}",
                hint=f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(KEYS)}",
            )
        normalised[canon] = value
    fail_on = None
    if "fail-on" in normalised:
        fail_on = parse_fail_on(normalised["fail-on"], f"{where}: fail-on")
    disable = _code_list(normalised.get("disable", []), f"{where}: disable")
    enable = _code_list(normalised.get("enable", []), f"{where}: enable")
    severity = normalised.get("severity", {})
    if not isinstance(severity, Mapping):
        raise ConfigError(f"{where}: severity must be a mapping of code to level")
    layer = Layer.build(where, disable=disable, enable=enable, severity=severity)
    return Config(source, fail_on, layer)


def _code_list(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ConfigError(f"{where}: must be a list of finding codes")


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read TOML: {exc}") from None


def _read_yaml(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    from dls._yaml import parse

    parsed = parse(text, max_depth=16, max_nodes=10_000)
    if parsed.failed and [f.code for f in parsed.findings] == ["DLS-P002"]:
        return {}  # an empty file (or only comments): no settings
    problems = [f for f in parsed.findings if f.severity is Severity.ERROR]
    if parsed.failed or problems:
        first = (problems or parsed.findings)[0]
        raise ConfigError(f"{path}:{first.line}:{first.column}: {first.message}")
    if parsed.data is None:
        return {}
    if not isinstance(parsed.data, dict):
        raise ConfigError(f"{path}:1:1: the configuration must be a mapping")
    return parsed.data


def policy(
    *,
    config: Config | None = None,
    scenario: Layer | None = None,
    cli: Layer | None = None,
    fail_on: Severity | None = None,
) -> Policy:
    """Stack the layers: code defaults < scenario < config file < command line."""
    layers = tuple(layer for layer in (scenario, config.layer if config else None, cli) if layer)
    level = fail_on or (config.fail_on if config else None) or Severity.ERROR
    return Policy(layers, level)
