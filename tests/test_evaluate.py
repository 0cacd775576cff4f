"""Evaluate: our implementation of the guidelines' scores agrees with the reference scorer."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import GOLD, SEEDS, needs_shared

from kgraph.evaluate import norm, score


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("Vision-Transformers", "vision transformer"),
        ("GPT\u20114", "gpt 4"),
        ("F1-score!", "f1 score"),
        ("C++", "c++"),
    ],
)
def test_norm_follows_the_guidelines(form, expected):
    assert norm(form) == expected


def test_alias_hit_counts_once_and_type_matters():
    gold = [
        {
            "title": "T",
            "entities": [
                {
                    "name": "Low-Rank Adaptation",
                    "aliases": ["LoRA"],
                    "type": "method",
                    "role": "proposed",
                    "named": True,
                }
            ],
        }
    ]
    pred = [
        {
            "title": "t!",
            "entities": [
                {"name": "LoRA", "type": "method", "role": "used"},
                {"name": "low rank adaptation", "type": "method", "role": "used"},
            ],
        }
    ]
    s = score(gold, pred)
    assert s["typed"] == {"p": 50.0, "r": 100.0, "f": 66.7}
    assert s["role_accuracy"] == 0.0
    pred[0]["entities"][0]["type"] = "task"
    assert score(gold, pred)["per_type"]["method"]["r"] == 100.0  # the second one still hits


def test_datasets_and_benchmarks_score_as_one_class():
    def ent(name, etype):
        return {"name": name, "aliases": [], "type": etype, "role": "used", "named": True}

    gold = [{"title": "T", "entities": [ent("MOT17", "dataset"), ent("GLUE", "benchmark")]}]
    pred = [{"title": "T", "entities": [ent("MOT17", "benchmark"), ent("BERT", "method")]}]
    s = score(gold, pred)
    assert s["per_type"]["dataset"]["r"] == 0.0  # typed, MOT17 is missed
    assert s["data_class"] == {"p": 100.0, "r": 50.0, "f": 66.7}  # BERT is not data


def test_missing_paper_predicts_nothing():
    gold = [
        {"title": "A", "entities": [{"name": "X", "type": "method"}]},
        {"title": "B", "entities": [{"name": "Y", "type": "task"}]},
    ]
    pred = [{"title": "A", "entities": [{"name": "X", "type": "method"}]}]
    assert score(gold, pred)["typed"]["r"] == 50.0


def _reference(gold, pred) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(GOLD / "score.py"), str(gold), str(pred)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = {}
    for line in out.splitlines():
        m = re.match(r"\s*([\w-]+)\s+P\s+([\d.]+)\s+R\s+([\d.]+)\s+F1\s+([\d.]+)", line)
        if m:
            figures[m.group(1)] = tuple(map(float, m.groups()[1:]))
    return figures


@needs_shared(GOLD / "score.py")
@needs_shared(SEEDS)
def test_agrees_with_reference_scorer_on_dev(tmp_path):
    from kgraph.extract.pipeline import extract_papers, load_pipeline
    from kgraph.ingest import read_papers

    gold = [json.loads(x) for x in (GOLD / "dev.jsonl").read_text().splitlines() if x.strip()]
    ids = {g["id"] for g in gold}
    papers = [p for p in read_papers([SEEDS]).papers if p.id in ids]
    pred = [pe.to_record() for pe in extract_papers(papers, nlp=load_pipeline("shipped"))]
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(r) + "\n" for r in pred))
    ref = _reference(GOLD / "dev.jsonl", pred_path)
    ours = score(gold, pred)
    pairs = {
        "typed": ours["typed"],
        "data-merged": ours["data_merged"],
        "untyped": ours["untyped"],
        **ours["per_type"],
    }
    assert set(pairs) <= set(ref)
    for name, r in pairs.items():
        assert ref[name] == pytest.approx((r["p"], r["r"], r["f"]), abs=0.1), name
