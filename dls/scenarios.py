"""Scenarios: which categories matter, what counts as evidence, how much loss is tolerated.

A scenario file (``format: dls-scenario/v1``) is data. This module loads the
built-in library (``scenarios/*.dls-scenario.yaml``, shipped in the wheel) and
users' own files, resolves ``extends`` (parents applied in order, the child's
settings last; mappings merge key by key, lists and scalars replace), and
answers one question for the target rules: for this category and metric, what
is the requirement, the tolerance, the minimum number of items...

Problems in scenario files are findings placed in the file that has them
(``DLS-C``); a parent that cannot be found or an inheritance cycle is reported
at the ``extends`` entry that names it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dls import registry
from dls._resources import data_dir
from dls.errors import ScenarioError
from dls.findings import Finding, Path_, Severity
from dls.rulekit import Problem, get, locate
from dls.scenario_model import (
    REQUIREMENTS,
    CategoryTarget,
    MetricTarget,
    ResolvedScenario,
    build,
)

if TYPE_CHECKING:
    from dls.loader import Document

__all__ = [
    "FORMAT",
    "REQUIREMENTS",
    "SUFFIX",
    "CategoryTarget",
    "Loaded",
    "MetricTarget",
    "ResolvedScenario",
    "builtin",
    "builtin_ids",
    "check_scenario_document",
    "content_sha256",
    "load_builtin",
    "load_file",
    "merge",
    "resolve",
    "suggest",
]

FORMAT = "dls-scenario/v1"
SUFFIX = ".dls-scenario.yaml"

# -- loading --------------------------------------------------------------------------------------


def content_sha256(raw: bytes) -> str:
    """sha256 of a scenario file: its bytes with CRLF line endings read as LF.

    A checkout that converts line endings does not change the hash a statement pins.
    """
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


@dataclass(frozen=True, slots=True)
class _Source:
    key: tuple[str, str]  # ("built-in", id) or ("file", resolved path)
    doc: Document
    sha256: str
    origin: str  # "built-in" or the display path
    directory: Path


def builtin_dir() -> Path:
    return data_dir("scenarios")


@cache
def builtin_ids(include_abstract: bool = True) -> tuple[str, ...]:
    """Ids of the built-in scenarios, sorted."""
    out = []
    for path in sorted(builtin_dir().glob("*" + SUFFIX)):
        src = _load_builtin(path.name[: -len(SUFFIX)])
        if src is None or not isinstance(src.doc.data, dict):
            continue
        if include_abstract or src.doc.data.get("abstract") is not True:
            out.append(path.name[: -len(SUFFIX)])
    return tuple(out)


@cache
def _load_builtin(scenario_id: str) -> _Source | None:
    path = builtin_dir() / (scenario_id + SUFFIX)
    if "/" in scenario_id or "\\" in scenario_id or not path.is_file():
        return None
    return _load_file(path, ("built-in", scenario_id), "built-in", display=f"scenarios/{path.name}")


def _load_file(
    path: Path, key: tuple[str, str], origin: str, display: str | None = None
) -> _Source:
    from dls.loader import load_text

    raw = path.read_bytes()
    name = display or str(path).replace("\\", "/")
    doc = load_text(raw, name)
    return _Source(key, doc, content_sha256(raw), origin, path.parent)


def _load_user(path: Path) -> _Source:
    """A user's scenario file; OSError when it cannot be read."""
    resolved = path.resolve()
    if not resolved.is_file():
        raise FileNotFoundError(str(path))
    return _load_file(
        resolved,
        ("file", str(resolved)),
        str(path).replace("\\", "/"),
        str(path).replace("\\", "/"),
    )


def suggest(scenario_id: str) -> str | None:
    """The built-in id a misspelt one most likely meant."""
    import difflib  # only for a misspelt id

    match = difflib.get_close_matches(scenario_id, builtin_ids(), n=1, cutoff=0.6)
    return match[0] if match else None


# -- own-file checks ------------------------------------------------------------------------------


def _schema_findings(doc: Document, with_format: bool) -> list[Finding]:
    from dls import schema_check
    from dls.schemas import FORMATS

    if doc.data is None:
        return []
    if with_format:
        fmt, problems = schema_check.detect_format(doc.data)
        if fmt is None:
            return locate(problems, doc)
        if fmt.name != FORMAT:
            return locate(
                [
                    Problem(
                        "DLS-C007", f"expected a scenario ({FORMAT}), found {fmt.name}", ("format",)
                    )
                ],
                doc,
            )
    return locate(schema_check.schema_problems(doc.data, FORMATS[FORMAT], doc.scalars), doc)


def _content_problems(data: Any) -> Iterator[Problem]:
    """What the schema cannot say about a scenario's own content."""
    cats = get(data, "categories")
    if not isinstance(cats, dict):
        return
    for key, raw in cats.items():
        if not isinstance(raw, dict) or key not in registry.CATEGORY_KEYS:
            continue
        accepted = raw.get("accepted_metrics")
        listed = [m for m in accepted if isinstance(m, str)] if isinstance(accepted, list) else None
        for i, mid in enumerate(listed or []):
            m = registry.metric(mid)
            if m is not None and key not in m.categories:
                yield Problem(
                    "DLS-C003",
                    f"{mid} is evidence for {', '.join(m.categories)} in the registry, not {key}",
                    ("categories", key, "accepted_metrics", i),
                )
        per = raw.get("per_metric")
        per = per if isinstance(per, dict) else {}
        for mid in per:
            if not isinstance(mid, str):
                continue
            m = registry.metric(mid)
            if listed is not None:
                unused = mid not in listed
            else:
                unused = mid.startswith("x-") is False and (m is None or key not in m.categories)
            if unused:
                yield Problem(
                    "DLS-C004",
                    f"per_metric sets {mid}, which the {key} category does not accept; "
                    "the setting never applies",
                    ("categories", key, "per_metric", mid),
                    at_key=True,
                )
        for i, mid in enumerate(listed or []):
            if (
                mid.startswith("x-")
                and "tolerance" not in raw
                and "tolerance" not in (per.get(mid) or {})
            ):
                yield Problem(
                    "DLS-C005",
                    f"custom metric {mid} has no tolerance here; its verdicts will be inconclusive",
                    ("categories", key, "accepted_metrics", i),
                )


# -- resolution -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Resolved:
    data: dict[str, Any] | None  # merged content; None when it cannot be resolved
    chain: tuple[str, ...]  # this scenario and its ancestors, nearest first
    problems: list[tuple[str, str]]  # (code, message) of what went wrong, for the child
    layers: tuple[
        tuple[tuple[str, str], str, dict[str, Any]], ...
    ] = ()  # (key, id, own), base first


class _Resolver:
    """Resolves ``extends`` chains.

    Each scenario's own settings are applied in one linear order, most general first: the
    parents' orders concatenated (earlier parents first), then the scenario itself, keeping
    the first place of a scenario reached twice. In a diamond (two parents sharing ``base``)
    ``base`` is applied once, first, and cannot undo what a later parent set.
    """

    def resolve(
        self, src: _Source, stack: tuple[tuple[str, str], ...] = ()
    ) -> tuple[_Resolved, list[Problem]]:
        """The merged data of ``src`` and the problems at its ``extends`` entries."""
        data = src.doc.data if isinstance(src.doc.data, dict) else None
        if data is None:
            return _Resolved(None, (), [("DLS-C006", "it is not a scenario document")]), []
        name = str(data.get("id", src.origin))
        stack = (*stack, src.key)
        layers: list[tuple[tuple[str, str], str, dict[str, Any]]] = []
        problems: list[Problem] = []
        failures: list[tuple[str, str]] = []
        for entry_path, entry in _parents(data):
            parent, problem = self._parent(src, entry_path, entry, stack)
            if problem is not None:
                problems.append(problem)
                failures.append((problem.code, problem.message))
                continue
            if parent is None:
                continue  # a malformed entry: the schema reports it
            seen = {key for key, _, _ in layers}
            layers.extend(layer for layer in parent.layers if layer[0] not in seen)
        own = {k: v for k, v in data.items() if k not in ("extends", "abstract", "references")}
        own["references"] = data.get("references")
        layers.append((src.key, name, own))
        merged: dict[str, Any] = {}
        references: list[Any] = []
        for _, _, layer in layers:
            references = _references(references, layer.get("references"))
            merged = merge(merged, {k: v for k, v in layer.items() if k != "references"})
        merged["abstract"] = data.get("abstract") is True
        merged["references"] = references
        chain = tuple(layer_id for _, layer_id, _ in reversed(layers))
        result = _Resolved(None if failures else merged, chain, failures, tuple(layers))
        return result, problems

    def _parent(
        self, child: _Source, entry_path: Path_, entry: Any, stack: tuple[tuple[str, str], ...]
    ) -> tuple[_Resolved | None, Problem | None]:
        pin_version: int | None = None
        pin_sha: str | None = None
        src: _Source | None
        if isinstance(entry, str) or (isinstance(entry, dict) and "id" in entry):
            pid = entry if isinstance(entry, str) else entry.get("id")
            if not isinstance(pid, str):
                return None, None
            pin_version = entry.get("version") if isinstance(entry, dict) else None
            src = _load_builtin(pid)
            if src is None:
                guess = suggest(pid)
                return None, Problem(
                    "DLS-C001",
                    f"unknown parent scenario {pid!r}"
                    + (f" (did you mean {guess!r}?)" if guess else ""),
                    entry_path,
                    hint="built-in scenarios: "
                    + ", ".join(builtin_ids())
                    + "; a file is {path: FILE}",
                    data={"suggestion": guess} if guess else {},
                )
            label = pid
        elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
            rel = entry["path"]
            pin_sha = entry.get("sha256") if isinstance(entry.get("sha256"), str) else None
            try:
                src = _load_user(child.directory / rel)
            except (OSError, ValueError):
                return None, Problem(
                    "DLS-C001",
                    f"parent scenario file {rel!r} does not exist (relative to {child.origin})",
                    entry_path,
                )
            label = rel
        else:
            return None, None  # the schema reports the malformed entry
        if src.key in stack:
            names = [_label(k) for k in stack[stack.index(src.key) :]] + [_label(src.key)]
            return None, Problem("DLS-C002", "extends cycle: " + " -> ".join(names), entry_path)
        bad = _error_findings(src)
        if bad:
            first = bad[0]
            return None, Problem(
                "DLS-C006",
                f"parent scenario {label!r} is invalid ({len(bad)} error(s); "
                f"first at line {first.line}: {first.message})",
                entry_path,
            )
        pdata = src.doc.data if isinstance(src.doc.data, dict) else {}
        if pin_version is not None and pdata.get("version") != pin_version:
            return None, Problem(
                "DLS-C008",
                f"extends {label!r} version {pin_version}, "
                f"but the parent is version {pdata.get('version')}",
                (*entry_path, "version") if isinstance(entry, dict) else entry_path,
            )
        if pin_sha is not None and pin_sha != src.sha256:
            return None, Problem(
                "DLS-C009",
                f"parent scenario file {label!r} has sha256 {src.sha256}, not the pinned {pin_sha}",
                (*entry_path, "sha256"),
            )
        resolved, _ = self.resolve(src, stack)
        if resolved.data is None:
            codes_ = [c for c, _ in resolved.problems]
            code = "DLS-C002" if "DLS-C002" in codes_ else "DLS-C006"
            msg = resolved.problems[0][1] if resolved.problems else "it does not resolve"
            if code == "DLS-C002":
                return None, Problem(code, msg, entry_path)
            return None, Problem(
                code, f"parent scenario {label!r} does not resolve: {msg}", entry_path
            )
        return resolved, None


def _label(key: tuple[str, str]) -> str:
    return key[1] if key[0] == "built-in" else Path(key[1]).name


def _parents(data: Mapping[str, Any]) -> Iterator[tuple[Path_, Any]]:
    ext = data.get("extends")
    if ext is None:
        return
    if isinstance(ext, list):
        for i, entry in enumerate(ext):
            yield ("extends", i), entry
    else:
        yield ("extends",), ext


def _references(inherited: Any, own: Any) -> list[Any]:
    out: list[Any] = []
    seen: set[str] = set()
    for group in (inherited, own):
        for ref in group if isinstance(group, list) else []:
            title = ref.get("title") if isinstance(ref, dict) else None
            if isinstance(title, str) and title not in seen:
                seen.add(title)
                out.append(ref)
    return out


_MERGED_MAPPINGS = {("defaults",), ("categories",), ("justification",)}


def merge(base: Mapping[str, Any], over: Mapping[str, Any], at: Path_ = ()) -> dict[str, Any]:
    """``over`` applied on ``base``: mappings merge key by key, lists and scalars replace."""
    out = dict(base)
    for key, value in over.items():
        here = (*at, key)
        old = out.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping) and _mergeable(here):
            out[key] = merge(old, value, here)
        else:
            out[key] = value
    return out


def _mergeable(path: Path_) -> bool:
    """Which mappings merge: defaults, categories, each category, per_metric and each entry."""
    if path in _MERGED_MAPPINGS:
        return True
    if len(path) == 2 and path[0] == "categories":
        return True
    if len(path) == 3 and path[0] == "categories" and path[2] == "per_metric":
        return True
    return len(path) == 4 and path[0] == "categories" and path[2] == "per_metric"


def _error_findings(src: _Source) -> list[Finding]:
    bundled = src.key[0] == "built-in"
    return [f for f in _file_findings(src, bundled=bundled) if f.severity is Severity.ERROR]


def _file_findings(src: _Source, *, bundled: bool = False) -> list[Finding]:
    """Parse, format, schema and content findings of one scenario file (not its parents).

    Bundled scenarios skip the schema stage: the test suite validates every one of them
    against the scenario schema, and compiling that schema is most of the cost of a
    one-file ``dls validate`` run.
    """
    out = list(src.doc.findings)
    if src.doc.data is None:
        return out
    if not bundled:
        out += _schema_findings(src.doc, with_format=True)
    out += locate(_content_problems(src.doc.data), src.doc)
    return out


# -- public API -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    """A scenario looked up for a statement: resolved, or the findings that prevent it."""

    scenario: ResolvedScenario | None
    findings: tuple[Finding, ...]  # every finding of the file itself (its parents' show as one)
    source: str


def _resolve_source(src: _Source, *, bundled: bool = False) -> Loaded:
    own = _file_findings(src, bundled=bundled)
    result, problems = _Resolver().resolve(src)
    found = [*own, *locate(problems, src.doc)]
    if result.data is None or any(f.severity is Severity.ERROR for f in found):
        return Loaded(None, tuple(found), src.origin)
    return Loaded(
        build(result.data, source=src.origin, sha256=src.sha256, chain=result.chain),
        tuple(found),
        src.origin,
    )


def load_builtin(scenario_id: str) -> Loaded | None:
    """A built-in scenario by id, resolved; None when there is no such built-in."""
    src = _load_builtin(scenario_id)
    return None if src is None else _resolve_builtin(scenario_id)


@cache
def _resolve_builtin(scenario_id: str) -> Loaded:
    src = _load_builtin(scenario_id)
    assert src is not None
    return _resolve_source(src, bundled=True)


def load_file(path: str | Path) -> Loaded:
    """A user's scenario file, resolved; OSError when it cannot be read."""
    return _resolve_source(_load_user(Path(path)))


def builtin(scenario_id: str) -> ResolvedScenario:
    """A built-in scenario; ScenarioError when unknown or broken."""
    return resolve(scenario_id)


def resolve(ref: str, *, base_dir: Path | None = None) -> ResolvedScenario:
    """A scenario named on the command line: a scenario file's path or a built-in id.

    A path is tried first when a file exists there or the name ends like one;
    ScenarioError when nothing resolves (dls exits 2).
    """
    path = Path(ref) if base_dir is None else base_dir / ref
    looks_like_file = ref.endswith((".yaml", ".yml", ".json")) or "\\" in ref
    if path.is_file() or looks_like_file:
        try:
            loaded = load_file(path)
        except (OSError, ValueError) as exc:
            why = "does not exist" if isinstance(exc, FileNotFoundError) else "cannot be read"
            raise ScenarioError(f"scenario file {ref!r} {why}", hint="check the path") from None
    else:
        found = load_builtin(ref)
        if found is None:
            guess = suggest(ref)
            raise ScenarioError(
                f"unknown scenario {ref!r}" + (f"; did you mean {guess!r}?" if guess else ""),
                hint="`dls scenarios list` shows the built-in scenarios; a file path works too",
            )
        loaded = found
    if loaded.scenario is None:
        errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
        first = errors[0] if errors else None
        detail = f"; first at line {first.line}: {first.code} {first.message}" if first else ""
        raise ScenarioError(
            f"scenario {ref!r} is invalid ({len(errors)} error(s){detail})",
            hint=f"run `dls validate {ref}` to see every problem"
            if looks_like_file or path.is_file()
            else None,
        )
    return loaded.scenario


def check_scenario_document(doc: Document, *, base_dir: Path | None = None) -> list[Finding]:
    """Schema, content and inheritance findings of a scenario file given to ``dls validate``.

    Parse and format findings are the caller's (they come before the kind is known).
    """
    if not isinstance(doc.data, dict):
        return []
    directory = base_dir if base_dir is not None else Path(doc.name).parent
    found = _schema_findings(doc, with_format=False)
    found += locate(_content_problems(doc.data), doc)
    raw = doc.text.encode("utf-8") if doc.text is not None else b""
    try:
        key = ("file", str((directory / Path(doc.name).name).resolve()))
    except (OSError, ValueError):
        key = ("file", doc.name)
    src = _Source(key, doc, content_sha256(raw), doc.name, directory)
    _, problems = _Resolver().resolve(src)
    found += locate(problems, doc)
    return found
