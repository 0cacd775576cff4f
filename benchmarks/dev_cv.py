"""Cross-validated dev scores of a config that trains on the gold dev papers.

A model trained on ``../shared/gold/dev.jsonl`` cannot be scored on it. This
splits the dev papers into folds by id; for each fold it trains the config with
that fold held out (``kgraph.train.train(..., holdout=...)``) and extracts the
fold's papers with that model. The pooled predictions of all folds are scored
against the whole dev set with ``kgraph.evaluate.score``, the scorer of
``kgraph evaluate``. Results go to ``benchmarks/results/dev_cv.json``.

usage: python benchmarks/dev_cv.py [--config configs/extractor.cfg] [--gold-weight N] [--folds 5] [--jobs 2] [--work DIR]
  --gold-weight N  add "+gold" to the config's corpus, the dev papers repeated N times
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _train(args: tuple[str, str, str, frozenset[str]]) -> str:
    from kgraph.train import train

    config, output, shared, holdout = args
    return train(config, output, shared=shared, holdout=holdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(ROOT / "configs" / "extractor.cfg"))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--gold-weight", type=int, help="add the dev papers to the corpus, N times")
    ap.add_argument("--work", help="keep the fold models here (default: a temporary folder)")
    args = ap.parse_args()
    gold_path = Path(args.shared) / "gold" / "dev.jsonl"
    if not gold_path.exists():
        sys.exit(f"skipped: {gold_path} is absent")

    from kgraph.evaluate import format_table, load_records, score
    from kgraph.extract.pipeline import extract_papers, load_pipeline
    from kgraph.ingest import read_papers
    from kgraph.model import id_bucket

    gold = load_records(gold_path)
    folds = [
        frozenset(r["id"] for r in gold if id_bucket(r["id"], args.folds) == k)
        for k in range(args.folds)
    ]
    papers = {p.id: p for p in read_papers([Path(args.shared) / "seeds"]).papers}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.gold_weight:
            import spacy

            cfg = spacy.util.load_config(args.config)
            corpus = cfg["paths"].get("corpus", "seeds").split("+")
            cfg["paths"]["corpus"] = "+".join(dict.fromkeys([*corpus, "gold"]))
            cfg["paths"]["gold_weight"] = args.gold_weight
            args.config = str(work / f"gold{args.gold_weight}.cfg")
            cfg.to_disk(args.config)
        jobs = [
            (args.config, str(work / f"fold{k}"), args.shared, fold) for k, fold in enumerate(folds)
        ]
        with ProcessPoolExecutor(args.jobs) as pool:
            for line in pool.map(_train, jobs):
                print(line, flush=True)
        pred = []
        for k, fold in enumerate(folds):
            nlp = load_pipeline(work / f"fold{k}" / "model-best")
            fold_papers = [papers[i] for i in sorted(fold)]
            pred.extend(pe.to_record() for pe in extract_papers(fold_papers, nlp=nlp))
    res = score(gold, pred)
    print(format_table(res))
    out = ROOT / "benchmarks" / "results" / "dev_cv.json"
    result = {
        "config": Path(args.config).name,
        "gold_weight": args.gold_weight,
        "folds": args.folds,
        "scores": res,
    }
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
