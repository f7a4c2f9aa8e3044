"""The catalogue of finding codes: one stable code per kind of problem.

Codes never change meaning. Letters name the layer that emits them:

- ``DLS-P`` parse (the strict YAML/JSON loader),
- ``DLS-S`` schema (the versioned JSON Schema),
- ``DLS-R`` semantic rules on a single statement (numbers, ids, evidence),
- ``DLS-T`` scenario targets and verdicts,
- ``DLS-C`` scenario files themselves,
- ``DLS-V`` verification of a statement against its evidence.

The catalogue feeds SARIF rule metadata, ``dls explain`` and the rule pages of
the documentation, so every entry says what is wrong and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dls.findings import Severity


@dataclass(frozen=True, slots=True)
class Code:
    """Metadata of one finding code."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    fix: str

    @property
    def layer(self) -> str:
        return _LAYERS[self.code[4]]


_LAYERS = {
    "P": "parse",
    "S": "schema",
    "R": "semantic",
    "T": "targets",
    "C": "scenario",
    "V": "verify",
}

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

_ALL: list[Code] = [
    # -- parse -------------------------------------------------------------------------------
    Code(
        "DLS-P001",
        "syntax-error",
        E,
        "The file is not well-formed YAML or JSON.",
        "The parser stopped at this position. The message names the problem and, where the "
        "parser knows it, where the enclosing construct started.",
        "Fix the syntax at the position shown: unclosed brackets or quotes, a bad indent, a "
        "tab used for indentation.",
    ),
    Code(
        "DLS-P002",
        "empty-document",
        E,
        "The file holds no document.",
        "An empty file, or one with only comments, is not a statement.",
        "Write the statement, or start from `dls init --scenario ID`.",
    ),
    Code(
        "DLS-P003",
        "multiple-documents",
        E,
        "The file holds more than one YAML document.",
        "A statement file holds exactly one document; a second `---` starts another one.",
        "Split the documents into separate files, or remove the extra `---`.",
    ),
    Code(
        "DLS-P004",
        "duplicate-key",
        E,
        "A mapping defines the same key twice.",
        "Most YAML parsers silently keep the last value, so one of the two values would be "
        'lost without a word. Keys are compared after loading, so `a` and `"a"`, or `1` '
        "and `0x1`, are the same key.",
        "Remove or rename one of the two keys.",
    ),
    Code(
        "DLS-P005",
        "non-string-key",
        E,
        "A mapping key is not a string.",
        "Keys such as `1:`, `null:`, `true:`, `2024-01-01:` or complex `? [a, b]` keys do "
        "not map to JSON object keys.",
        "Quote the key, or restructure the mapping.",
    ),
    Code(
        "DLS-P006",
        "unsupported-tag",
        E,
        "The file uses a YAML tag dls does not accept.",
        "Only the standard tags (str, int, float, bool, null, map, seq) are allowed; "
        "language-specific tags such as `!!python/object` are never executed, and custom "
        "tags such as `!reference` or `!include` have no meaning here.",
        "Remove the tag and write the value out.",
    ),
    Code(
        "DLS-P007",
        "alias-expansion-limit",
        E,
        "Aliases expand to too many nodes.",
        "A few anchors and aliases can expand to millions of nodes (a 'billion laughs' "
        "document). dls counts the expanded size before building the document.",
        "Write the values out instead of nesting aliases, or raise the limit.",
    ),
    Code(
        "DLS-P008",
        "recursive-alias",
        E,
        "An alias refers to a node that contains it.",
        "A recursive alias builds a cyclic structure that no JSON document can hold.",
        "Remove the alias inside its own anchor.",
    ),
    Code(
        "DLS-P009",
        "nesting-too-deep",
        E,
        "The document nests deeper than the limit.",
        "A statement needs a handful of levels; very deep nesting is either a mistake or an "
        "attempt to exhaust the parser.",
        "Flatten the structure.",
    ),
    Code(
        "DLS-P010",
        "file-too-large",
        E,
        "The file is larger than the size limit.",
        "The size is checked before parsing. Statements are small; per-item evidence belongs "
        "in evidence files referenced by path and hash.",
        "Move bulky content into evidence files, or raise the limit (`--max-size`).",
    ),
    Code(
        "DLS-P011",
        "invalid-encoding",
        E,
        "The file is not valid UTF-8 text.",
        "Invalid UTF-8 bytes, NUL and other control characters cannot appear in a statement. "
        "The position is the offending byte converted to line and column.",
        "Save the file as UTF-8 and remove control characters.",
    ),
    Code(
        "DLS-P012",
        "invalid-json",
        E,
        "A `.json` file is not valid JSON.",
        "Files ending in `.json` are parsed as strict JSON (no comments, no trailing commas). "
        "NaN and Infinity pass this stage and are rejected by the schema layer (DLS-S008).",
        "Fix the JSON at the position shown, or rename the file to `.yaml`.",
    ),
    Code(
        "DLS-P101",
        "ambiguous-boolean",
        W,
        "An unquoted yes/no/on/off is read as a string.",
        "dls reads YAML 1.2, where only true and false are booleans, so `on` stays the "
        "string 'on'. YAML 1.1 tools (PyYAML's safe_load among them) read it as a boolean, "
        "so the file means different things to different tools.",
        "Quote the value if you mean text, or write true/false if you mean a boolean.",
    ),
    Code(
        "DLS-P102",
        "ambiguous-number",
        W,
        "A number with a leading zero is read as a string.",
        "YAML 1.1 reads `0755` as the octal number 493 and `010` as 8; dls never does that "
        "silently and keeps such values as strings.",
        "Quote the value if it is an identifier, or remove the leading zero.",
    ),
    Code(
        "DLS-P103",
        "ambiguous-sexagesimal",
        W,
        "A value like `1:20` is read as a string.",
        "YAML 1.1 reads `1:20` as the base-60 number 80; dls keeps it as the string '1:20'.",
        "Quote the value to make the intent explicit.",
    ),
    Code(
        "DLS-P104",
        "non-utf8-encoding",
        N,
        "The file is not encoded as UTF-8.",
        "UTF-16 files with a byte-order mark are accepted, but many tools expect UTF-8.",
        "Save the file as UTF-8.",
    ),
    # -- schema ------------------------------------------------------------------------------
    Code(
        "DLS-S001",
        "root-not-mapping",
        E,
        "The document is not a mapping.",
        "A statement is a mapping of keys to values; a list or a scalar at the top level is "
        "valid YAML of the wrong shape.",
        "Start the file with `format: dls-statement/v1` and the statement's keys.",
    ),
    Code(
        "DLS-S002",
        "missing-format",
        E,
        "The document does not declare its format.",
        "Every statement and scenario declares its format and version in the `format` key; "
        "dls picks the schema by it. Schema and rule checks stop here for this file.",
        "Add `format: dls-statement/v1` (or `dls-scenario/v1`) as the first key.",
    ),
    Code(
        "DLS-S003",
        "unsupported-format",
        E,
        "The declared format or version is not supported.",
        "The message lists the formats this version of dls supports.",
        "Use one of the supported formats, or upgrade dls.",
    ),
    Code(
        "DLS-S004",
        "unknown-property",
        E,
        "A key is not part of the format.",
        "The format is closed: unknown keys are errors, because a misspelt key would "
        "otherwise be ignored silently. Extensions go under keys starting with `x-`.",
        "Fix the spelling (dls suggests the closest key), or prefix your own keys with `x-`.",
    ),
    Code(
        "DLS-S005",
        "missing-property",
        E,
        "A required key is missing.",
        "The message names the key and the mapping it belongs to.",
        "Add the key.",
    ),
    Code(
        "DLS-S006",
        "wrong-type",
        E,
        "A value has the wrong type.",
        "Types are strict: no string is read as a number and no number as a string. "
        "Version-like values such as `1.10` must be quoted, or YAML reads them as 1.1.",
        "Write the value with the expected type; quote it if it should be text.",
    ),
    Code(
        "DLS-S007",
        "value-not-allowed",
        E,
        "A value is not one of the allowed values.",
        "The message lists the allowed values and the closest match.",
        "Use one of the allowed values.",
    ),
    Code(
        "DLS-S008",
        "non-finite-number",
        E,
        "A number is NaN or infinite.",
        "`.nan`, `.inf`, `NaN`, `Infinity` and overflowing literals such as `1e999` are not "
        "numbers a statement can report: every comparison with them is meaningless.",
        "Report a finite value, or mark the category not assessed with a reason.",
    ),
    Code(
        "DLS-S009",
        "out-of-range",
        E,
        "A number is outside its allowed range.",
        "The schema bounds some numbers (confidence levels between 0 and 1, counts positive).",
        "Correct the number.",
    ),
    Code(
        "DLS-S010",
        "bad-string",
        E,
        "A string does not have the required form.",
        "Identifiers, dates, hashes and URIs follow fixed patterns; free text must not be empty.",
        "Write the value in the form shown in the message.",
    ),
    Code(
        "DLS-S011",
        "bad-list",
        E,
        "A list has too few or too many items, or repeats an item.",
        "Some lists must not be empty (findings of an assessed category, owners).",
        "Add the missing items or remove the repeated ones.",
    ),
    Code(
        "DLS-S012",
        "unknown-metric",
        E,
        "The metric id is not in the registry.",
        "Metric ids come from the registry of the format version (`dls explain METRIC`). "
        "Metrics of your own use a namespaced id such as `x-acme.toxicity_v2` and declare "
        "their direction.",
        "Use the registry id dls suggests, or a namespaced custom id with a direction.",
    ),
    Code(
        "DLS-S013",
        "not-allowed-here",
        E,
        "A key is not allowed in this context.",
        "For example `findings` under a category marked not_assessed, or `reason` under an "
        "assessed one.",
        "Remove the key, or change the assessment.",
    ),
    Code(
        "DLS-S014",
        "deprecated-format",
        W,
        "The declared format version is deprecated.",
        "It still validates with its own schema, but support will end.",
        "Move the statement to the current format version.",
    ),
    Code(
        "DLS-S099",
        "schema-violation",
        E,
        "The document violates the schema.",
        "A schema rule without a more specific code failed; the message says which.",
        "Correct the value as the message says.",
    ),
    # -- semantic rules ----------------------------------------------------------------------
    Code(
        "DLS-R001",
        "duplicate-id",
        E,
        "Two findings or evidence entries share an id.",
        "Ids are how headlines, evidence, diffs and verification refer to findings; they "
        "must be unique within the statement.",
        "Rename one of them.",
    ),
    Code(
        "DLS-R002",
        "difference-mismatch",
        E,
        "The recorded difference does not equal student minus teacher.",
        "The difference is compared with the student and teacher values within the "
        "precision they are written with (half a unit in the last digit of each number).",
        "Recompute the difference, or drop it: dls computes it.",
    ),
    Code(
        "DLS-R003",
        "bad-interval",
        E,
        "The confidence interval is malformed.",
        "The lower bound must not exceed the upper bound, and the interval on the "
        "difference must contain the recorded (or computed) difference.",
        "Check the bounds and that the interval is on student minus teacher.",
    ),
    Code(
        "DLS-R004",
        "value-out-of-range",
        E,
        "A value lies outside the metric's valid range.",
        "Each registry metric has a valid range (rates in [0, 1], Brier in [0, 2]...). "
        "A value outside it usually means a percentage written as a fraction or the reverse.",
        "Write the value in the metric's unit (see `dls explain METRIC`).",
    ),
    Code(
        "DLS-R005",
        "metric-category-mismatch",
        W,
        "The metric belongs to another category of the taxonomy.",
        "The registry assigns each metric to one or more categories; a finding filed under "
        "another category is probably misplaced.",
        "Move the finding to the category the registry names.",
    ),
    Code(
        "DLS-R006",
        "direction-conflict",
        E,
        "A direction was declared for a registry metric and disagrees with the registry.",
        "Registry metrics take their direction from the registry; only custom metrics "
        "declare their own.",
        "Remove the `direction` key, or use a custom metric id.",
    ),
    Code(
        "DLS-R007",
        "unknown-evidence",
        E,
        "A finding cites evidence that is not listed.",
        "Every evidence id cited by a finding must be declared under `evidence`.",
        "Declare the evidence entry, or fix the id.",
    ),
    Code(
        "DLS-R008",
        "evidence-missing",
        E,
        "An evidence file does not exist.",
        "Relative evidence paths are resolved against the statement's directory.",
        "Commit the evidence file, or fix the path.",
    ),
    Code(
        "DLS-R009",
        "evidence-hash-mismatch",
        E,
        "An evidence file does not match its recorded sha256.",
        "The numbers in the statement were computed from other bytes than those on disk.",
        "Recompute the findings from the evidence, then update the hash.",
    ),
    Code(
        "DLS-R010",
        "unknown-headline",
        E,
        "A headline cites a finding id that does not exist.",
        "Headline entries refer to findings by id.",
        "Fix the id, or add the finding.",
    ),
    Code(
        "DLS-R011",
        "placeholder-reason",
        E,
        "A reason is empty or a placeholder.",
        "A category marked not assessed or not applicable needs a real reason: `TBD`, "
        "`N/A`, `...` or lorem ipsum say nothing to a reader.",
        "Say why the category was not assessed or does not apply.",
    ),
    Code(
        "DLS-R012",
        "evidence-outside",
        W,
        "An evidence path leaves the statement's directory tree.",
        "Paths with `..` or absolute paths make the statement depend on files outside the "
        "repository it is published in.",
        "Copy the evidence next to the statement, or cite it by URI with a hash.",
    ),
    Code(
        "DLS-R013",
        "unused-evidence",
        N,
        "An evidence entry is not cited by any finding.",
        "Evidence that supports no number is probably a leftover.",
        "Cite it from the findings it supports, or remove it.",
    ),
    Code(
        "DLS-R014",
        "custom-metric-range",
        E,
        "A custom metric's value lies outside the range it declares.",
        "Custom metrics may declare a `range`; values must fall inside it.",
        "Correct the value or the declared range.",
    ),
    Code(
        "DLS-R015",
        "final-without-sign-off",
        E,
        "A final statement has no sign-off.",
        "A statement marked final is a published claim: someone accountable signs it off.",
        "Add a `sign_off` entry, or keep the status `draft`.",
    ),
    Code(
        "DLS-R016",
        "hidden-text",
        W,
        "Text contains bidirectional controls or invisible characters.",
        "Right-to-left overrides, isolates and zero-width characters can make rendered text read "
        "differently from its source, so a reviewer could approve one text and publish another "
        "(the 'Trojan Source' attack, CVE-2021-42574). Plain right-to-left text needs none of "
        "them.",
        "Remove the control characters; write right-to-left text as is.",
    ),
    # -- verify and evidence (dls measure, dls import, dls verify) ------------------------------
    Code(
        "DLS-V001",
        "evidence-changed",
        E,
        "An evidence file no longer matches the sha256 recorded in the statement.",
        "The findings were computed from other bytes than the file now holds, so the numbers "
        "cannot be trusted to describe it.",
        "Recompute the findings with `dls measure` (or re-import) and record the new hash.",
    ),
    Code(
        "DLS-V002",
        "evidence-unreadable",
        E,
        "An evidence file is missing or cannot be read.",
        "`dls verify` resolves evidence paths against the statement's directory; a file that "
        "is not there cannot back any number.",
        "Commit the evidence file next to the statement, or fix its path.",
    ),
    Code(
        "DLS-V003",
        "number-drifted",
        E,
        "A number differs from its recomputation by more than its stated precision.",
        "dls recomputed the finding from its per-item evidence with the recorded method and "
        "seed. The precision is the finding's `precision`, or half a unit in the last digit "
        "written.",
        "Write the recomputed value, or find out why the evidence and the statement disagree.",
    ),
    Code(
        "DLS-V004",
        "status-changed",
        E,
        "The recomputed verdict differs from the status the statement claims.",
        "The status follows from the recomputed difference, interval and tolerance.",
        "Update the status, or revisit the tolerance with the scenario owner.",
    ),
    Code(
        "DLS-V005",
        "not-recomputable",
        W,
        "A finding cites evidence but dls cannot recompute it.",
        "Only findings whose evidence is dls per-item records (written by `dls measure`) are "
        "recomputed; aggregate results and other files are checked by hash only.",
        "Cite per-item records, or accept that the number is checked by hash only.",
    ),
    Code(
        "DLS-V010",
        "bad-record",
        E,
        "A per-item record is malformed.",
        "Each line of a records file is one JSON object with `task`, `item_id` and "
        "`model_role`, and typed fields as in schema/records-v1.schema.json. dls computes "
        "nothing from a file with bad records, so no number rests on a partial read.",
        "Fix the record at the line shown.",
    ),
    Code(
        "DLS-V011",
        "non-finite-value",
        E,
        "A per-item record holds NaN or an infinite number.",
        "`NaN`, `Infinity` and overflowing literals such as `1e999` are not values a metric "
        "can average.",
        "Write a finite value, or leave the field out for that item.",
    ),
    Code(
        "DLS-V012",
        "duplicate-record",
        E,
        "Two records share a task, item id, sample and model role.",
        "Records are paired by (task, item_id, sample); a repeated key would count an item twice.",
        "Remove the repeated record, or give repeated samples distinct `sample` indices.",
    ),
    Code(
        "DLS-V013",
        "unpaired-items",
        W,
        "Some items were evaluated for one model only.",
        "They are counted and reported in the finding's computation, never silently dropped; "
        "the paired statistics use the items both models have.",
        "Evaluate both models on the same items, or state why the sets differ.",
    ),
    Code(
        "DLS-V014",
        "runs-not-comparable",
        E,
        "The teacher and student runs differ in settings that change the numbers.",
        "Different numbers of shots, task versions, sample limits or task hashes make the "
        "two numbers answers to different questions. dls does not compare them silently.",
        "Re-run both models with the same settings, or pass --allow-mismatch to record the "
        "difference as a flagged, unpaired comparison.",
    ),
    Code(
        "DLS-V015",
        "aggregate-only",
        N,
        "A number comes from aggregate results without per-item data.",
        "Without per-sample logs dls cannot pair items: the interval is an unpaired one from "
        "the reported standard errors, and no McNemar test is possible.",
        "Run the harness with --log_samples and import the sample logs.",
    ),
    Code(
        "DLS-V016",
        "no-shared-items",
        W,
        "A task has no item evaluated for both models.",
        "Nothing can be compared for it; its items are counted as unpaired.",
        "Check that both files use the same task names and item ids.",
    ),
    # -- scenario targets and verdicts (dls.targets) -------------------------------------------
    Code(
        "DLS-T001",
        "unknown-scenario",
        E,
        "The scenario the statement names cannot be found.",
        "`scenario.id` names a built-in scenario unless `scenario.path` points at a scenario file "
        "(relative to the statement). Without a scenario no target can be checked.",
        "Use an id from `dls scenarios list` (dls suggests the closest), or fix `scenario.path`.",
    ),
    Code(
        "DLS-T002",
        "scenario-version-mismatch",
        W,
        "The statement is checked against another version of its scenario.",
        "A statement pins the scenario version it was written against. When the version dls "
        "has (or the one given with --scenario) differs, targets may have changed: the verdicts "
        "are those of the version used, which the message names.",
        "Re-check the statement against the current targets and update `scenario.version`.",
    ),
    Code(
        "DLS-T003",
        "scenario-overridden",
        N,
        "The statement is checked against another scenario than the one it names (--scenario).",
        "`dls validate --scenario ID|PATH` replaces the statement's own scenario; the report "
        "says so, so that nobody reads the verdicts as those of the named scenario.",
        "Nothing to fix; drop --scenario to check the named scenario.",
    ),
    Code(
        "DLS-T004",
        "scenario-hash-mismatch",
        E,
        "The scenario file differs from the content the statement pinned.",
        "`scenario.sha256` pins the scenario file's content (line endings read as LF). A "
        "different hash means the targets changed without the statement being re-checked, or "
        "the scenario changed without a version bump.",
        "Re-check the statement against the scenario and update the pin (`dls scenarios show ID` "
        "prints the sha256); bump the scenario's version when its targets change.",
    ),
    Code(
        "DLS-T005",
        "invalid-scenario",
        E,
        "The scenario the statement names is itself invalid.",
        "The scenario file has parse, schema or inheritance errors, so its targets cannot be "
        "applied. The message shows the first; `dls validate` on the scenario file shows all.",
        "Fix the scenario file.",
    ),
    Code(
        "DLS-T006",
        "scenario-id-mismatch",
        E,
        "The scenario file at `scenario.path` defines another id than `scenario.id`.",
        "The id and the file must agree, or the statement claims targets it is not checked "
        "against.",
        "Correct `scenario.id`, or point `scenario.path` at the right file.",
    ),
    Code(
        "DLS-T007",
        "abstract-scenario",
        E,
        "The statement names an abstract scenario.",
        "Abstract scenarios (such as `base`) only collect settings for others to extend; they "
        "describe no deployment.",
        "Name a scenario that extends it, or write your own.",
    ),
    Code(
        "DLS-T010",
        "missing-required-category",
        E,
        "A category the scenario requires is missing from the statement.",
        "Silence is not preservation: a required category must be assessed (or, where the "
        "scenario allows it, marked not assessed or not applicable with a reason).",
        "Add the category under `categories`.",
    ),
    Code(
        "DLS-T011",
        "missing-recommended-category",
        W,
        "A category the scenario recommends is missing from the statement.",
        "A category left out says nothing; readers cannot tell unmeasured from forgotten.",
        "Assess it, or mark it not_assessed or not_applicable with a reason.",
    ),
    Code(
        "DLS-T012",
        "required-category-not-assessed",
        E,
        "A required category is marked not assessed or not applicable.",
        "The scenario requires evidence for this category and does not allow it to be left "
        "unmeasured (`allow_not_assessed`) or declared irrelevant (`allow_not_applicable`).",
        "Assess the category, or check the statement against a scenario that fits the deployment.",
    ),
    Code(
        "DLS-T013",
        "too-few-items",
        E,
        "A finding rests on fewer evaluation items than the scenario asks for.",
        "Below the scenario's `min_items` the interval is far wider than the tolerance and no "
        "verdict other than inconclusive is within reach. An error in required categories, a "
        "warning in recommended ones.",
        "Evaluate on more items (see the minimum detectable effect for your tolerance).",
    ),
    Code(
        "DLS-T014",
        "interval-required",
        E,
        "The scenario requires a confidence interval and the finding has none.",
        "Some scenarios do not accept intervals dls derives from standard errors or item counts; "
        "the interval on student minus teacher must be stated, with its level and method. An "
        "error in required categories, a warning in recommended ones.",
        "Add `interval: {lower, upper, level, method}`, e.g. from `dls measure` "
        "(paired bootstrap).",
    ),
    Code(
        "DLS-T015",
        "metric-not-accepted",
        W,
        "The scenario does not accept this metric as evidence for the category.",
        "The category lists its `accepted_metrics` and this one is not among them. The finding "
        "is still judged (a loss is a loss), but it does not count as evidence for the "
        "category's target. Reported in required and recommended categories.",
        "Add a finding with an accepted metric (`dls scenarios show ID` lists them), or move the "
        "finding to the category it belongs to.",
    ),
    Code(
        "DLS-T016",
        "no-accepted-evidence",
        E,
        "A required category has findings, but none with a metric the scenario accepts.",
        "The category's target is not evidenced by any accepted metric.",
        "Add a finding with an accepted metric (`dls scenarios show ID` lists them).",
    ),
    Code(
        "DLS-T020",
        "loss-not-justified",
        E,
        "A loss beyond the scenario's tolerance has no justification.",
        "A Distillation Loss Statement says why each remaining loss is acceptable in the "
        "deployment. A finding whose verdict is lost in a required or recommended category "
        "needs `acceptable_because`.",
        "Say why the loss is acceptable here (not used in this deployment, a guardrail or "
        "teacher fallback, an approved trade-off), or fix the loss.",
    ),
    Code(
        "DLS-T021",
        "placeholder-justification",
        E,
        "A justification is empty, a placeholder or too short.",
        "`TBD`, `N/A`, `...`, `todo`, lorem ipsum and other fillers are matched "
        "case-insensitively after trimming; texts shorter than the scenario's minimum (12 "
        "characters unless it sets `justification.min_length`) cannot explain anything.",
        "Write the actual reason the loss is acceptable.",
    ),
    Code(
        "DLS-T022",
        "copied-justification",
        E,
        "A justification repeats another finding's word for word.",
        "Texts are compared with case, spacing and punctuation folded. Each loss has its own "
        "reason; a pasted one suggests nobody considered this loss.",
        "Say why this particular loss is acceptable.",
    ),
    Code(
        "DLS-T023",
        "blocking-loss",
        E,
        "A loss beyond tolerance in a category where the scenario allows no waiver.",
        "The scenario marks this category (or metric) `waivable: false`: a loss there blocks "
        "the statement even with a justification, e.g. safety for a public assistant.",
        "Fix the loss (more distillation data, a safety stage), or deploy under a scenario "
        "that fits.",
    ),
    Code(
        "DLS-T024",
        "accepted-loss",
        N,
        "A loss beyond tolerance, accepted with a justification.",
        "An audited exception: the loss is real and the statement says why it is acceptable. "
        "It is counted apart from clean passes (a note in SARIF, its own tally in summaries), "
        "never hidden.",
        "Nothing to fix; keep the justification current.",
    ),
    Code(
        "DLS-T025",
        "inconclusive-target",
        W,
        "The numbers can neither show the target met nor the loss.",
        "The interval on the difference straddles the tolerance: the student may have lost "
        "more than the scenario tolerates. It is never counted as preserved. A warning in "
        "required categories, an info in recommended ones; not repeated when the claimed "
        "status already overstates the evidence (DLS-T030).",
        "Evaluate on more items or use a paired interval (narrower than an unpaired one).",
    ),
    Code(
        "DLS-T026",
        "interval-level-too-low",
        W,
        "A stated interval's confidence level is too low to give a verdict.",
        "Verdicts need at least a 90% interval, the two-sided interval of a one-sided "
        "non-inferiority test at alpha 0.05. A 50% or 80% interval would make 'preserved' cheap, "
        "so dls ignores it and uses the next source of uncertainty (standard errors, the item "
        "count, or none).",
        "Report a 90% or 95% interval on student minus teacher.",
    ),
    Code(
        "DLS-T030",
        "claim-better-than-verdict",
        E,
        "The claimed status is better than the numbers show.",
        "Order: lost < inconclusive < preserved < improved. The verdict comes from the "
        "direction-normalised difference, its interval (stated, else derived from standard "
        "errors or the item count) and the scenario's tolerance; 'preserved' is never given "
        "without uncertainty.",
        "Claim the computed status, or add the evidence (an interval, more items) that supports "
        "the claim.",
    ),
    Code(
        "DLS-T031",
        "claim-worse-than-verdict",
        W,
        "The claimed status is more cautious than the numbers show.",
        "Claiming less than the evidence shows is safe but undersells the student, and readers "
        "cannot tell which reading is right.",
        "Claim the computed status, or explain the caution in the finding's notes.",
    ),
    Code(
        "DLS-T032",
        "no-tolerance",
        N,
        "A custom metric has no tolerance in the scenario.",
        "Registry metrics fall back to their default margin; custom `x-` metrics have none, so "
        "their verdict stays inconclusive.",
        "Set a tolerance for the metric in a scenario that extends the one you use "
        "(`categories.CAT.per_metric.METRIC.tolerance`).",
    ),
    # -- scenario files (dls.scenarios) --------------------------------------------------------
    Code(
        "DLS-C001",
        "unknown-parent",
        E,
        "A scenario extends a parent that cannot be found.",
        "`extends` names built-in scenarios by id and scenario files by `{path: FILE}` relative "
        "to the scenario.",
        "Use an id from `dls scenarios list` (dls suggests the closest) or fix the path.",
    ),
    Code(
        "DLS-C002",
        "extends-cycle",
        E,
        "Scenarios extend each other in a cycle.",
        "Inheritance must end at a scenario without parents; the message shows the cycle.",
        "Remove one of the `extends` entries in the cycle.",
    ),
    Code(
        "DLS-C003",
        "metric-outside-category",
        W,
        "An accepted metric is not evidence for this category in the registry.",
        "Registry metrics name the categories they measure; accepting another category's "
        "metric is probably a slip.",
        "Move the metric to its category's list, or use a custom metric.",
    ),
    Code(
        "DLS-C004",
        "unused-metric-setting",
        W,
        "A per-metric setting names a metric the category does not accept.",
        "The setting can never apply.",
        "Add the metric to `accepted_metrics`, or remove the setting.",
    ),
    Code(
        "DLS-C005",
        "custom-metric-without-tolerance",
        W,
        "A custom metric is accepted without a tolerance.",
        "Custom metrics have no registry default, so every verdict on them would be inconclusive.",
        "Set `tolerance` for the category or in `per_metric` for the metric.",
    ),
    Code(
        "DLS-C006",
        "invalid-parent",
        E,
        "A parent scenario is invalid or does not resolve.",
        "A scenario inherits its parent's targets, so the parent's errors make it unusable. "
        "The message shows the parent's first error.",
        "Fix the parent (run `dls validate` on it), or extend another scenario.",
    ),
    Code(
        "DLS-C007",
        "not-a-scenario",
        E,
        "A file used as a scenario declares another format.",
        "`scenario.path`, `extends` and --scenario expect a `dls-scenario/v1` document.",
        "Point at a scenario file.",
    ),
    Code(
        "DLS-C008",
        "parent-version-mismatch",
        E,
        "A scenario extends another version of its parent than dls has.",
        "`extends: {id, version}` pins the parent version the scenario was written against; "
        "inheriting changed targets silently would change every statement checked against it.",
        "Review the parent's changes and update the pinned version.",
    ),
    Code(
        "DLS-C009",
        "parent-hash-mismatch",
        E,
        "A parent scenario file differs from the content pinned by its sha256.",
        "`extends: {path, sha256}` pins the parent file's content (line endings read as LF).",
        "Review the parent's changes and update the pin.",
    ),
]

CATALOG: dict[str, Code] = {c.code: c for c in _ALL}


def get(code: str) -> Code:
    """Metadata of a code; KeyError for unknown codes."""
    return CATALOG[code]
