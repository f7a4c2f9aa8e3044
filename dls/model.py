"""A typed view of a statement: pydantic v2 models mirroring the v1 JSON Schema.

The JSON Schema (``schema/statement-v1.schema.json``) is the published
contract; these models are the in-memory view for code that prefers attributes
to dictionaries. ``tests/test_model.py`` runs every example and test case
through both and asserts that they accept exactly the same documents, and that
every property, requirement, enumeration and pattern here matches the schema.

The models follow python-jsonschema's reading of the schema: patterns are
searched (not anchored unless the pattern anchors itself), an integral float
such as ``3.0`` is an integer, booleans are neither numbers nor integers, and
``null`` is never a value (the schema allows it only inside a custom metric's
``range``). Beyond the schema, numbers must be finite anywhere in the document,
as dls's schema layer requires (DLS-S008).

Importing this module imports pydantic. The validation hot path never imports
it; only code that asks for the typed model does.

    from dls.model import parse_statement
    statement = parse_statement(data)      # raises pydantic.ValidationError
    statement.categories.uncertainty.findings[0].student
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from typing_extensions import Self

from dls._resources import data_file

__all__ = [
    "Categories",
    "Category",
    "Dataset",
    "Evaluation",
    "Evidence",
    "Finding",
    "Harness",
    "IntendedUse",
    "Interval",
    "Judge",
    "Model",
    "Person",
    "Recipe",
    "Reference",
    "ScenarioRef",
    "SignOff",
    "Statement",
    "StdErr",
    "Summary",
    "parse_statement",
]

# -- string and number types ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """A JSON Schema ``pattern``: the string must contain a match (``re.search``)."""

    pattern: str

    def __call__(self, value: str) -> str:
        if re.search(self.pattern, value) is None:
            raise ValueError(f"must match the pattern {self.pattern!r}")
        return value


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _calendar_date(value: str) -> str:
    """JSON Schema ``format: date`` as python-jsonschema checks it."""
    try:
        ok = _DATE.fullmatch(value) is not None and bool(date.fromisoformat(value))
    except ValueError:
        ok = False
    if not ok:
        raise ValueError("must be a calendar date written YYYY-MM-DD")
    return value


def _integral(value: Any) -> Any:
    """JSON Schema integers include integral floats (``3.0``); booleans are not integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@cache
def _registry_metric_ids() -> frozenset[str]:
    with data_file("schema", "statement-v1.schema.json").open(encoding="utf-8") as fh:
        schema = json.load(fh)
    return frozenset(schema["$defs"]["metricId"]["else"]["enum"])


CUSTOM_METRIC = Match(r"^x-[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9_.-]*(?![\s\S])")


def _metric_id(value: str) -> str:
    """A registry metric id, or a custom id ``x-<org>.<name>`` (the schema's if/then/else)."""
    if re.search(r"^x-", value):
        return CUSTOM_METRIC(value)
    if value not in _registry_metric_ids():
        raise ValueError("is neither a registry metric id nor a custom 'x-<org>.<name>' id")
    return value


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@+/-]*(?![\s\S])"
URI_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+(?![\s\S])"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+(?![\s\S])"
SHA256_PATTERN = r"^[0-9a-f]{64}(?![\s\S])"
# Patterns end with (?![\s\S]) rather than $: in Python (and python-jsonschema) $ also
# matches before a final newline, in ECMA-262 engines (jsonschema-rs) it does not.
SCENARIO_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*(?![\s\S])"

Text = Annotated[str, Field(min_length=1), AfterValidator(Match(r"\S"))]
"""A non-blank string (``minLength: 1`` and ``pattern: \\S``)."""
Id = Annotated[str, AfterValidator(Match(ID_PATTERN))]
Uri = Annotated[str, AfterValidator(Match(URI_PATTERN))]
Email = Annotated[str, AfterValidator(Match(EMAIL_PATTERN))]
Sha256 = Annotated[str, AfterValidator(Match(SHA256_PATTERN))]
DateStr = Annotated[str, AfterValidator(_calendar_date)]
MetricId = Annotated[str, AfterValidator(_metric_id)]
Integer = Annotated[int, BeforeValidator(_integral)]
Number = float
"""A finite JSON number; ints are accepted (strict mode still rejects booleans and strings)."""

Direction = Literal["higher_is_better", "lower_is_better", "closer_to"]
Assessment = Literal["assessed", "not_assessed", "not_applicable"]
ClaimedStatus = Literal["preserved", "lost", "improved", "inconclusive"]
RecipeMethod = Literal[
    "logit", "sequence_level", "on_policy", "chain_of_thought", "feature", "other"
]
StressCondition = Literal[
    "distribution_shift", "adversarial", "long_horizon", "multilingual", "other"
]
EvidenceKind = Literal["records", "lm_eval_results", "lm_eval_samples", "report", "other"]
EvidenceModel = Literal["teacher", "student", "both"]


def _first_non_finite(node: Any, path: str = "") -> str | None:
    """Where the first NaN or infinity sits, anywhere (extension keys and computation too)."""
    if isinstance(node, float) and not math.isfinite(node):
        return path
    children: Any = ()
    if isinstance(node, Mapping):
        children = node.items()
    elif isinstance(node, list):
        children = enumerate(node)
    for key, value in children:
        found = _first_non_finite(value, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def _unique(values: list[Any] | None, what: str) -> None:
    if values is not None and len(set(values)) != len(values):
        raise ValueError(f"{what} must not repeat an entry")


# -- the base node -------------------------------------------------------------------------


class Node(BaseModel):
    """An object of the format: strict types, and no keys but its own and ``x-`` extensions.

    Extension keys (``x-...``) are kept, unvalidated, in ``model_extra``.
    """

    model_config = ConfigDict(strict=True, extra="allow", allow_inf_nan=False)

    @classmethod
    def declared_keys(cls) -> frozenset[str]:
        """The keys this object declares, as written in a statement."""
        return frozenset(f.alias or name for name, f in cls.model_fields.items())

    @model_validator(mode="before")
    @classmethod
    def _no_null_values(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            nulls = sorted(k for k in cls.declared_keys() if k in data and data[k] is None)
            if nulls:
                raise ValueError(f"{', '.join(map(repr, nulls))} must not be null")
        return data

    @model_validator(mode="after")
    def _only_extension_keys(self) -> Self:
        unknown = [k for k in self.model_extra or {} if not str(k).startswith("x-")]
        if unknown:
            names = ", ".join(repr(k) for k in unknown)
            raise ValueError(
                f"unknown key {names}; allowed: {', '.join(sorted(self.declared_keys()))} "
                "or an extension key starting with 'x-'"
            )
        return self

    @property
    def extensions(self) -> dict[str, Any]:
        """The ``x-`` extension keys of this object and their values."""
        return dict(self.model_extra or {})


# -- people, models, data ------------------------------------------------------------------


class Person(Node):
    """A person or team accountable for the statement."""

    name: Text
    email: Email | None = None
    role: Text | None = None
    organization: Text | None = None
    url: Uri | None = None


class Model(Node):
    """A model: the teacher or the student."""

    name: Text
    revision: Text
    parameters: Annotated[Number, Field(gt=0)] | None = None
    url: Uri | None = None
    license: Text | None = None
    architecture: Text | None = None
    notes: Text | None = None


class Dataset(Node):
    """A dataset used for distillation."""

    name: Text
    revision: Text | None = None
    url: Uri | None = None
    size: Text | None = None
    description: Text | None = None
    license: Text | None = None


class Recipe(Node):
    """How the student was distilled."""

    methods: Annotated[list[RecipeMethod], Field(min_length=1)]
    data: Annotated[list[Dataset], Field(min_length=1)] | None = None
    objective: Text
    notes: Text | None = None

    @model_validator(mode="after")
    def _unique_methods(self) -> Self:
        _unique(self.methods, "methods")
        return self


class IntendedUse(Node):
    """What the student is for."""

    summary: Text
    users: Text | None = None
    out_of_scope: Annotated[list[Text], Field(min_length=1)] | None = None


class ScenarioRef(Node):
    """The deployment scenario whose preservation targets apply."""

    id: Annotated[str, AfterValidator(Match(SCENARIO_ID_PATTERN))]
    version: Annotated[Integer, Field(ge=1)]
    path: Text | None = None
    sha256: Sha256 | None = None


# -- findings ------------------------------------------------------------------------------


class Judge(Node):
    """The judge that labelled outputs (an LLM, a classifier, a string matcher, people)."""

    name: Text
    version: Text | None = None
    notes: Text | None = None


class Harness(Node):
    """The evaluation harness."""

    name: Text
    version: Text | None = None


class Evaluation(Node):
    """How the numbers were obtained."""

    benchmark: Text
    dataset: Text | None = None
    revision: Text | None = None
    split: Text | None = None
    items: Annotated[Integer, Field(ge=1)]
    protocol: Text | None = None
    seeds: list[Integer] | None = None
    judge: Judge | None = None
    harness: Harness | None = None
    pairing: Literal["paired", "unpaired"] | None = None
    stress: Annotated[list[StressCondition], Field(min_length=1)] | None = None


class Interval(Node):
    """A confidence interval on the difference student minus teacher."""

    lower: Number
    upper: Number
    level: Annotated[Number, Field(gt=0, lt=1)]
    method: Text


class StdErr(Node):
    """Standard errors reported with the values."""

    teacher: Annotated[Number, Field(ge=0)]
    student: Annotated[Number, Field(ge=0)]


class Finding(Node):
    """One measured comparison of teacher and student on one metric."""

    id: Id
    metric: MetricId
    title: Text | None = None
    parameters: dict[str, bool | int | float | str] | None = None
    direction: Direction | None = None
    target: Number | None = None
    range: Annotated[list[Number | None], Field(min_length=2, max_length=2)] | None = None
    unit: Text | None = None
    evaluation: Evaluation
    teacher: Number
    student: Number
    difference: Number | None = None
    stderr: StdErr | None = None
    interval: Interval | None = None
    precision: Annotated[Number, Field(gt=0)] | None = None
    status: ClaimedStatus
    acceptable_because: Text | None = None
    mitigation: Text | None = None
    evidence: Annotated[list[Id], Field(min_length=1)] | None = None
    computation: dict[str, Any] | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _conditions(self) -> Self:
        # if metric is custom (x-...) then direction is required
        if self.metric.startswith("x-") and self.direction is None:
            raise ValueError("a custom metric ('x-...') must declare its 'direction'")
        # if direction is closer_to then target is required
        if self.direction == "closer_to" and self.target is None:
            raise ValueError("direction 'closer_to' needs a 'target' value")
        _unique(self.evidence, "evidence")
        return self


class Category(Node):
    """How one category of the taxonomy was accounted for."""

    assessment: Assessment
    reason: Text | None = None
    findings: Annotated[list[Finding], Field(min_length=1)] | None = None
    risk_accepted_by: Text | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _conditions(self) -> Self:
        if self.assessment == "assessed":
            if self.findings is None:
                raise ValueError("an assessed category needs 'findings'")
            extra = [k for k in ("reason", "risk_accepted_by") if getattr(self, k) is not None]
            if extra:
                raise ValueError(f"an assessed category takes no {' or '.join(map(repr, extra))}")
        else:
            if self.reason is None:
                raise ValueError(f"a category that is {self.assessment} needs a 'reason'")
            if self.findings is not None:
                raise ValueError(f"a category that is {self.assessment} takes no 'findings'")
        return self


class Categories(Node):
    """One section per category of the taxonomy (at least one key)."""

    task_performance: Category | None = None
    uncertainty: Category | None = None
    boundary: Category | None = None
    process: Category | None = None
    stability: Category | None = None
    grounding: Category | None = None
    privacy: Category | None = None
    safety: Category | None = None
    diversity: Category | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.model_fields_set and not self.model_extra:
            raise ValueError("name at least one category")
        return self

    def items(self) -> list[tuple[str, Category]]:
        """The categories present, in taxonomy order."""
        return [(k, c) for k in type(self).model_fields if (c := getattr(self, k)) is not None]


# -- evidence, summary, sign-off -----------------------------------------------------------


class Evidence(Node):
    """A file or resource behind the numbers, pinned by its hash."""

    id: Id
    path: Text | None = None
    uri: Uri | None = None
    sha256: Sha256
    kind: EvidenceKind | None = None
    model: EvidenceModel | None = None
    description: Text | None = None

    @model_validator(mode="after")
    def _path_or_uri(self) -> Self:
        if self.path is None and self.uri is None:
            raise ValueError("evidence needs a 'path' (next to the statement) or a 'uri'")
        return self


class Summary(Node):
    """The closing summary."""

    preserved: Text
    lost: Text
    acceptable_because: Text


class SignOff(Node):
    """An accountable sign-off."""

    name: Text
    role: Text
    date: DateStr
    organization: Text | None = None
    note: Text | None = None


class Reference(Node):
    """A reference: a paper, a model card, a report."""

    title: Text
    url: Uri | None = None


class Statement(Node):
    """A Distillation Loss Statement, format ``dls-statement/v1``."""

    FORMAT: ClassVar[str] = "dls-statement/v1"

    schema_: str | None = Field(default=None, alias="$schema")
    format: Literal["dls-statement/v1"]
    id: Annotated[Id, Field(max_length=200)]
    title: Text
    date: DateStr
    status: Literal["draft", "final"]
    owners: Annotated[list[Person], Field(min_length=1)]
    teacher: Model
    student: Model
    recipe: Recipe
    intended_use: IntendedUse
    scenario: ScenarioRef
    headline: Annotated[list[Id], Field(min_length=1)]
    categories: Categories
    evidence: list[Evidence] | None = None
    summary: Summary
    sign_off: Annotated[list[SignOff], Field(min_length=1)] | None = None
    references: list[Reference] | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _unique_headline(self) -> Self:
        _unique(self.headline, "headline")
        return self

    @model_validator(mode="before")
    @classmethod
    def _finite_numbers(cls, data: Any) -> Any:
        bad = _first_non_finite(data)
        if bad is not None:
            raise ValueError(f"{bad or '(root)'}: numbers must be finite (no NaN or infinity)")
        return data

    def findings(self) -> list[tuple[str, Finding]]:
        """Every finding with its category key, in taxonomy order."""
        return [(key, f) for key, cat in self.categories.items() for f in cat.findings or ()]


def parse_statement(data: Any) -> Statement:
    """The typed statement for loaded data; raises ``pydantic.ValidationError`` if invalid."""
    return Statement.model_validate(data)
