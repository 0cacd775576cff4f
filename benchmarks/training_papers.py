"""Score extraction on the annotated training papers: a check of rules against overfitting.

The shipped model trains on these 320 seed papers (``training/annotations.jsonl``), so
its figures here are higher than on dev and are not a held-out measurement. They still
show whether a rule tuned on dev helps or hurts on papers it was not tuned on: a rule
that raises dev and lowers these is suspect. ``--rules`` scores the rules alone, which
learn nothing from these papers. The gold records are built from the annotations'
character offsets into the seed text. Results go to ``benchmarks/results/training_papers.json``.

usage: python benchmarks/training_papers.py [--seeds ../shared/seeds] [--rules]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def gold_records(annotations: Path, papers: dict) -> list[dict]:
    """Gold records in the format of ``../shared/gold``: each entity named by the text of
    its first mention, with the texts of its other mentions as aliases."""
    from kgraph.evaluate import _key

    out = []
    for line in annotations.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        paper = papers.get(_key(rec["title"]))
        if paper is None:
            continue
        entities = []
        for e in rec["entities"]:
            forms = list(dict.fromkeys(paper.text[a:b] for a, b in e.get("mentions") or []))
            if forms:
                entities.append({**e, "name": forms[0], "aliases": forms[1:]})
        out.append({"id": rec["id"], "title": rec["title"], "entities": entities})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    ap.add_argument("--rules", action="store_true", help="the rules alone, no model")
    args = ap.parse_args()
    if not Path(args.seeds).is_dir():
        sys.exit(f"skipped: {args.seeds} is absent")

    from kgraph.evaluate import _key, format_table, score
    from kgraph.extract.pipeline import extract_papers, load_pipeline
    from kgraph.ingest import read_papers

    papers = {_key(p.title): p for p in read_papers([args.seeds]).papers}
    gold = gold_records(ROOT / "training" / "annotations.jsonl", papers)
    nlp = load_pipeline(None if args.rules else "shipped")
    wanted = [papers[_key(g["title"])] for g in gold]
    pred = [pe.to_record() for pe in extract_papers(wanted, nlp=nlp)]
    res = score(gold, pred)
    print(format_table(res))
    name = "training_papers_rules.json" if args.rules else "training_papers.json"
    out = ROOT / "benchmarks" / "results" / name
    out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
