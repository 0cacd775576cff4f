"""End to end: kgraph build on the seed corpus in ../shared."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import SEEDS, needs_shared

pytestmark = [pytest.mark.slow, needs_shared(SEEDS)]


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "out"
    res = subprocess.run(
        [sys.executable, "-m", "kgraph.cli", "build", str(SEEDS), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    return out, res.stdout


def test_reports_records_and_distinct_papers(seed_build):
    _, stdout = seed_build
    assert "records read      554" in stdout
    assert "distinct papers   480" in stdout
    assert "duplicates merged 74" in stdout


def test_papers_jsonl_has_one_line_per_paper(seed_build):
    out, _ = seed_build
    lines = (out / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 480
    assert len({json.loads(x)["id"] for x in lines}) == 480


def test_turtle_parses_with_rdflib_and_pyoxigraph(seed_build):
    import pyoxigraph
    import rdflib

    out, _ = seed_build
    g = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    store = pyoxigraph.Store()
    store.bulk_load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(g) > 50_000
    assert len(store) == len(g)


def test_every_paper_links_to_something_and_entities_are_shared(seed_build):
    import networkx as nx

    out, _ = seed_build
    G = nx.node_link_graph(json.loads((out / "graph.json").read_text()), edges="links")
    papers = [n for n, d in G.nodes(data=True) if d["kind"] == "paper"]
    assert sum(1 for p in papers if G.out_degree(p) == 0) < 5
    shared = [n for n, d in G.nodes(data=True) if d["kind"] == "entity" and d["support"] >= 5]
    assert len(shared) > 50
