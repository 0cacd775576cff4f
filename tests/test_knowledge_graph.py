"""KnowledgeGraph: a build's graph and store together, for Python users."""

from __future__ import annotations

import pytest

from kgraph.errors import InputError, QueryError, StoreError, UnknownNameError
from kgraph.knowledge_graph import KnowledgeGraph


def test_load_gives_the_networkx_graph_and_the_store(sample_output, graph):
    kg = KnowledgeGraph.load(sample_output)
    assert sorted(kg.graph.nodes) == sorted(graph.nodes)
    assert sorted(kg.graph.edges(keys=True)) == sorted(graph.edges(keys=True))
    assert kg.graph.is_multigraph() and kg.graph.is_directed()
    assert repr(kg) == "<KnowledgeGraph: 3 papers, 11 entities>"


def test_query_returns_plain_records(sample_output):
    kg = KnowledgeGraph.load(sample_output)
    rows = kg.query(
        "SELECT ?name ?support WHERE { ?e a kg:Benchmark ; skos:prefLabel ?name ; kg:support ?support }"
        " ORDER BY ?name"
    )
    assert rows == [{"name": "Caf\u00e9-QA", "support": 1}, {"name": "GLUE", "support": 2}]
    assert kg.query("ASK { paper:p1 kg:proposesMethod method:low-rank-adaptation }") is True


def test_papers_and_entities(sample_output):
    kg = KnowledgeGraph.load(sample_output)
    papers = kg.papers()
    assert [p["id"] for p in papers] == ["p1", "p2", "p3"]
    assert papers[0]["title"].startswith("LoRA") and papers[0]["year"] == 2021
    assert [e["name"] for e in kg.entities("dataset")] == ["ImageNet"]
    assert len(kg.entities()) == 11


def test_example_queries_by_name_with_parameters(sample_output):
    kg = KnowledgeGraph.load(sample_output)
    assert kg.example("most-used-datasets")[0]["name"] == "ImageNet"
    rows = kg.example("shared-entities", idA__idB=("p1", "p3"))
    assert [r["name"] for r in rows] == ["GLUE", "GPT-3", "accuracy"]
    with pytest.raises(UnknownNameError, match="most-used-datasets"):
        kg.example("nope")


def test_from_graph_answers_like_a_loaded_build(sample_output, graph):
    q = "SELECT ?e WHERE { ?p kg:uses ?e } ORDER BY ?e"
    assert KnowledgeGraph.from_graph(graph).query(q) == KnowledgeGraph.load(sample_output).query(q)


def test_errors(tmp_path, sample_output):
    with pytest.raises(InputError, match="graph.json"):
        KnowledgeGraph.load(tmp_path)
    (sample_output.parent / "nostore").mkdir()
    (sample_output.parent / "nostore" / "graph.json").write_text(
        (sample_output / "graph.json").read_text()
    )
    with pytest.raises(StoreError, match="no store"):
        KnowledgeGraph.load(sample_output.parent / "nostore")
    with pytest.raises(QueryError, match="error at 1:"):
        KnowledgeGraph.load(sample_output).query("SELECT ?x WHERE {")
