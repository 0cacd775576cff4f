"""Retrain the shipped extractor and compare it with the model that ships.

``kgraph train configs/extractor.cfg`` is how the shipped model was made. This script
runs it once per training seed, scores each retrained model on the dev papers the way
``kgraph evaluate`` does (``../shared/gold/dev.jsonl``, with every rule of the
pipeline around it), scores the shipped model the same way, and says whether the
retrained weights are the shipped ones byte for byte. Training multiplies its matrices
with BLIS's Haswell kernels wherever they run (x86-64 Linux with AVX2 and FMA),
so with the same library versions, NumPy SIMD level and OpenBLAS core seed 0 gives back
the shipped weights; with another of any of these a run that drifts a little ends
somewhere else. The spread
over seeds shows how much of a dev figure is the training run's luck. The machine, the
versions and the kernels go into the results (``benchmarks/results/retrain.json``) so
that runs on different hosts can be told apart. Each seed takes about four minutes.

usage: python benchmarks/retrain.py [--seed 0 [--seed 1 ...]] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
CONFIG = ROOT / "configs" / "extractor.cfg"
WEIGHTS = ("tok2vec/model", "ner/model")
FIGURES = ("typed", "data_merged", "data_class", "untyped", "proposed")


def dev_figures(model: Path, gold: list[dict], papers: list) -> dict:
    """The dev scores of the pipeline around ``model`` (``data_class``: datasets and
    benchmarks scored as one class, the `dataset+benchmark` row of ``kgraph evaluate``)."""
    from kgraph.evaluate import score
    from kgraph.extract.pipeline import extract_papers, load_pipeline

    nlp = load_pipeline(model)
    pred = [pe.to_record() for pe in extract_papers(papers, nlp=nlp)]
    res = score(gold, pred)
    out = {k: res[k]["f"] for k in FIGURES}
    out.update(named_recall=res["named_recall"], role_accuracy=res["role_accuracy"])
    out.update({t: v["f"] for t, v in res["per_type"].items()})
    return out


def meta(model: Path) -> dict:
    return json.loads((model / "meta.json").read_text())


def training_dev_f(meta: dict) -> float:
    """The entity F1 on the training corpus's own dev split that spaCy picked the model by."""
    return round(100 * meta["performance"]["ents_f"], 2)


def same_weights(a: Path, b: Path) -> bool:
    return all((a / w).read_bytes() == (b / w).read_bytes() for w in WEIGHTS)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, action="append", help="training seed (repeatable)")
    ap.add_argument("--keep", help="keep the retrained models under this folder")
    args = ap.parse_args()
    seeds = args.seed or [0]
    gold_path = SHARED / "gold" / "dev.jsonl"
    for needed in (SHARED / "seeds", SHARED / "data" / "scierc", gold_path):
        if not needed.exists():
            sys.exit(f"skipped: {needed} is absent")

    from kgraph.evaluate import _key, load_records
    from kgraph.extract.pipeline import shipped_model
    from kgraph.ingest import read_papers
    from kgraph.train import train, training_host

    gold = load_records(gold_path)
    by_key = {_key(p.title): p for p in read_papers([SHARED / "seeds"]).papers}
    papers = [by_key[_key(g["title"])] for g in gold if _key(g["title"]) in by_key]
    shipped = shipped_model()
    result = {
        "host": training_host(),
        "config": str(CONFIG.relative_to(ROOT)),
        "shipped": {
            **dev_figures(shipped, gold, papers),
            "training_dev_ents_f": training_dev_f(meta(shipped)),
        },
        "retrained": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        for seed in seeds:
            out = base / f"seed{seed}"
            summary = train(CONFIG, out, shared=SHARED, seed=seed)
            model = out / "model-best"
            made = meta(model)
            run = {
                "seed": seed,
                "blis_kernels": made["kgraph_training"]["blis_kernels"],
                "same_weights_as_shipped": same_weights(model, shipped),
                "training_dev_ents_f": training_dev_f(made),
                **dev_figures(model, gold, papers),
            }
            result["retrained"].append(run)
            print(summary, file=sys.stderr)
    runs = result["retrained"]
    result["retrained_mean"] = {
        k: round(statistics.mean(r[k] for r in runs), 2) for k in (*FIGURES, "named_recall")
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results" / "retrain.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
