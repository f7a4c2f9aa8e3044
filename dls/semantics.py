"""Semantic rules: what the schema cannot say about one statement.

Each rule is a small generator over the statement's data yielding ``Problem``s
with a document path; ``check`` runs them all and the engine places them. Rules
never assume the schema passed: they look values up defensively
(``rulekit.get``/``number``) so that a half-broken statement still gets every
finding it deserves and never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dls import registry
from dls.files import sha256_file
from dls.findings import Finding, Path_
from dls.numbers import precision_at, within
from dls.placeholders import placeholder_reason
from dls.rulekit import Problem, get, locate, number


@dataclass(frozen=True, slots=True)
class Context:
    """What rules may look at besides the data."""

    data: Any
    scalars: Mapping[Path_, str]
    base_dir: Path | None
    check_evidence: bool = True


Rule = Callable[[Context], Iterator[Problem]]


def iter_findings(data: Any) -> Iterator[tuple[str, Path_, dict[str, Any]]]:
    """(category, path, finding) for every finding of every category."""
    cats = get(data, "categories")
    if not isinstance(cats, dict):
        return
    for cat, section in cats.items():
        items = get(section, "findings")
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield cat, ("categories", cat, "findings", i), item


def unique_ids(ctx: Context) -> Iterator[Problem]:
    """Finding ids and evidence ids are each unique within the statement."""
    seen: dict[str, Path_] = {}
    for _, path, item in iter_findings(ctx.data):
        fid = item.get("id")
        if isinstance(fid, str):
            if fid in seen:
                yield Problem(
                    "DLS-R001",
                    f"finding id {fid!r} is used twice (first at {'.'.join(map(str, seen[fid]))})",
                    (*path, "id"),
                )
            else:
                seen[fid] = path
    evidence = get(ctx.data, "evidence")
    seen_ev: set[str] = set()
    for i, ev in enumerate(evidence if isinstance(evidence, list) else []):
        eid = get(ev, "id")
        if isinstance(eid, str):
            if eid in seen_ev:
                yield Problem(
                    "DLS-R001", f"evidence id {eid!r} is used twice", ("evidence", i, "id")
                )
            seen_ev.add(eid)


def _value_precision(ctx: Context, path: Path_, item: dict[str, Any]) -> float:
    return precision_at(ctx.scalars, path, number(item.get("precision")))


def difference_matches(ctx: Context) -> Iterator[Problem]:
    """A recorded difference equals student minus teacher, within written precision."""
    for _, path, item in iter_findings(ctx.data):
        t, s, d = (
            number(item.get("teacher")),
            number(item.get("student")),
            number(item.get("difference")),
        )
        if t is None or s is None or d is None:
            continue
        tol = sum(
            _value_precision(ctx, (*path, k), item) for k in ("teacher", "student", "difference")
        )
        if not within(d, s - t, tol):
            yield Problem(
                "DLS-R002",
                f"difference {d:g} does not equal student - teacher = {s:g} - {t:g} = {s - t:.6g}",
                (*path, "difference"),
                data={"expected": s - t, "recorded": d},
            )


def interval_sane(ctx: Context) -> Iterator[Problem]:
    """An interval is ordered and contains the difference it is about."""
    for _, path, item in iter_findings(ctx.data):
        lo, hi = number(get(item, "interval", "lower")), number(get(item, "interval", "upper"))
        if lo is None or hi is None:
            continue
        ipath = (*path, "interval")
        if lo > hi:
            yield Problem(
                "DLS-R003", f"interval lower bound {lo:g} exceeds its upper bound {hi:g}", ipath
            )
            continue
        t, s, d = (
            number(item.get("teacher")),
            number(item.get("student")),
            number(item.get("difference")),
        )
        diff = d if d is not None else (s - t if s is not None and t is not None else None)
        if diff is None:
            continue
        tol = sum(_value_precision(ctx, (*ipath, k), item) for k in ("lower", "upper"))
        tol += sum(_value_precision(ctx, (*path, k), item) for k in ("teacher", "student"))
        if not (lo - tol <= diff <= hi + tol):
            yield Problem(
                "DLS-R003",
                f"interval [{lo:g}, {hi:g}] does not contain the difference "
                f"{diff:.6g}; it must be an interval on student - teacher",
                ipath,
            )


def values_in_range(ctx: Context) -> Iterator[Problem]:
    """Values lie in the metric's valid range (registry, or the custom range declared)."""
    for _, path, item in iter_findings(ctx.data):
        mid = item.get("metric")
        m = registry.metric(mid) if isinstance(mid, str) else None
        if m is not None:
            lo, hi, code, unit = m.range[0], m.range[1], "DLS-R004", f" ({m.unit})"
        else:
            rng = item.get("range")
            if not isinstance(rng, list) or len(rng) != 2:
                continue
            lo, hi, code, unit = number(rng[0]), number(rng[1]), "DLS-R014", ""
        for role in ("teacher", "student"):
            v = number(item.get(role))
            if v is None:
                continue
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                shown = (
                    f"[{'-inf' if lo is None else f'{lo:g}'}, {'inf' if hi is None else f'{hi:g}'}]"
                )
                hint = (
                    "percentages are written as proportions: 91.3% is 0.913"
                    if m is not None and m.unit == "proportion" and v > 1
                    else None
                )
                yield Problem(
                    code,
                    f"{role} value {v:g} is outside the valid range {shown} of {mid}{unit}",
                    (*path, role),
                    hint=hint,
                )


def metric_fits_category(ctx: Context) -> Iterator[Problem]:
    """Registry metrics are filed under a category they belong to."""
    for cat, path, item in iter_findings(ctx.data):
        mid = item.get("metric")
        m = registry.metric(mid) if isinstance(mid, str) else None
        if m is not None and cat not in m.categories:
            yield Problem(
                "DLS-R005",
                f"metric {mid!r} belongs to {', '.join(m.categories)}, not {cat}",
                (*path, "metric"),
            )


def direction_only_for_custom(ctx: Context) -> Iterator[Problem]:
    """Registry metrics take their direction from the registry."""
    for _, path, item in iter_findings(ctx.data):
        mid, direction = item.get("metric"), item.get("direction")
        m = registry.metric(mid) if isinstance(mid, str) else None
        if m is not None and isinstance(direction, str) and direction != m.direction:
            yield Problem(
                "DLS-R006",
                f"{mid} is {m.direction.replace('_', ' ')} in the registry, "
                f"not {direction.replace('_', ' ')}",
                (*path, "direction"),
            )


def references_resolve(ctx: Context) -> Iterator[Problem]:
    """Headline and evidence references name things the statement declares."""
    evidence = get(ctx.data, "evidence")
    declared = {get(e, "id") for e in evidence} if isinstance(evidence, list) else set()
    cited: set[str] = set()
    ids = set()
    for _, path, item in iter_findings(ctx.data):
        ids.add(item.get("id"))
        refs = item.get("evidence")
        for i, ref in enumerate(refs if isinstance(refs, list) else []):
            cited.add(ref)
            if isinstance(ref, str) and ref not in declared:
                yield Problem(
                    "DLS-R007",
                    f"evidence {ref!r} is not declared under 'evidence'",
                    (*path, "evidence", i),
                )
    headline = get(ctx.data, "headline")
    for i, ref in enumerate(headline if isinstance(headline, list) else []):
        if isinstance(ref, str) and ref not in ids:
            yield Problem(
                "DLS-R010", f"headline cites finding {ref!r}, which does not exist", ("headline", i)
            )
    for i, ev in enumerate(evidence if isinstance(evidence, list) else []):
        eid = get(ev, "id")
        if isinstance(eid, str) and eid not in cited:
            yield Problem(
                "DLS-R013", f"evidence {eid!r} is not cited by any finding", ("evidence", i, "id")
            )


def evidence_files(ctx: Context) -> Iterator[Problem]:
    """Evidence files exist next to the statement and match their recorded hashes."""
    evidence = get(ctx.data, "evidence")
    if not ctx.check_evidence or ctx.base_dir is None or not isinstance(evidence, list):
        return
    root = ctx.base_dir.resolve()
    for i, ev in enumerate(evidence):
        rel, digest = get(ev, "path"), get(ev, "sha256")
        if not isinstance(rel, str) or not rel.strip():
            continue
        path = (root / rel).resolve()
        if Path(rel).is_absolute() or not path.is_relative_to(root):
            yield Problem(
                "DLS-R012",
                f"evidence path {rel!r} leaves the statement's directory",
                ("evidence", i, "path"),
            )
        if not path.is_file():
            yield Problem(
                "DLS-R008",
                f"evidence file {rel!r} does not exist (relative to the statement's directory)",
                ("evidence", i, "path"),
            )
            continue
        if isinstance(digest, str):
            actual = sha256_file(path)
            if actual != digest:
                yield Problem(
                    "DLS-R009",
                    f"evidence file {rel!r} has sha256 {actual}, not the recorded one",
                    ("evidence", i, "sha256"),
                    data={"actual": actual},
                )


def reasons_say_something(ctx: Context) -> Iterator[Problem]:
    """A category left out gives a real reason, not a placeholder."""
    cats = get(ctx.data, "categories")
    for cat, section in cats.items() if isinstance(cats, dict) else []:
        if get(section, "assessment") in ("not_assessed", "not_applicable") and "reason" in section:
            why = placeholder_reason(section["reason"])
            if why:
                yield Problem(
                    "DLS-R011",
                    f"the reason for leaving {cat} {section['assessment'].replace('_', ' ')} "
                    f"says nothing: {why}",
                    ("categories", cat, "reason"),
                )


_HIDDEN = {
    **{chr(c): "a bidirectional control" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    **{chr(c): "an invisible character" for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)},
}
_HIDDEN_RE = re.compile("[" + "".join(_HIDDEN) + "]")


def no_hidden_text(ctx: Context) -> Iterator[Problem]:
    """Text carries no bidirectional controls or invisible characters.

    They can make a rendered statement read differently from its source
    ("Trojan Source", CVE-2021-42574), so a reviewer would approve one text and
    publish another.
    """
    stack: list[tuple[Any, Path_]] = [(ctx.data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            match = _HIDDEN_RE.search(node)
            if match is not None:
                bad = match.group()
                yield Problem(
                    "DLS-R016",
                    f"text contains {_HIDDEN[bad]} (U+{ord(bad):04X}) that "
                    "can make it display differently from what it says",
                    path,
                )
        elif isinstance(node, dict):
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))


def final_is_signed(ctx: Context) -> Iterator[Problem]:
    """A final statement carries a sign-off."""
    if get(ctx.data, "status") == "final" and not get(ctx.data, "sign_off"):
        yield Problem(
            "DLS-R015",
            "the statement is final but has no sign_off",
            ("status",),
            hint="add a sign_off entry, or keep status: draft",
        )


RULES: tuple[Rule, ...] = (
    unique_ids,
    difference_matches,
    interval_sane,
    values_in_range,
    metric_fits_category,
    direction_only_for_custom,
    references_resolve,
    evidence_files,
    reasons_say_something,
    no_hidden_text,
    final_is_signed,
)


def check(doc: Any, *, base_dir: Path | None, check_evidence: bool = True) -> list[Finding]:
    """Semantic findings of a loaded statement."""
    if not isinstance(doc.data, dict):
        return []
    ctx = Context(doc.data, doc.scalars, base_dir, check_evidence)
    problems = [p for rule in RULES for p in rule(ctx)]
    return locate(problems, doc)
