"""KnowledgeGraph: one built graph for Python and notebook users.

It holds the networkx graph (``graph.json`` of a build) and the SPARQL store
(``store/``) side by side: walk the one, query the other.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("paper:p1", kind="paper", title="ViT", abstract="", sources=["a.txt#1"])
>>> G.add_node("entity:dataset/imagenet", kind="entity", name="ImageNet", type="dataset", support=1)
>>> _ = G.add_edge("paper:p1", "entity:dataset/imagenet", key="uses", relation="uses",
...                mentions=[{"start": 0, "end": 3, "text": "ViT", "sentence": "ViT"}])
>>> kg = KnowledgeGraph.from_graph(G)
>>> [p["id"] for p in kg.papers()]
['p1']
>>> kg.query("SELECT ?name WHERE { ?p kg:usesDataset ?d . ?d skos:prefLabel ?name }")
[{'name': 'ImageNet'}]
>>> kg.example("most-used-datasets")[0]["papers"]
1
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.errors import InputError, StoreError, UnknownNameError
from kgraph.store import (
    QueryResult,
    example_queries,
    memory_store,
    open_store,
    query,
    with_values,
)


class KnowledgeGraph:
    """A knowledge graph: ``graph`` (networkx MultiDiGraph) and ``store`` (a pyoxigraph Store).

    Use :meth:`load` for a build's output folder, :meth:`from_graph` for a graph
    in memory.
    """

    def __init__(self, graph: nx.MultiDiGraph, store: Any) -> None:
        self.graph = graph
        self.store = store

    def __repr__(self) -> str:
        papers = sum(1 for _, k in self.graph.nodes(data="kind") if k == "paper")
        entities = sum(1 for _, k in self.graph.nodes(data="kind") if k == "entity")
        return f"<KnowledgeGraph: {papers} papers, {entities} entities>"

    @classmethod
    def load(cls, output_dir: str | Path = "output") -> KnowledgeGraph:
        """The graph of a build's output folder: ``graph.json`` and ``store/``, opened read-only."""
        out = Path(output_dir)
        path = out / "graph.json"
        if not path.is_file():
            raise InputError(str(path), "no such file: run `kgraph build` first")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            graph = nx.node_link_graph(data, edges="links")
        except (ValueError, KeyError, TypeError) as err:
            raise InputError(str(path), f"not a node-link graph: {err}") from None
        return cls(graph, open_store(out / "store"))

    @classmethod
    def from_graph(
        cls,
        graph: nx.MultiDiGraph,
        *,
        base_iri: str | None = None,
        extractor_version: str | None = None,
    ) -> KnowledgeGraph:
        """A knowledge graph with an in-memory store of ``graph``'s triples."""
        from kgraph.export.rdf import generate_triples

        return cls(graph, memory_store(generate_triples(graph, base_iri, extractor_version)))

    def result(self, sparql: str) -> QueryResult:
        """The full :class:`~kgraph.store.QueryResult` of a query (columns, terms, kind)."""
        if self.store is None:
            raise StoreError("this knowledge graph has no store")
        return query(self.store, sparql)

    def query(self, sparql: str) -> list[dict[str, Any]] | bool:
        """Run SPARQL: a list of dicts (column -> plain value, None if unbound) or, for ASK, a bool.

        CONSTRUCT and DESCRIBE give dicts of ``subject``, ``predicate``,
        ``object``. Prefixes ``kg:``, ``skos:``, ``dcterms:``, ``paper:``, ...
        need no declaration.
        """
        res = self.result(sparql)
        return bool(res.boolean) if res.kind == "ask" else res.records()

    def example(self, name: str, **values: Any) -> list[dict[str, Any]] | bool:
        """Run an example query of ``queries/`` by name, its VALUES set from keyword arguments.

        A keyword names one variable (``benchmarkName="GLUE"``) or several joined
        by ``__`` with a tuple value (``paperId__datasetName=("p2", "ImageNet")``).
        """
        examples = example_queries()
        if name not in examples:
            raise UnknownNameError("example query", name, list(examples))
        sparql = examples[name].read_text(encoding="utf-8")
        for key, value in values.items():
            names = tuple(key.split("__"))
            sparql = with_values(sparql, names if len(names) > 1 else names[0], [value])
        return self.query(sparql)

    def papers(self) -> list[dict[str, Any]]:
        """Every paper's attributes, with its ``id``, sorted by id."""
        return self._nodes("paper", "paper:")

    def entities(self, type: str | None = None) -> list[dict[str, Any]]:
        """Every entity's attributes, with its ``id``, sorted by id; only one ``type`` if given."""
        ents = self._nodes("entity", "entity:")
        return [e for e in ents if type is None or e.get("type") == type]

    def _nodes(self, kind: str, prefix: str) -> list[dict[str, Any]]:
        out = []
        for node, data in sorted(self.graph.nodes(data=True), key=lambda nd: nd[0]):
            if data.get("kind") == kind:
                out.append({"id": node.removeprefix(prefix), **data})
        return out
