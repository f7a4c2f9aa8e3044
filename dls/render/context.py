"""The view model: a statement, its verdicts and its scenario as plain data.

Templates only see what this module builds: dicts, lists, strings and numbers,
with every number already formatted. Statement text stays raw here; escaping
is the output format's job (see dls.render.text). The builder takes the
statement data, the verdict rows and the scenario as arguments, so rendering
can be tested without running the validation pipeline.

Honesty rules live here, not in templates: every one of the nine categories
appears in the summary; a category missing from the statement is "not
accounted for", never preserved; a finding without a computed verdict shows
its claimed status marked as unchecked; inconclusive is never preserved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dls import registry
from dls._version import __version__
from dls.render import text

# Worst first: the summary shows the worst verdict of a category.
_RANK = {"lost": 4, "inconclusive": 3, "preserved": 2, "improved": 1}
_DIRECTION_SYMBOL = {"higher_is_better": "↑", "lower_is_better": "↓"}
_DERIVED = {"stderr": "the standard errors", "binomial": "the item counts (Wilson/Newcombe)"}
_METHOD_TITLES = {
    "logit": "logit",
    "sequence_level": "sequence-level",
    "on_policy": "on-policy",
    "chain_of_thought": "chain-of-thought",
    "feature": "feature",
    "other": "other",
}


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """What the renderer needs of a resolved scenario."""

    id: str
    version: int | None = None
    title: str | None = None
    requirements: Mapping[str, str] = field(default_factory=dict)
    """Category key -> required | recommended | optional."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding shown in the banner of a statement rendered with --allow-invalid."""

    code: str
    severity: str
    message: str
    line: int
    column: int
    pointer: str


def _map(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else empty (invalid statements can be rendered too)."""
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def scenario_info(obj: Any) -> ScenarioInfo | None:
    """Adapt a resolved scenario (any object or mapping with id/version/title) to ScenarioInfo."""
    if obj is None:
        return None
    if isinstance(obj, ScenarioInfo):
        return obj
    reqs: dict[str, str] = {}
    cats = _get(obj, "categories") or {}
    lookup = getattr(obj, "category", None)
    if callable(lookup):  # dls.scenarios.ResolvedScenario: unnamed categories are optional
        for key in registry.CATEGORY_KEYS:
            level = getattr(lookup(key), "requirement", None)
            if isinstance(level, str):
                reqs[key] = level
    elif isinstance(cats, Mapping):
        for key, target in cats.items():
            level = target if isinstance(target, str) else _get(target, "requirement")
            if isinstance(level, str):
                reqs[str(key)] = level
    version = _get(obj, "version")
    return ScenarioInfo(
        id=str(_get(obj, "id", "")),
        version=version if isinstance(version, int) else None,
        title=_get(obj, "title"),
        requirements=reqs,
    )


def problems_of(findings: Iterable[Any]) -> list[Problem]:
    """Banner entries from dls findings (or any objects with the same fields)."""
    out = []
    for f in findings:
        sev = _get(f, "severity")
        out.append(
            Problem(
                code=str(_get(f, "code", "")),
                severity=str(getattr(sev, "value", sev)),
                message=str(_get(f, "message", "")),
                line=int(_get(f, "line", 1) or 1),
                column=int(_get(f, "column", 1) or 1),
                pointer=str(_get(f, "pointer", "")),
            )
        )
    return out


def _records(items: Any, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Mappings with exactly ``keys`` (absent ones None), so templates can test any of them."""
    if not isinstance(items, list):
        return []
    return [{k: item.get(k) for k in keys} for item in items if isinstance(item, Mapping)]


def _model(value: Any) -> dict[str, Any]:
    raw = _map(value)
    return {
        "name": raw.get("name", ""),
        "revision": raw.get("revision"),
        "parameters": text.count(raw.get("parameters")),
        "url": raw.get("url"),
        "license": raw.get("license"),
        "architecture": raw.get("architecture"),
        "notes": raw.get("notes"),
    }


def _metric_info(finding: Mapping[str, Any]) -> dict[str, Any]:
    mid = str(finding.get("metric", ""))
    reg = registry.metric(mid)
    direction = finding.get("direction") or (reg.direction if reg else None)
    target = finding.get("target", reg.target if reg else None)
    unit = finding.get("unit") or (reg.unit if reg else None)
    if direction == "closer_to":
        symbol = f"→ {text.number(target)}" if target is not None else "→"
    else:
        symbol = _DIRECTION_SYMBOL.get(str(direction), "")
    rng = finding.get("range") or (list(reg.range) if reg else None)
    return {
        "id": mid,
        "label": finding.get("title") or mid,
        "direction": direction,
        "direction_symbol": symbol,
        "target": target,
        "unit": unit,
        "range": rng,
        "custom": reg is None,
    }


def _seeds(seeds: list[Any]) -> str | None:
    """``1, 2, 3, 4, 7`` as ``1–4, 7``: long seed lists stay readable."""
    if not seeds:
        return None
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds):
        return ", ".join(str(s) for s in seeds)
    parts: list[str] = []
    start = prev = seeds[0]
    for s in [*seeds[1:], None]:
        if s is not None and s == prev + 1:
            prev = s
            continue
        parts.append(str(start) if prev - start < 2 else f"{start}–{prev}")
        if prev - start == 1:
            parts[-1] = f"{start}, {prev}"
        if s is not None:
            start = prev = s
    return ", ".join(parts)


def _evaluation(value: Any) -> dict[str, Any]:
    ev, judge, harness = (
        _map(value),
        _map(_map(value).get("judge")),
        _map(_map(value).get("harness")),
    )
    return {
        "benchmark": ev.get("benchmark", ""),
        "dataset": ev.get("dataset"),
        "revision": ev.get("revision"),
        "split": ev.get("split"),
        "n_items": ev.get("items"),
        "protocol": str(ev["protocol"]).rstrip(". ") if ev.get("protocol") else None,
        "seeds": _seeds(_list(ev.get("seeds"))),
        "judge": " ".join(str(x) for x in (judge.get("name"), judge.get("version")) if x) or None,
        "harness": " ".join(str(x) for x in (harness.get("name"), harness.get("version")) if x)
        or None,
        "pairing": ev.get("pairing"),
        "stress": ", ".join(str(s).replace("_", " ") for s in _list(ev.get("stress"))) or None,
    }


def _verdict_label(verdict: str, accepted: bool, blocking: bool) -> str:
    if verdict == "lost" and blocking:
        return "lost (blocking)"
    if verdict == "lost" and accepted:
        return "lost (accepted)"
    return verdict


def _finding_row(
    category: str, finding: Mapping[str, Any], row: Any | None, headline: set[str]
) -> dict[str, Any]:
    teacher = finding.get("teacher")
    student = finding.get("student")
    diff = _get(row, "difference") if row is not None else None
    if diff is None and isinstance(teacher, (int, float)) and isinstance(student, (int, float)):
        diff = student - teacher
    interval = _map(finding.get("interval"))
    lo = hi = level = method = None
    if interval:
        lo, hi = interval.get("lower"), interval.get("upper")
        level, method = interval.get("level"), interval.get("method")
    if row is not None and _get(row, "interval") is not None:
        lo, hi = _get(row, "interval")
        source = _get(row, "interval_source")
        if source not in (None, "stated"):  # derived by dls from stderr or item counts
            level, method = 0.95, f"derived by dls from {_DERIVED.get(source, source)}"
    claimed = str(finding.get("status", ""))
    checked = row is not None and _get(row, "verdict") is not None
    verdict = str(_get(row, "verdict")) if checked else claimed
    accepted = bool(_get(row, "accepted", False)) if row is not None else False
    blocking = bool(_get(row, "blocking", False)) if row is not None else False
    tol_text = _get(row, "tolerance_text") if row is not None else None
    if tol_text is None and row is not None and _get(row, "tolerance") is not None:
        tol_text = "± " + text.number(_get(row, "tolerance"))
    interval_text = None
    if lo is not None and hi is not None:
        interval_text = f"[{text.signed(lo)}, {text.signed(hi)}]"
        if level is not None:
            interval_text += f" {text.percent(level)}"
    label = _verdict_label(verdict, accepted, blocking)
    return {
        "id": str(finding.get("id", "")),
        "category": category,
        "metric": _metric_info(finding),
        "parameters": ", ".join(f"{k}={v}" for k, v in _map(finding.get("parameters")).items())
        or None,
        "parameter_values": dict(_map(finding.get("parameters"))),
        "teacher": text.number(teacher),
        "student": text.number(student),
        "teacher_value": teacher,
        "student_value": student,
        "difference": text.signed(diff),
        "difference_value": diff,
        "interval": interval_text,
        "interval_bounds": [lo, hi] if lo is not None and hi is not None else None,
        "interval_method": method,
        "tolerance": tol_text,
        "tolerance_value": _get(row, "tolerance") if row is not None else None,
        "verdict": verdict,
        "verdict_label": label if checked else f"{claimed} (claimed, not checked)",
        "checked": checked,
        "claimed": claimed,
        "agrees": (not checked) or claimed == verdict,
        "accepted": accepted,
        "blocking": blocking,
        "requirement": _get(row, "requirement") if row is not None else None,
        "headline": str(finding.get("id", "")) in headline,
        "evaluation": _evaluation(finding.get("evaluation")),
        "acceptable_because": finding.get("acceptable_because"),
        "mitigation": finding.get("mitigation"),
        "evidence": [str(e) for e in _list(finding.get("evidence"))],
        "notes": finding.get("notes"),
    }


def _summarise(rows: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(worst verdict, label) of a category's findings."""
    worst = max(rows, key=lambda r: _RANK.get(r["verdict"], 0))
    verdict = worst["verdict"]
    label = verdict
    if verdict == "lost":
        lost = [r for r in rows if r["verdict"] == "lost"]
        if any(r["blocking"] for r in lost):
            label = "lost (blocking)"
        elif all(r["accepted"] for r in lost):
            label = "lost (accepted)"
    if not any(r["checked"] for r in rows):
        label += " (claimed, not checked)"
    return verdict, label


def _tally(rows: Sequence[Mapping[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        key = _verdict_label(r["verdict"], r["accepted"], r["blocking"])
        if not r["checked"]:
            key += " (claimed)"
        counts[key] = counts.get(key, 0) + 1
    order = ["improved", "preserved", "inconclusive", "lost (accepted)", "lost", "lost (blocking)"]
    parts = [f"{counts[k]} {k}" for k in order if k in counts]
    parts += [f"{n} {k}" for k, n in counts.items() if k not in order]
    noun = "finding" if len(rows) == 1 else "findings"
    return f"{len(rows)} {noun}: " + ", ".join(parts)


def build(
    data: Mapping[str, Any],
    verdicts: Iterable[Any] = (),
    scenario: Any = None,
    *,
    problems: Iterable[Problem] = (),
) -> dict[str, Any]:
    """The view model of one statement.

    ``verdicts`` are dls.verdicts.VerdictRow objects (or mappings with the same
    fields), ``scenario`` a resolved scenario or ScenarioInfo (or None when no
    scenario was resolved), ``problems`` the findings shown in an invalid
    statement's banner.
    """
    reg = registry.load()
    data = _map(data)
    scen = scenario_info(scenario)
    by_finding: dict[tuple[str, str], Any] = {}
    for row in verdicts:
        by_finding[(str(_get(row, "category")), str(_get(row, "finding_id")))] = row
    headline_ids = {str(h) for h in _list(data.get("headline"))}
    cats_raw = _map(data.get("categories"))

    summary_rows: list[dict[str, Any]] = []
    categories: list[dict[str, Any]] = []
    unaccounted: list[dict[str, Any]] = []
    all_rows: list[dict[str, Any]] = []
    for key in registry.CATEGORY_KEYS:
        cat = reg.categories[key]
        raw = cats_raw.get(key)
        requirement = scen.requirements.get(key) if scen else None
        entry: dict[str, Any] = {
            "key": key,
            "title": cat.title,
            "definition": cat.definition,
            "requirement": requirement,
        }
        if not isinstance(raw, Mapping):
            entry.update(
                assessment="not_accounted_for",
                assessment_label="not accounted for",
                verdict=None,
                verdict_label="unknown",
                detail="Absent from the statement: unknown, never read as preserved.",
                reason=None,
                risk_accepted_by=None,
            )
            summary_rows.append(entry)
            unaccounted.append(entry)
            continue
        assessment = str(raw.get("assessment", ""))
        rows = [
            _finding_row(key, f, by_finding.get((key, str(f.get("id")))), headline_ids)
            for f in _list(raw.get("findings"))
            if isinstance(f, Mapping)
        ]
        if assessment == "assessed" and rows:
            verdict, label = _summarise(rows)
            entry.update(
                assessment="assessed",
                assessment_label="assessed",
                verdict=verdict,
                verdict_label=label,
                detail=_tally(rows),
                reason=None,
                risk_accepted_by=None,
            )
            summary_rows.append(entry)
            categories.append({**entry, "rows": rows, "notes": raw.get("notes")})
            all_rows += rows
            continue
        label = {"not_assessed": "not assessed", "not_applicable": "not applicable"}.get(
            assessment, assessment.replace("_", " ") or "not accounted for"
        )
        entry.update(
            assessment=assessment or "not_accounted_for",
            assessment_label=label,
            verdict=None,
            verdict_label="unknown" if assessment != "not_applicable" else "does not apply",
            detail=raw.get("reason") or "No reason given.",
            reason=raw.get("reason"),
            risk_accepted_by=raw.get("risk_accepted_by"),
        )
        summary_rows.append(entry)
        unaccounted.append(entry)

    losses = [r for r in all_rows if r["verdict"] == "lost"]
    inconclusive = [r for r in all_rows if r["verdict"] == "inconclusive"]
    by_id = {r["id"]: r for r in all_rows}
    headline = [by_id[str(h)] for h in _list(data.get("headline")) if str(h) in by_id]

    cited: dict[str, list[str]] = {}
    for r in all_rows:
        for e in r["evidence"]:
            cited.setdefault(e, []).append(r["id"])
    evidence = [
        {
            "id": str(e.get("id", "")),
            "path": e.get("path"),
            "uri": e.get("uri"),
            "sha256": e.get("sha256"),
            "kind": e.get("kind"),
            "model": e.get("model"),
            "description": e.get("description"),
            "cited_by": cited.get(str(e.get("id", "")), []),
        }
        for e in _list(data.get("evidence"))
        if isinstance(e, Mapping)
    ]

    recipe = _map(data.get("recipe"))
    use = _map(data.get("intended_use"))
    scen_ref = _map(data.get("scenario"))
    summary = _map(data.get("summary"))
    return {
        "format_version": data.get("format", "dls-statement/v1"),
        "dls_version": __version__,
        "statement": {
            "id": data.get("id", ""),
            "title": data.get("title", ""),
            "date": data.get("date", ""),
            "status": data.get("status", ""),
            "notes": data.get("notes"),
            "owners": _records(
                data.get("owners"), ("name", "role", "organization", "email", "url")
            ),
        },
        "teacher": _model(data.get("teacher") or {}),
        "student": _model(data.get("student") or {}),
        "recipe": {
            "methods": [_METHOD_TITLES.get(str(m), str(m)) for m in _list(recipe.get("methods"))],
            "objective": recipe.get("objective"),
            "notes": recipe.get("notes"),
            "data": [
                {k: d.get(k) for k in ("name", "revision", "size", "description", "license", "url")}
                for d in _list(recipe.get("data"))
                if isinstance(d, Mapping)
            ],
        },
        "intended_use": {
            "summary": use.get("summary"),
            "users": use.get("users"),
            "out_of_scope": [str(u) for u in _list(use.get("out_of_scope"))],
        },
        "scenario": {
            "id": scen_ref.get("id") or (scen.id if scen else None),
            "version": scen_ref.get("version"),
            "path": scen_ref.get("path"),
            "checked": scen is not None,
            "checked_id": scen.id if scen else None,
            "checked_version": scen.version if scen else None,
            "title": scen.title if scen else None,
        },
        "summary_rows": summary_rows,
        "categories": categories,
        "headline": headline,
        "losses": losses,
        "inconclusive": inconclusive,
        "not_assessed": unaccounted,
        "disagreements": [r for r in all_rows if not r["agrees"]],
        "evidence": evidence,
        "summary": {
            "preserved": summary.get("preserved"),
            "lost": summary.get("lost"),
            "acceptable_because": summary.get("acceptable_because"),
        },
        "sign_off": _records(
            data.get("sign_off"), ("name", "role", "date", "organization", "note")
        ),
        "references": _records(data.get("references"), ("title", "url")),
        "problems": list(problems),
        "valid": not any(p.severity == "error" for p in problems),
    }
