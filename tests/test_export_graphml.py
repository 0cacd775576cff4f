"""GraphML for Gephi: scalar attributes only, every node and edge kept."""

from __future__ import annotations

import networkx as nx

from kgraph.export.graphml import flatten, write_graphml


def test_gephi_can_read_every_node_and_edge(graph, tmp_path):
    write_graphml(graph, tmp_path / "g.graphml")
    H = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert H.number_of_nodes() == graph.number_of_nodes()
    assert H.number_of_edges() == graph.number_of_edges()
    assert H.nodes["entity:metric/accuracy"]["type"] == "metric"
    assert H.nodes["entity:method/low-rank-adaptation"]["aliases"] == "LoRA"


def test_lists_and_evidence_become_scalars(graph):
    F = flatten(graph)
    for _, d in F.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in d.values())
    data = F.edges["paper:p1", "entity:method/low-rank-adaptation", "proposes"]
    assert data["mentions"] == 2
