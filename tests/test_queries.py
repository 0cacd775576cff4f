"""The example queries of queries/: each answers its question on the sample graph."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from conftest import _entity, sample_corpus

from kgraph.export.rdf import cooccurrences, generate_triples
from kgraph.graph import build_graph
from kgraph.model import Paper, PaperEntities, Source
from kgraph.resolve import resolve
from kgraph.store import example_queries, memory_store, query, with_values

LIVE_COOCCURRENCE = """
SELECT ?a ?b (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?paper kg:proposes|kg:uses ?a , ?b . FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b HAVING (COUNT(DISTINCT ?paper) >= 2)
"""
PRECOMPUTED_COOCCURRENCE = """
SELECT ?a ?b ?papers WHERE {
  ?pair a kg:CoOccurrence ; kg:member ?a , ?b ; kg:paperCount ?papers . FILTER (STR(?a) < STR(?b))
}
"""
E = "https://w3id.org/kgraph/entity/"


def rich_corpus() -> list[PaperEntities]:
    """The sample corpus and a fourth paper: a second ImageNet user, COCO, GLUE again."""
    p4 = Paper(
        "p4", "Detection at scale",
        "We train ViT on ImageNet and COCO and report accuracy on GLUE.",
        sources=[Source("d.jsonl", 4)], year=2023,
    )  # fmt: skip
    ents = [
        _entity(p4, "ViT", "method", named=True),
        _entity(p4, "ImageNet", "dataset", named=True),
        _entity(p4, "COCO", "dataset", named=True),
        _entity(p4, "accuracy", "metric"),
        _entity(p4, "GLUE", "benchmark", named=True),
    ]
    return [*sample_corpus(), PaperEntities(p4, ents)]


@pytest.fixture(scope="module")
def store():
    papers, ents = resolve(rich_corpus())
    return memory_store(generate_triples(build_graph(papers, ents)))


def run(store, name: str, **values) -> list[dict]:
    sparql = example_queries()[name].read_text(encoding="utf-8")
    for key, value in values.items():
        names = tuple(key.split("__"))
        sparql = with_values(sparql, names if len(names) > 1 else names[0], [value])
    return query(store, sparql, source=name).records()


def test_there_are_at_least_six_documented_example_queries():
    queries = example_queries()
    assert len(queries) >= 6
    for name, path in queries.items():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), name
        assert "# Answers:" in text and "# Parameters:" in text, name
        assert "PREFIX kg:" in text, name  # portable to any endpoint


def test_most_used_datasets(store):
    rows = run(store, "most-used-datasets")
    assert [(r["name"], r["papers"], r["support"]) for r in rows] == [
        ("ImageNet", 2, 2),
        ("COCO", 1, 1),
    ]


@pytest.mark.parametrize("name", ["GLUE", "glue"])
def test_methods_evaluated_on_a_benchmark(store, name):
    rows = run(store, "methods-on-benchmark", benchmarkName=name)
    assert [(r["name"], r["papers"]) for r in rows] == [
        ("GPT-3", 2),
        ("Low-Rank Adaptation", 1),
        ("ViT", 1),
        ("fine-tuning", 1),
    ]


def test_methods_on_an_unknown_benchmark_is_empty(store):
    assert run(store, "methods-on-benchmark", benchmarkName="ImageNet") == []


def test_papers_that_propose_a_benchmark_and_their_tasks(store):
    rows = run(store, "benchmark-proposals")
    assert rows == [
        {
            "paper": "https://w3id.org/kgraph/paper/p3",
            "title": "The Caf\u00e9 benchmark for $\\alpha$-robust QA",
            "benchmark": E + "benchmark/caf%C3%A9-qa",
            "benchmarkName": "Caf\u00e9-QA",
            "task": E + "task/question-answering",
            "taskName": "question answering",
        }
    ]


@pytest.mark.parametrize(
    "pair, expected",
    [
        (("p1", "p3"), [("GLUE", "benchmark", "used", "used"), ("GPT-3", "method", "used", "used"),
                        ("accuracy", "metric", "used", "used")]),
        (("p1", "p2"), [("Low-Rank Adaptation", "method", "proposed", "used"),
                        ("accuracy", "metric", "used", "used")]),
        (("p3", "p2"), [("accuracy", "metric", "used", "used")]),
    ],
)  # fmt: skip
def test_what_two_papers_share(store, pair, expected):
    rows = run(store, "shared-entities", idA__idB=pair)
    assert [(r["name"], r["type"], r["roleA"], r["roleB"]) for r in rows] == expected


def test_the_sentence_that_supports_a_paper_dataset_link(store):
    rows = run(store, "link-evidence", paperId__datasetName=("p2", "imagenet"))
    assert rows == [
        {
            "sentence": "We apply LoRA to a ViT and train on ImageNet.",
            "text": "ImageNet",
            "start": 86,
            "end": 94,
            "role": "used",
            "confidence": 0.9,
            "extractor": "kgraph 0.1.0",
        }
    ]
    assert run(store, "link-evidence", paperId__datasetName=("p1", "ImageNet")) == []


def test_entities_that_appear_together_most_often(store):
    rows = run(store, "co-occurring-entities")
    assert (rows[0]["nameA"], rows[0]["nameB"], rows[0]["papers"]) == ("GLUE", "accuracy", 3)
    pairs = {(r["nameA"], r["nameB"]): r["papers"] for r in rows}
    assert pairs == {
        ("GLUE", "accuracy"): 3,
        ("GPT-3", "accuracy"): 2,
        ("GLUE", "GPT-3"): 2,
        ("ImageNet", "accuracy"): 2,
        ("ImageNet", "ViT"): 2,
        ("Low-Rank Adaptation", "accuracy"): 2,
        ("ViT", "accuracy"): 2,
    }
    assert [r["papers"] for r in rows] == sorted((r["papers"] for r in rows), reverse=True)


def _pairs(store, sparql) -> set[tuple[str, str, int]]:
    return {(r["a"], r["b"], r["papers"]) for r in query(store, sparql).records()}


def test_precomputed_cooccurrence_agrees_with_the_live_query(store):
    assert _pairs(store, PRECOMPUTED_COOCCURRENCE) == _pairs(store, LIVE_COOCCURRENCE)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_precomputed_cooccurrence_agrees_on_random_graphs(seed):
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    ents = [f"entity:method/m{i}" for i in range(15)]
    for e in ents:
        G.add_node(e, kind="entity", name=e[-3:], type="method")
    for p in range(40):
        G.add_node(f"paper:{p}", kind="paper", title=f"T{p}", sources=["x#1"])
        for e in rng.sample(ents, rng.randint(0, 6)):
            rel = rng.choice(["uses", "proposes"])
            G.add_edge(f"paper:{p}", e, key=rel, relation=rel, mentions=[])
    for e in ents:
        G.nodes[e]["support"] = G.in_degree(e)
    store = memory_store(generate_triples(G))
    live = _pairs(store, LIVE_COOCCURRENCE)
    assert live and _pairs(store, PRECOMPUTED_COOCCURRENCE) == live
    assert len(live) == sum(1 for n in cooccurrences(G).values() if n >= 2)


def test_precomputing_can_be_turned_off(graph):
    store = memory_store(generate_triples(graph, min_cooccurrence=None))
    assert not query(store, PRECOMPUTED_COOCCURRENCE).rows
