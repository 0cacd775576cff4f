"""SciERC: train the extractor's architecture on the train split and score the test split.

Entity F1 by the standard definition: exact span and type, micro over all six
types (Generic included), over every gold mention of the test split (nested ones
too, which a flat tagger cannot reach). Results go to
``benchmarks/results/scierc.json``.

usage: python benchmarks/scierc.py [--model DIR] [--train-to DIR [--seed N]]
  --model DIR     score an already trained model (model-best folder)
  --train-to DIR  train with configs/scierc.cfg into DIR first (about 9 minutes here)
  --seed N        the training seed (default 0); test F1 moves by 1-2 points with it
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCIERC = ROOT.parent / "shared" / "data" / "scierc"


def gold_mentions(rec: dict) -> set[tuple[int, int, str]]:
    """``(start, end, type)`` token spans (end exclusive) of one SciERC document."""
    return {(s, e + 1, t) for sent in rec["ner"] for s, e, t in sent}


def score(nlp, path: Path) -> dict:
    """Micro P/R/F1 over every gold mention of a split, and per type."""
    from kgraph.train import scierc_docs

    gold_docs = list(scierc_docs(nlp, path))
    records = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    tp, npred, ngold = Counter(), Counter(), Counter()
    for doc, rec in zip(gold_docs, records, strict=True):
        doc.ents = []
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        pred = {(e.start, e.end, e.label_) for e in doc.ents}
        gold = gold_mentions(rec)
        for s in pred:
            npred[s[2]] += 1
        for s in gold:
            ngold[s[2]] += 1
        for s in pred & gold:
            tp[s[2]] += 1

    def prf(t, p, g):
        pr = t / p if p else 0.0
        rc = t / g if g else 0.0
        return {
            "p": round(100 * pr, 1),
            "r": round(100 * rc, 1),
            "f": round(200 * pr * rc / (pr + rc), 1) if pr + rc else 0.0,
        }

    out = {"micro": prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))}
    out["per_type"] = {t: prf(tp[t], npred[t], ngold[t]) for t in sorted(ngold)}
    out["gold_mentions"] = sum(ngold.values())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="a trained model-best folder")
    ap.add_argument("--train-to", help="train configs/scierc.cfg into this folder first")
    ap.add_argument("--seed", type=int, help="training seed (with --train-to; default 0)")
    args = ap.parse_args()
    if args.seed is not None and not args.train_to:
        ap.error("--seed only applies with --train-to (a trained model has its seed already)")
    if not SCIERC.is_dir():
        sys.exit(f"skipped: {SCIERC} is absent")
    import spacy

    if args.train_to:
        from kgraph.train import train

        print(train(ROOT / "configs" / "scierc.cfg", args.train_to, seed=args.seed or 0))
        args.model = str(Path(args.train_to) / "model-best")
    if not args.model:
        sys.exit("give --model DIR or --train-to DIR")
    import kgraph.extract.pipeline  # noqa: F401  (registers the tokenizer and the tagger)

    nlp = spacy.load(args.model)
    result = {
        "model": args.model,
        "seed": spacy.util.load_config(Path(args.model) / "config.cfg")["system"]["seed"],
        "test": score(nlp, SCIERC / "test.json"),
        "dev": score(nlp, SCIERC / "dev.json"),
    }
    print(json.dumps(result, indent=2))
    (ROOT / "benchmarks" / "results" / "scierc.json").write_text(
        json.dumps(result, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
