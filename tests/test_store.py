"""Store: bulk load, open, query, output formats and errors."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kgraph.errors import InputError, QueryError, StoreError, UnknownNameError
from kgraph.export.rdf import generate_triples, write_ntriples, write_turtle
from kgraph.store import (
    example_queries,
    format_result,
    is_store,
    memory_store,
    open_store,
    query,
    read_query,
    run_query,
    with_values,
    write_store,
)

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DATASETS = "SELECT ?d ?name WHERE { ?d a kg:Dataset ; skos:prefLabel ?name } ORDER BY ?name"


def test_write_store_loads_every_triple_and_the_ontology(graph, tmp_path):
    triples = list(generate_triples(graph))
    n = write_store(triples, tmp_path / "store")
    assert n == len(set(triples))
    assert is_store(tmp_path / "store")
    store = open_store(tmp_path / "store")
    assert query(store, COUNT).records() == [{"n": n}]
    ontology = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/kgraph/ns> { ?s ?p ?o } }"
    assert query(store, ontology).records()[0]["n"] > 100


@pytest.mark.parametrize("suffix, write", [(".nt", write_ntriples), (".ttl", write_turtle)])
def test_write_store_from_a_file(graph, tmp_path, suffix, write):
    path = tmp_path / f"graph{suffix}"
    write(graph, path)
    n = write_store(path, tmp_path / "store", ontology=False)
    assert n == len(set(generate_triples(graph)))


def test_write_store_replaces_an_old_store_and_leaves_nothing_beside(graph, tmp_path):
    write_store(generate_triples(graph), tmp_path / "store")
    one = [(URIRef("http://ex.org/s"), URIRef("http://ex.org/p"), Literal("o"))]
    assert write_store(one, tmp_path / "store") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_write_store_refuses_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a kgraph store"):
        write_store([], tmp_path / "store")
    assert (tmp_path / "store" / "notes.txt").exists()


def test_write_store_of_a_malformed_file_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> .\n")
    with pytest.raises(InputError, match="bad.nt"):
        write_store(bad, tmp_path / "store")
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("make", ["missing", "empty", "file"])
def test_opening_no_store_is_a_store_error(tmp_path, make):
    target = tmp_path / "store"
    if make == "empty":
        target.mkdir()
    elif make == "file":
        target.write_text("x")
    with pytest.raises(StoreError, match=str(target)):
        open_store(target)
    with pytest.raises(StoreError):
        run_query(target, COUNT)


def test_the_store_opens_read_only(sample_output):
    store = open_store(sample_output / "store")
    with pytest.raises(RuntimeError):
        store.update("INSERT DATA { <http://a> <http://b> <http://c> }")


def test_query_gives_columns_rows_and_plain_records(sample_output):
    res = query(sample_output / "store", DATASETS)
    assert res.kind == "select" and res.columns == ["d", "name"]
    assert res.records() == [
        {"d": "https://w3id.org/kgraph/entity/dataset/imagenet", "name": "ImageNet"}
    ]
    ask = query(sample_output / "store", "ASK { ?p kg:evaluatesOn benchmark:glue }")
    assert ask.kind == "ask" and ask.boolean is True
    graph = query(sample_output / "store", "CONSTRUCT WHERE { ?d a kg:Dataset }")
    assert graph.kind == "graph" and graph.columns == ["subject", "predicate", "object"]


def test_table_format(sample_output):
    text = run_query(sample_output / "store", DATASETS, "table")
    assert text.splitlines() == [
        "d                | name",
        "-----------------+---------",
        "dataset:imagenet | ImageNet",
        "(1 row)",
    ]
    assert run_query(sample_output / "store", "ASK { ?s ?p ?o }") == "true"


def test_csv_format_is_sparql_csv(sample_output):
    text = run_query(sample_output / "store", DATASETS, "csv")
    assert text == "d,name\r\nhttps://w3id.org/kgraph/entity/dataset/imagenet,ImageNet\r\n"
    q = 'SELECT ?title WHERE { ?p dcterms:identifier "p2" ; dcterms:title ?title }'
    rows = list(csv.reader(io.StringIO(run_query(sample_output / "store", q, "csv"))))
    assert rows == [["title"], ['Vision adapters for "image classification" <fast>']]


def test_json_format_is_sparql_json(sample_output):
    q = "SELECT ?name ?support ?none WHERE { benchmark:glue skos:prefLabel ?name ; kg:support ?support }"
    data = json.loads(run_query(sample_output / "store", q, "json"))
    assert data == {
        "head": {"vars": ["name", "support", "none"]},
        "results": {
            "bindings": [
                {
                    "name": {"type": "literal", "value": "GLUE"},
                    "support": {
                        "type": "literal",
                        "value": "2",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                    },
                }
            ]
        },
    }
    assert json.loads(run_query(sample_output / "store", "ASK {}", "json")) == {
        "head": {},
        "boolean": True,
    }
    text = run_query(sample_output / "store", q, "json")
    parsed = ox.parse_query_results(text, ox.QueryResultsFormat.JSON)
    assert [s["name"].value for s in parsed] == ["GLUE"]


def test_unknown_format_lists_the_known_ones(sample_output):
    with pytest.raises(UnknownNameError, match="csv, json, table"):
        run_query(sample_output / "store", COUNT, "xml")


@pytest.mark.parametrize(
    "sparql, position",
    [
        ("SELECT ?x WHERE { ?x ?p }", (1, 26)),
        ("SELECT ?x WHERE {\n  ?x ?p ?o .\n  FILTER( }", (3, 12)),
        ("SELEC ?x", (1, 9)),
        ("SELECT ?x WHERE { ?x nope:p ?o }", (1, 28)),
    ],
)
def test_a_malformed_query_gives_the_parsers_message_and_position(sample_output, sparql, position):
    with pytest.raises(QueryError) as info:
        run_query(sample_output / "store", sparql)
    err = info.value
    assert (err.line, err.column) == position
    assert f"error at {position[0]}:{position[1]}" in str(err)
    assert "\n" not in str(err)


def test_a_malformed_query_file_is_named(sample_output, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("SELECT * WHERE {")
    with pytest.raises(QueryError, match="bad.rq: error at 1:17"):
        run_query(sample_output / "store", str(path))


def test_an_update_is_refused_with_a_clear_message(sample_output):
    with pytest.raises(QueryError, match="read-only"):
        run_query(
            sample_output / "store", "PREFIX ex: <http://ex.org/>\nINSERT DATA { ex:a ex:b ex:c }"
        )


def test_read_query_takes_a_file_an_example_name_or_text(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK {}")
    assert read_query(str(path)) == ("ASK {}", str(path))
    text, source = read_query("most-used-datasets")
    assert source == "most-used-datasets.rq" and "kg:usesDataset" in text
    assert read_query("most-used-datasets.rq")[1] == "most-used-datasets.rq"
    assert read_query("ASK {}") == ("ASK {}", "")
    assert read_query("SELECT * WHERE { ?s ?p ?o } " * 1000)[1] == ""
    with pytest.raises(InputError, match="no such query file"):
        read_query("missing.rq")


def test_with_values_replaces_one_or_several_variables():
    q = example_queries()["link-evidence"].read_text()
    bound = with_values(q, ("paperId", "datasetName"), [("p2", "ImageNet")])
    assert 'VALUES (?paperId ?datasetName) { ("p2" "ImageNet") }' in bound
    with pytest.raises(QueryError, match="no VALUES block"):
        with_values(q, "nothing", ["x"])


def test_memory_store_answers_like_a_folder(graph, sample_output):
    mem = memory_store(generate_triples(graph))
    assert query(mem, DATASETS).records() == query(sample_output / "store", DATASETS).records()


def test_format_result_of_a_graph_query(sample_output):
    res = query(sample_output / "store", "CONSTRUCT WHERE { ?d a kg:Dataset }")
    text = format_result(res, "table")
    assert "dataset:imagenet | rdf:type  | kg:Dataset" in text
