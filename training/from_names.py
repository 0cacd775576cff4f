"""Turn annotations written as names (the gold record format) into offsets.

Annotators (people or helpers following ../shared/gold/GUIDELINES.md) write one
record a paper with entity names and aliases. This finds every occurrence of
each form in the paper's text (title, newline, abstract; whole words, case as
written, longest form first) and keeps only paper ids, titles and character
offsets, so no abstract text is stored in the repository.

The same for SciERC abstracts (records keyed by ``doc_key``), with offsets into
``kgraph.train.scierc_text`` of each document of ``--scierc`` (a SciERC split).

usage: python training/from_names.py NAMES.jsonl [...] -o training/annotations.jsonl
       python training/from_names.py --scierc ../shared/data/scierc/train.json NAMES.jsonl [...] -o training/scierc_annotations.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgraph.train import offsets_from_names, scierc_texts, seed_texts  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="+")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument(
        "--seeds", default=str(Path(__file__).resolve().parents[2] / "shared" / "seeds")
    )
    ap.add_argument("--scierc", help="a SciERC split: records are keyed by doc_key")
    args = ap.parse_args()
    key = "doc_key" if args.scierc else "id"
    texts = scierc_texts(Path(args.scierc)) if args.scierc else seed_texts(Path(args.seeds))
    out = []
    for path in args.names:
        for line in open(path, encoding="utf-8"):
            if line.strip():
                rec = json.loads(line)
                done = offsets_from_names({"id": None, "title": None, **rec}, texts[rec[key]])
                if args.scierc:
                    done = {"doc_key": rec[key], "entities": done["entities"]}
                out.append(done)
    out.sort(key=lambda r: r[key])
    with open(args.output, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    n = sum(len(r["entities"]) for r in out)
    missing = sum(1 for r in out for e in r["entities"] if not e["mentions"])
    print(f"{len(out)} papers, {n} entities, {missing} without a mention -> {args.output}")


if __name__ == "__main__":
    main()
