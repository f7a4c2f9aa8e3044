"""Target rules: a statement judged against its deployment scenario (``DLS-T``).

The scenario says which categories must be accounted for, which metrics count
as evidence, how much loss relative to the teacher is tolerated and whether a
loss may be accepted with a justification. This module resolves the scenario a
statement names (or the ``--scenario`` override), gives every finding a
verdict (``dls.verdicts``) and yields the findings the rules produce.

How verdicts are treated, by the category's requirement:

- a computed ``lost`` in a required or recommended category must be justified
  (``acceptable_because``) unless the scenario makes it blocking; a justified
  loss is an *accepted loss*: an info finding (DLS-T024) counted apart, never a
  silent pass;
- a computed ``inconclusive`` in a required category is a warning (DLS-T025),
  in a recommended one an info: the target is not shown to be met, and it is
  never counted as preserved;
- a claimed status better than the computed verdict is an error, a more
  cautious one a warning, in every category (the numbers say otherwise);
- findings in optional categories get verdict rows but no evidence or loss rules;
- a metric outside an explicit ``accepted_metrics`` list is a warning (DLS-T015);
  without a list, a registry metric of another category is left to DLS-R005.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dls import registry, scenarios
from dls.errors import ScenarioError
from dls.findings import Finding, Path_, Severity
from dls.placeholders import normalise, placeholder_reason
from dls.rulekit import Problem, get, locate, number
from dls.scenario_model import CategoryTarget, ResolvedScenario
from dls.verdicts import (
    ITEM_MEAN_METRICS,
    VERDICTS,
    VerdictRow,
    binomial_interval,
    compare_claim,
    describe_tolerance,
    normalised_difference,
    normalised_interval,
    stderr_interval,
    verdict,
)

if TYPE_CHECKING:
    from dls.loader import Document

_SCENARIO: Path_ = ("scenario",)

MIN_LEVEL = 0.90
"""Lowest stated confidence level a verdict uses: the two-sided 90% interval of a one-sided
non-inferiority test at alpha 0.05 (TOST). Narrower intervals would make "preserved" cheap."""


@dataclass
class TargetResult:
    """What the target stage found: findings, one verdict row per finding, the scenario used."""

    findings: list[Finding] = field(default_factory=list)
    verdicts: list[VerdictRow] = field(default_factory=list)
    scenario: ResolvedScenario | None = None


def check_targets(
    doc: Document, *, base_dir: Path | None, scenario: str | None = None
) -> TargetResult:
    """Judge a statement (that passed the schema stage) against its scenario.

    ``scenario`` is the ``--scenario ID|PATH`` override; one that cannot be
    resolved raises ScenarioError. The statement's own unresolvable reference is
    a finding.
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    found = _scenario_for(data, doc, base_dir, scenario, problems)
    result = TargetResult(scenario=found)
    if found is not None:
        rows, more = _judge(data, found)
        result.verdicts = rows
        problems += more
    result.findings = locate(problems, doc)
    return result


# -- which scenario --------------------------------------------------------------------------------


def _scenario_for(
    data: dict[str, Any],
    doc: Document,
    base_dir: Path | None,
    override: str | None,
    out: list[Problem],
) -> ResolvedScenario | None:
    raw = data.get("scenario")
    ref: dict[str, Any] = raw if isinstance(raw, dict) else {}
    ref_id = ref.get("id") if isinstance(ref.get("id"), str) else None
    ref_version = ref.get("version")
    ref_path = ref.get("path") if isinstance(ref.get("path"), str) else None
    ref_sha = ref.get("sha256") if isinstance(ref.get("sha256"), str) else None

    if override is not None:
        chosen = scenarios.resolve(override)
        if chosen.abstract:
            raise ScenarioError(
                f"scenario {chosen.id!r} is abstract: it only serves as a parent",
                hint="use one of the scenarios `dls scenarios list` shows",
            )
        if chosen.id != ref_id:
            out.append(
                Problem(
                    "DLS-T003",
                    f"checked against scenario {chosen.id} v{chosen.version} "
                    f"(--scenario), not the {ref_id} v{ref_version} the statement names",
                    (*_SCENARIO, "id"),
                )
            )
            return chosen
        _pins(chosen, ref_version, ref_sha, out, via=" (--scenario)")
        return chosen

    if ref_id is None:
        return None
    if ref_path is not None:
        directory = base_dir if base_dir is not None else Path(doc.name).parent
        try:
            loaded = scenarios.load_file(directory / ref_path)
        except (OSError, ValueError):
            out.append(
                Problem(
                    "DLS-T001",
                    f"scenario file {ref_path!r} does not exist (relative to the statement)",
                    (*_SCENARIO, "path"),
                )
            )
            return None
        where: Path_ = (*_SCENARIO, "path")
    else:
        builtin = scenarios.load_builtin(ref_id)
        if builtin is None:
            guess = scenarios.suggest(ref_id)
            out.append(
                Problem(
                    "DLS-T001",
                    f"unknown scenario {ref_id!r}"
                    + (f" (did you mean {guess!r}?)" if guess else ""),
                    (*_SCENARIO, "id"),
                    hint="`dls scenarios list` shows the built-in scenarios; "
                    "your own go in a file named by `scenario.path`",
                    data={"suggestion": guess} if guess else {},
                )
            )
            return None
        loaded, where = builtin, (*_SCENARIO, "id")
    resolved = loaded.scenario
    if resolved is None:
        errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
        first = errors[0] if errors else None
        detail = f"; first at line {first.line}: {first.code} {first.message}" if first else ""
        out.append(
            Problem(
                "DLS-T005",
                f"scenario {loaded.source} is invalid ({len(errors)} error(s){detail})",
                where,
                hint=f"run `dls validate {loaded.source}`",
            )
        )
        return None
    if resolved.id != ref_id:
        out.append(
            Problem(
                "DLS-T006",
                f"scenario file {ref_path!r} defines scenario {resolved.id!r}, not {ref_id!r}",
                (*_SCENARIO, "id"),
            )
        )
    if resolved.abstract:
        out.append(
            Problem(
                "DLS-T007",
                f"scenario {resolved.id!r} is abstract: it only serves as a parent",
                (*_SCENARIO, "id"),
                hint="name a scenario that extends it",
            )
        )
        return None
    _pins(resolved, ref_version, ref_sha, out)
    return resolved


def _pins(
    found: ResolvedScenario, version: Any, sha: str | None, out: list[Problem], via: str = ""
) -> None:
    if isinstance(version, int) and version != found.version:
        out.append(
            Problem(
                "DLS-T002",
                f"the statement was written against {found.id} v{version}; it is "
                f"checked against v{found.version}{via}",
                (*_SCENARIO, "version"),
                data={"pinned": version, "used": found.version},
            )
        )
    if sha is not None and sha != found.sha256:
        out.append(
            Problem(
                "DLS-T004",
                f"scenario {found.id} ({found.source}) has sha256 {found.sha256}, "
                f"not the pinned {sha}",
                (*_SCENARIO, "sha256"),
                data={"pinned": sha, "actual": found.sha256},
            )
        )


# -- categories and findings -----------------------------------------------------------------------


def _judge(data: dict[str, Any], sc: ResolvedScenario) -> tuple[list[VerdictRow], list[Problem]]:
    problems = list(_categories(data, sc))
    rows: list[VerdictRow] = []
    texts = _justification_copies(data)
    for cat, path, item in _findings(data):
        target = sc.category(cat)
        row, more = _finding(cat, path, item, target, sc, texts)
        problems += more
        if row is not None:
            rows.append(row)
    return rows, problems


def _findings(data: dict[str, Any]) -> Iterator[tuple[str, Path_, dict[str, Any]]]:
    cats = data.get("categories")
    if not isinstance(cats, dict):
        return
    for cat in registry.CATEGORY_KEYS:
        items = get(cats, cat, "findings")
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield cat, ("categories", cat, "findings", i), item


def _categories(data: dict[str, Any], sc: ResolvedScenario) -> Iterator[Problem]:
    raw = data.get("categories")
    cats: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for level, code in (("required", "DLS-T010"), ("recommended", "DLS-T011")):
        missing = [k for k in sc.by_requirement(level) if k not in cats]
        if missing:
            yield Problem(
                code,
                f"scenario {sc.id} {'requires' if level == 'required' else 'recommends'} "
                f"{_list(missing)}; the statement does not account for "
                f"{'it' if len(missing) == 1 else 'them'}",
                ("categories",),
                at_key=True,
                hint="assess each category, or mark it not_assessed or not_applicable "
                "with a reason",
                data={"categories": missing},
            )
    for key in registry.CATEGORY_KEYS:
        section = cats.get(key)
        target = sc.category(key)
        if not isinstance(section, dict) or target.requirement != "required":
            continue
        assessment = section.get("assessment")
        if assessment == "not_assessed" and not target.allow_not_assessed:
            yield Problem(
                "DLS-T012",
                f"{key} is required by scenario {sc.id} and may not be left not assessed",
                ("categories", key, "assessment"),
            )
        elif assessment == "not_applicable" and not target.allow_not_applicable:
            yield Problem(
                "DLS-T012",
                f"{key} is required by scenario {sc.id}, which holds that it applies; "
                "it may not be marked not applicable",
                ("categories", key, "assessment"),
            )
        elif assessment == "assessed":
            listed = section.get("findings")
            items: list[Any] = listed if isinstance(listed, list) else []
            metrics: list[str] = [
                i["metric"]
                for i in items
                if isinstance(i, dict) and isinstance(i.get("metric"), str)
            ]
            if metrics and not any(target.accepts(m) for m in metrics):
                yield Problem(
                    "DLS-T016",
                    f"no finding in {key} uses a metric scenario {sc.id} accepts "
                    f"({_list(target.accepted())})",
                    ("categories", key, "findings"),
                    at_key=True,
                )


def _list(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def _justification_copies(data: dict[str, Any]) -> dict[Path_, str]:
    """Paths of justifications that repeat an earlier finding's, with that finding's id."""
    first: dict[str, str] = {}
    copies: dict[Path_, str] = {}
    for _, path, item in _findings(data):
        text = item.get("acceptable_because")
        if not isinstance(text, str) or not normalise(text):
            continue
        key = normalise(text)
        if key in first:
            copies[path] = first[key]
        else:
            first[key] = str(item.get("id", "?"))
    return copies


def _finding(
    cat: str,
    path: Path_,
    item: dict[str, Any],
    target: CategoryTarget,
    sc: ResolvedScenario,
    copies: dict[Path_, str],
) -> tuple[VerdictRow | None, list[Problem]]:
    out: list[Problem] = []
    mid = item.get("metric")
    teacher, student = number(item.get("teacher")), number(item.get("student"))
    claimed = item.get("status")
    if (
        not isinstance(mid, str)
        or teacher is None
        or student is None
        or not isinstance(claimed, str)
    ):
        return None, out
    fid = str(item.get("id", "?"))
    enforced = target.requirement in ("required", "recommended")
    soft = None if target.requirement == "required" else Severity.WARNING
    settings = target.target_for(mid)

    # evidence requirements
    # Without an explicit list, a registry metric filed under another category is the
    # semantic layer's DLS-R005; reporting it twice would only add noise.
    if enforced and target.accepted_metrics is not None and not target.accepts(mid):
        out.append(
            Problem(
                "DLS-T015",
                f"scenario {sc.id} does not accept {mid} as evidence for {cat} "
                f"(accepted: {_list(target.accepted())})",
                (*path, "metric"),
            )
        )
    items = get(item, "evaluation", "items")
    if (
        enforced
        and settings.min_items is not None
        and isinstance(items, int)
        and items < settings.min_items
    ):
        out.append(
            Problem(
                "DLS-T013",
                f"{fid} rests on {items} items; scenario {sc.id} needs at least "
                f"{settings.min_items} for {mid} in {cat}",
                (*path, "evaluation", "items"),
                severity=soft,
            )
        )
    if enforced and settings.interval_required and not isinstance(item.get("interval"), dict):
        out.append(
            Problem(
                "DLS-T014",
                f"{fid}: scenario {sc.id} requires a confidence interval on the "
                f"difference for {mid} in {cat}",
                path,
                severity=soft,
                hint="add interval: {lower, upper, level, method}, e.g. from a paired bootstrap",
            )
        )

    # direction and verdict
    m = registry.metric(mid)
    direction = m.direction if m is not None else item.get("direction")
    tgt = m.target if m is not None else number(item.get("target"))
    if direction not in registry.DIRECTIONS or (direction == "closer_to" and tgt is None):
        return None, out
    assert isinstance(direction, str)
    delta = student - teacher
    delta_n = normalised_difference(direction, teacher, student, tgt)
    interval, source = _interval(item, mid, teacher, student)
    level = number(get(item, "interval", "level"))
    if level is not None and level < MIN_LEVEL:
        out.append(
            Problem(
                "DLS-T026",
                f"{fid}: a {level:g} interval is too narrow to judge preservation (at least "
                f"{MIN_LEVEL:g}); the verdict uses {_interval_text(interval, source)}",
                (*path, "interval", "level"),
            )
        )
    interval_n = (
        None if interval is None else normalised_interval(direction, teacher, *interval, target=tgt)
    )
    tol = settings.tolerance
    margin = None if tol is None else tol.absolute_for(teacher)
    computed = verdict(delta_n, interval_n, margin)
    if tol is None:
        out.append(
            Problem(
                "DLS-T032",
                f"no tolerance for custom metric {mid} in scenario {sc.id}; the "
                "verdict stays inconclusive",
                (*path, "metric"),
                hint=f"set one in the scenario: categories.{cat}.per_metric.{mid}.tolerance",
            )
        )

    # claimed status against the verdict
    status_path = (*path, "status")
    overclaimed = claimed in VERDICTS and compare_claim(claimed, computed) > 0
    if claimed in VERDICTS:
        order = compare_claim(claimed, computed)
        tol_text = "no tolerance" if tol is None else f"tolerance {_tol_text(tol)}"
        basis = f"difference {delta:+.4g}, {_interval_text(interval, source)}, {tol_text}"
        if order > 0:
            out.append(
                Problem(
                    "DLS-T030",
                    f"{fid} claims {claimed}, but the numbers give {computed} ({basis})",
                    status_path,
                    data={"claimed": claimed, "computed": computed},
                )
            )
        elif order < 0:
            out.append(
                Problem(
                    "DLS-T031",
                    f"{fid} claims {claimed}, more cautious than the computed {computed} ({basis})",
                    status_path,
                    data={"claimed": claimed, "computed": computed},
                )
            )

    # justifications: every one written must say something, and say it once
    just = item.get("acceptable_because")
    just_ok = False
    if isinstance(just, str):
        why = placeholder_reason(just)
        if why is None and len(" ".join(just.split())) < sc.justification_min_length:
            why = (
                f"it is shorter than the {sc.justification_min_length} characters "
                f"scenario {sc.id} asks for"
            )
        if why is not None:
            out.append(
                Problem(
                    "DLS-T021",
                    f"the justification of {fid} is not one: {why}",
                    (*path, "acceptable_because"),
                )
            )
        elif path in copies:
            out.append(
                Problem(
                    "DLS-T022",
                    f"the justification of {fid} repeats that of {copies[path]}; each "
                    "loss needs its own reason",
                    (*path, "acceptable_because"),
                )
            )
        else:
            just_ok = True

    # losses and inconclusive targets
    accepted = blocking = False
    if enforced and computed == "lost":
        if not settings.waivable:
            blocking = True
            out.append(
                Problem(
                    "DLS-T023",
                    f"{fid}: {mid} is lost beyond the tolerance "
                    f"({_tol_text(tol)}) in {cat}, which scenario {sc.id} does not let anyone "
                    "waive",
                    status_path,
                )
            )
        elif not isinstance(just, str):
            out.append(
                Problem(
                    "DLS-T020",
                    f"{fid}: {mid} is lost beyond the tolerance ({_tol_text(tol)}) "
                    f"of scenario {sc.id} with no acceptable_because",
                    status_path,
                    hint="say why the loss is acceptable in this deployment, or fix it",
                )
            )
        elif just_ok and claimed in VERDICTS and compare_claim(claimed, computed) <= 0:
            accepted = True
            out.append(
                Problem(
                    "DLS-T024",
                    f"{fid}: accepted loss of {mid} in {cat} "
                    f"(difference {delta:+.4g}, tolerance {_tol_text(tol)})",
                    (*path, "acceptable_because"),
                )
            )
    elif enforced and computed == "inconclusive" and tol is not None and not overclaimed:
        # (a claim of preserved or improved already got DLS-T030, which says the same louder)
        out.append(
            Problem(
                "DLS-T025",
                f"{fid}: the numbers cannot show {mid} within the tolerance "
                f"({_tol_text(tol)}; {_interval_text(interval, source)}); not counted as preserved",
                status_path,
                severity=None if target.requirement == "required" else Severity.INFO,
            )
        )

    row = VerdictRow(
        category=cat,
        finding_id=fid,
        metric=mid,
        direction=direction,
        teacher=teacher,
        student=student,
        difference=delta,
        normalised=delta_n,
        interval=interval,
        interval_source=source,
        tolerance=margin,
        tolerance_text="none" if tol is None else _tol_text(tol),
        verdict=computed,
        claimed=claimed,
        accepted=accepted,
        blocking=blocking,
        requirement=target.requirement,
        path=path,
    )
    return row, out


def _tol_text(tol: registry.Tolerance | None) -> str:
    return "none" if tol is None else describe_tolerance(tol.value, tol.relative)


def _interval_text(interval: tuple[float, float] | None, source: str) -> str:
    if interval is None:
        return "no interval"
    label = {
        "stated": "stated interval",
        "stderr": "95% interval from the standard errors",
        "binomial": "95% binomial interval from the item count",
    }[source]
    return f"{label} [{interval[0]:+.4g}, {interval[1]:+.4g}]"


def _interval(
    item: dict[str, Any], mid: str, teacher: float, student: float
) -> tuple[tuple[float, float] | None, str]:
    """The uncertainty for a verdict, best first: stated, standard errors, binomial, none."""
    lo, hi = number(get(item, "interval", "lower")), number(get(item, "interval", "upper"))
    level = number(get(item, "interval", "level"))
    if lo is not None and hi is not None and (level is None or level >= MIN_LEVEL):
        return (min(lo, hi), max(lo, hi)), "stated"
    se_t, se_s = number(get(item, "stderr", "teacher")), number(get(item, "stderr", "student"))
    if se_t is not None and se_s is not None:
        return stderr_interval(teacher, student, se_t, se_s), "stderr"
    n = get(item, "evaluation", "items")
    if mid in ITEM_MEAN_METRICS and isinstance(n, int) and not isinstance(n, bool) and n > 0:
        found = binomial_interval(teacher, student, n)
        if found is not None:
            return found, "binomial"
    return None, "none"
