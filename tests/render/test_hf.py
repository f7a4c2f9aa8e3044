"""The Hugging Face README loads with huggingface_hub and its metadata round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from huggingface_hub import ModelCard
from render_helpers import STATEMENTS, statement_files

from dls.render import render, render_file
from dls.render.hf import BASE_MODEL_RELATION


def _front_matter(readme: str) -> dict[str, object]:
    assert readme.startswith("---\n")
    head = readme.split("---\n", 2)[1]
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("statement", statement_files(), ids=lambda p: p.name)
def test_metadata_round_trips_through_huggingface_hub(statement: Path) -> None:
    readme = render_file(statement, "hf").text
    written = _front_matter(readme)
    card = ModelCard(readme, ignore_metadata_errors=False)
    assert card.data.to_dict() == written
    assert card.text.lstrip().startswith("# ")


@pytest.mark.parametrize("statement", statement_files(), ids=lambda p: p.name)
def test_eval_results_parse_into_the_students_values(statement: Path) -> None:
    out = render_file(statement, "hf")
    card = ModelCard(out.text)
    data = yaml.safe_load(statement.read_text(encoding="utf-8"))
    findings = [
        f for c in data["categories"].values() if isinstance(c, dict) for f in c.get("findings", [])
    ]
    results = card.data.eval_results
    assert results is not None
    assert sorted((r.metric_type, r.metric_value) for r in results) == sorted(
        (f["metric"], f["student"]) for f in findings
    )
    assert card.data.model_name == data["student"]["name"]


def test_base_model_names_the_teacher_with_the_closest_honest_relation() -> None:
    readme = render_file(STATEMENTS / "chat-assistant.dls.yaml", "hf").text
    meta = _front_matter(readme)
    assert meta["base_model"] == "acme/chat-8b"
    assert meta["base_model_relation"] == BASE_MODEL_RELATION == "finetune"
    assert meta["tags"] == ["distillation", "dls"]
    assert meta["license"] == "apache-2.0"


def test_benchmarks_sharing_a_hub_dataset_stay_apart_through_their_config() -> None:
    """huggingface_hub merges results by dataset type, config, split and revision, not name."""
    data = yaml.safe_load((STATEMENTS / "chat-assistant.dls.yaml").read_text(encoding="utf-8"))
    data["date"] = str(data["date"])
    finding = data["categories"]["task_performance"]["findings"][0]
    easy = finding | {
        "id": "arc-easy",
        "evaluation": {
            "benchmark": "ARC-Easy",
            "dataset": "allenai/ai2_arc",
            "split": "test",
            "items": 2376,
        },
        "student": 0.7,
    }
    hard = finding | {
        "id": "arc-challenge",
        "evaluation": {
            "benchmark": "ARC-Challenge",
            "dataset": "allenai/ai2_arc",
            "split": "test",
            "items": 1172,
        },
        "student": 0.4,
    }
    data["categories"]["task_performance"]["findings"] = [easy, hard]
    readme = render(data, "hf")
    meta = _front_matter(readme)
    datasets = [r["dataset"] for r in meta["model-index"][0]["results"]][:2]  # type: ignore[index]
    assert datasets == [
        {"name": "ARC-Easy", "type": "allenai/ai2_arc", "config": "ARC-Easy", "split": "test"},
        {
            "name": "ARC-Challenge",
            "type": "allenai/ai2_arc",
            "config": "ARC-Challenge",
            "split": "test",
        },
    ]
    card = ModelCard(readme)
    assert card.data.to_dict() == meta
    arc = {
        (r.dataset_name, r.metric_value)
        for r in card.data.eval_results
        if r.dataset_type == "allenai/ai2_arc"
    }
    assert arc == {("ARC-Easy", 0.7), ("ARC-Challenge", 0.4)}


def test_results_group_by_dataset_and_keep_split_revision_and_metric_arguments() -> None:
    readme = render_file(STATEMENTS / "chat-assistant.dls.yaml", "hf").text
    (entry,) = _front_matter(readme)["model-index"]  # type: ignore[misc]
    first = entry["results"][0]
    assert first["task"] == {"type": "other"}
    assert first["dataset"] == {
        "name": "MMLU",
        "type": "cais/mmlu",
        "split": "test",
        "revision": "c30699e",
    }
    assert first["metrics"] == [{"type": "accuracy", "value": 0.612, "name": "accuracy"}]
    ece = [m for r in entry["results"] for m in r["metrics"] if m["type"] == "ece_equal_width"]
    assert ece == [
        {"type": "ece_equal_width", "value": 0.038, "name": "ece equal width", "args": {"bins": 15}}
    ]


def test_the_hub_task_can_be_named() -> None:
    readme = render_file(
        STATEMENTS / "chat-assistant.dls.yaml", "hf", hf_task="text-generation"
    ).text
    card = ModelCard(readme)
    assert {r.task_type for r in card.data.eval_results} == {"text-generation"}


def test_the_readme_body_is_the_markdown_card() -> None:
    readme = render_file(STATEMENTS / "chat-assistant.dls.yaml", "hf").text
    card = render_file(STATEMENTS / "chat-assistant.dls.yaml", "markdown").text
    assert readme.endswith("\n\n# acme/chat-1b\n\n" + card)


def test_hostile_names_stay_valid_yaml_and_round_trip() -> None:
    readme = render_file(STATEMENTS / "hostile.dls.yaml", "hf").text
    meta = _front_matter(readme)
    assert "base_model" not in meta  # the name is no repository id and the URL is javascript:
    assert meta["model-index"][0]["name"].startswith("student\u202eevil")  # type: ignore[index]
    assert ModelCard(readme).data.to_dict() == meta


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            {"name": "bert-base", "url": "https://huggingface.co/google-bert/bert-base-uncased"},
            "google-bert/bert-base-uncased",
        ),
        ({"name": "acme/chat-8b"}, "acme/chat-8b"),
        ({"name": "BERT-base fine-tuned on SST-2"}, None),
        ({"name": "x y", "url": "https://huggingface.co/datasets/glue"}, None),
        ({"name": "x y", "url": "https://example.org/acme/m"}, None),
    ],
)
def test_base_model_is_a_hub_repository_id_or_left_out(
    model: dict[str, str], expected: str | None
) -> None:
    from dls.render.hf import hub_id

    assert hub_id(model) == expected
