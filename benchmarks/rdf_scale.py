"""RDF at scale: export, bulk load and the example queries on a graph of a million triples.

The graph is the seed extraction replicated: every paper of a seed build's
``graph.json`` is copied under new ids (``<id>-r<n>``; copy 0 keeps the real
ids, so the example queries' default parameters still match), linking to the
same entities, until the RDF has at least ``--min-triples`` triples; entity
support is recounted. Then it times

* export: :func:`kgraph.export.rdf.write_ntriples` (generate, sort, write),
* bulk load: :func:`kgraph.store.write_store` of that N-Triples file,
* each query of ``queries/``: the median of ``--runs`` runs after one warm-up,
  on the store opened read-only,

against the bars (export <= 30 s, load <= 30 s, each query <= 200 ms median),
prints a table and writes ``benchmarks/results/rdf_scale.json``.

usage: python benchmarks/rdf_scale.py [BUILD_DIR] [--min-triples N] [--runs N]
    BUILD_DIR defaults to /tmp/kgraph-seeds, made by: kgraph build ../shared/seeds -o /tmp/kgraph-seeds
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARS = {"export_s": 30.0, "load_s": 30.0, "query_median_ms": 200.0}


def replicate(G: nx.MultiDiGraph, copies: int) -> nx.MultiDiGraph:
    """The graph with every paper (and its edges) ``copies`` times; support recounted."""
    H = nx.MultiDiGraph(**G.graph)
    papers = [(n, d) for n, d in G.nodes(data=True) if d.get("kind") == "paper"]
    for n, d in G.nodes(data=True):
        if d.get("kind") == "entity":
            H.add_node(n, **d)
    for i in range(copies):
        suffix = "" if i == 0 else f"-r{i}"
        for n, d in papers:
            H.add_node(n + suffix, **d)
        for u, v, k, d in G.edges(keys=True, data=True):
            H.add_edge(u + suffix, v, key=k, **d)
    for n, d in H.nodes(data=True):
        if d.get("kind") == "entity":
            d["support"] = len(set(H.predecessors(n)))
    return H


def time_query(store, sparql: str, runs: int) -> tuple[float, list[float], int]:
    from kgraph.store import query

    rows = len(query(store, sparql).rows)  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        query(store, sparql)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), times, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build", nargs="?", default="/tmp/kgraph-seeds", help="a seed build's output")
    ap.add_argument("--min-triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=9, help="timed runs of each query")
    ap.add_argument("--keep", help="write the N-Triples and the store here and keep them")
    args = ap.parse_args()
    graph_json = Path(args.build) / "graph.json"
    if not graph_json.is_file():
        sys.exit(
            f"skipped: {graph_json} is absent; run: kgraph build ../shared/seeds -o {args.build}"
        )

    from kgraph.export.rdf import generate_triples, write_ntriples
    from kgraph.store import example_queries, open_store, write_store

    G = nx.node_link_graph(json.loads(graph_json.read_text(encoding="utf-8")), edges="links")
    seed_triples = sum(1 for _ in generate_triples(G))
    copies = max(1, math.ceil(args.min_triples / seed_triples))
    while True:
        H = replicate(G, copies)
        t = time.perf_counter()
        triples = sum(1 for _ in generate_triples(H))
        generate_s = time.perf_counter() - t
        if triples >= args.min_triples:
            break
        copies += 1

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kgraph-rdf-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    nt, store_dir = work / "graph.nt", work / "store"
    try:
        t = time.perf_counter()
        write_ntriples(H, nt)
        export_s = time.perf_counter() - t
        t = time.perf_counter()
        loaded = write_store(nt, store_dir)
        load_s = time.perf_counter() - t
        store = open_store(store_dir)
        queries = {}
        for name, path in example_queries().items():
            median, runs, rows = time_query(store, path.read_text(encoding="utf-8"), args.runs)
            queries[name] = {
                "median_ms": round(median, 2),
                "runs_ms": [round(r, 2) for r in runs],
                "rows": rows,
                "pass": median <= BARS["query_median_ms"],
            }
        nt_mb = nt.stat().st_size / 1e6
        del store
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    result = {
        "build": str(Path(args.build).resolve()),
        "seed_papers": sum(1 for _, k in G.nodes(data="kind") if k == "paper"),
        "seed_triples": seed_triples,
        "copies": copies,
        "papers": sum(1 for _, k in H.nodes(data="kind") if k == "paper"),
        "triples": triples,
        "store_triples": loaded,
        "ntriples_mb": round(nt_mb, 1),
        "generate_s": round(generate_s, 2),
        "export_s": round(export_s, 2),
        "load_s": round(load_s, 2),
        "queries": queries,
        "bars": BARS,
        "pass": {
            "export": export_s <= BARS["export_s"],
            "load": load_s <= BARS["load_s"],
            "queries": all(q["pass"] for q in queries.values()),
        },
        "machine": {
            "python": platform.python_version(),
            "pyoxigraph": metadata.version("pyoxigraph"),
            "rdflib": metadata.version("rdflib"),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
    }
    out = ROOT / "benchmarks" / "results" / "rdf_scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    ok = {True: "ok", False: "OVER"}
    print(
        f"{result['papers']} papers ({copies} copies of {result['seed_papers']}), "
        f"{triples:,} triples, {result['ntriples_mb']} MB of N-Triples"
    )
    print(f"{'step':<28} {'time':>10} {'bar':>10}")
    print(
        f"{'export (N-Triples, sorted)':<28} {export_s:>9.2f}s {BARS['export_s']:>9.0f}s "
        f"{ok[result['pass']['export']]}"
    )
    print(
        f"{'bulk load into the store':<28} {load_s:>9.2f}s {BARS['load_s']:>9.0f}s "
        f"{ok[result['pass']['load']]}"
    )
    for name, q in queries.items():
        print(
            f"{name:<28} {q['median_ms']:>8.1f}ms {BARS['query_median_ms']:>8.0f}ms "
            f"{ok[q['pass']]}  ({q['rows']} rows)"
        )
    print(f"wrote {out.relative_to(ROOT)}")
    if not all(result["pass"].values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
