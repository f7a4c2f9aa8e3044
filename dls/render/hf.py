"""The Hugging Face README: YAML front matter, then the Markdown card.

The front matter is lossy by necessity, and the card body says everything it
drops. Hugging Face's ``model-index`` describes one model, so it carries the
student's values only (teacher values, intervals, tolerances and verdicts are in
the card). ``base_model_relation`` is ``finetune``: the Hub knows only
``adapter``, ``merge``, ``quantized`` and ``finetune`` and has no distillation
relation; a student's weights come from training against the teacher, which is
closest to ``finetune``, and the other three describe weight transformations a
distilled student did not go through. The ``distillation`` tag says the rest.
``base_model`` must be a Hub repository id: it comes from the teacher's
huggingface.co URL, else its name when that is an id, else it is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from dls.render import text

BASE_MODEL_RELATION = "finetune"
TAGS = ("distillation", "dls")
DEFAULT_TASK = "other"
"""Hub pipeline tag used for ``model-index`` results when none is given (``--hf-task``)."""

_LICENSE_ID = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
_HUB_URL = re.compile(r"^https://huggingface\.co/([A-Za-z0-9][\w.-]*(?:/[A-Za-z0-9][\w.-]*)?)/?$")


def hub_id(model: Mapping[str, Any]) -> str | None:
    """The model's Hub repository id: from its huggingface.co URL, else its name if it is one."""
    url = model.get("url")
    if isinstance(url, str):
        found = _HUB_URL.match(url)
        if found and not found.group(1).startswith(("datasets/", "spaces/")):
            return found.group(1)
    name = model.get("name")
    if isinstance(name, str) and _REPO_ID.match(name):
        return name
    return None


def _dataset(row: Mapping[str, Any]) -> dict[str, Any]:
    ev = row["evaluation"]
    out: dict[str, Any] = {
        "name": str(ev["benchmark"]),
        "type": str(ev["dataset"] or ev["benchmark"]),
    }
    if ev["split"]:
        out["split"] = str(ev["split"])
    if ev["revision"]:
        out["revision"] = str(ev["revision"])
    return out


def _metric(row: Mapping[str, Any]) -> dict[str, Any]:
    label = str(row["metric"]["label"])
    out: dict[str, Any] = {
        "type": str(row["metric"]["id"]),
        "value": row["student_value"],
        "name": label if label != row["metric"]["id"] else label.replace("_", " "),
    }
    if row["parameter_values"]:
        out["args"] = dict(row["parameter_values"])
    return out


def model_index(context: Mapping[str, Any], task: str) -> list[dict[str, Any]]:
    """``model-index`` for the student: one result per (task, dataset), metrics in statement order.

    huggingface_hub groups results by task type and dataset type, config, split
    and revision, not by dataset name; two benchmarks sharing a dataset type
    (ARC-Easy and ARC-Challenge in ``allenai/ai2_arc``) would merge under one
    name. They get the benchmark name as ``config`` instead, so the metadata
    round-trips through ``ModelCardData`` unchanged.
    """
    rows = [
        row
        for cat in context["categories"]
        for row in cat["rows"]
        if isinstance(row["student_value"], (int, float))
        and not isinstance(row["student_value"], bool)
    ]

    def hub_key(ds: Mapping[str, Any]) -> tuple[Any, ...]:
        return (ds["type"], ds.get("config"), ds.get("split"), ds.get("revision"))

    datasets = [_dataset(row) for row in rows]
    names: dict[tuple[Any, ...], set[str]] = {}
    for ds in datasets:
        names.setdefault(hub_key(ds), set()).add(ds["name"])
    results: list[dict[str, Any]] = []
    index: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row, ds in zip(rows, datasets, strict=True):
        if len(names[hub_key(ds)]) > 1:
            ds = {"name": ds["name"], "type": ds["type"], "config": ds["name"]} | {
                k: v for k, v in ds.items() if k in ("split", "revision")
            }
        key = hub_key(ds)
        if key not in index:
            index[key] = {"task": {"type": task}, "dataset": ds, "metrics": []}
            results.append(index[key])
        index[key]["metrics"].append(_metric(row))
    if not results:
        return []
    return [{"name": str(context["student"]["name"]), "results": results}]


def front_matter(context: Mapping[str, Any], task: str = "other") -> dict[str, Any]:
    """The README metadata as a plain dict, in the order it is written."""
    meta: dict[str, Any] = {}
    license_id = context["student"]["license"]
    if isinstance(license_id, str) and _LICENSE_ID.match(license_id.lower()):
        meta["license"] = license_id.lower()
    teacher = hub_id(context["teacher"])
    if teacher is not None:  # the Hub rejects a base_model that is not a repository id
        meta["base_model"] = teacher
        meta["base_model_relation"] = BASE_MODEL_RELATION
    meta["tags"] = list(TAGS)
    index = model_index(context, task)
    if index:
        meta["model-index"] = index
    return meta


def render_hf(context: Mapping[str, Any], markdown: str, task: str = DEFAULT_TASK) -> str:
    """README.md text: ``---`` front matter ``---``, a title, then the card."""
    meta = front_matter(context, task)
    head = yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    title = text.md_inline(str(context["student"]["name"]))
    return f"---\n{head}---\n\n# {title}\n\n{markdown}"
