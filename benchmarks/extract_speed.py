"""Time extraction of the seed papers in one process.

Model load is timed apart; the figure is papers per second over the extraction
alone, best of ``--repeat`` runs, with peak memory (max RSS) of the process. The first
run is reported apart too: spaCy's tokenizer caches the words it has split, so later
runs over the same papers tokenize faster than one pass over new papers does. Results
go to ``benchmarks/results/extract_speed.json``.

usage: python benchmarks/extract_speed.py [--seeds ../shared/seeds] [--model DIR|rules] [--profile]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default=str(ROOT.parent / "shared" / "seeds"))
    ap.add_argument("--model", default="shipped", help="a model folder, 'shipped' or 'rules'")
    ap.add_argument("--profile", action="store_true", help="time each pipeline component")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not Path(args.seeds).is_dir():
        sys.exit(f"skipped: {args.seeds} is absent")

    from kgraph.extract.pipeline import extract_papers, load_pipeline
    from kgraph.ingest import read_papers

    papers = read_papers([args.seeds]).papers
    t = time.perf_counter()
    nlp = load_pipeline(None if args.model == "rules" else args.model)
    load_s = time.perf_counter() - t
    runs = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        n = sum(1 for _ in extract_papers(papers, nlp=nlp))
        runs.append(time.perf_counter() - t)
    best = min(runs)
    result = {
        "papers": n,
        "pipeline": nlp.pipe_names,
        "model_load_s": round(load_s, 3),
        "extract_s_best": round(best, 3),
        "extract_s_runs": [round(r, 3) for r in runs],
        "papers_per_s": round(n / best, 1),
        "papers_per_s_first_run": round(n / runs[0], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.profile:
        texts = [p.text for p in papers]
        docs = [nlp.make_doc(x) for x in texts]
        t = time.perf_counter()
        docs = [nlp.make_doc(x) for x in texts]
        shares = {"tokenizer": time.perf_counter() - t}
        for name, proc in nlp.pipeline:
            t = time.perf_counter()
            docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            shares[name] = time.perf_counter() - t
        total = sum(shares.values())
        result["profile_share_pct"] = {k: round(100 * v / total, 1) for k, v in shares.items()}
    print(json.dumps(result, indent=2))
    out = ROOT / "benchmarks" / "results" / "extract_speed.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
