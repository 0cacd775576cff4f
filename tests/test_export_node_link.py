"""Node-link JSON: networkx reads back the same graph, in a stable order."""

from __future__ import annotations

import io
import json

import networkx as nx

from kgraph.export.node_link import generate_node_link, write_node_link


def test_round_trip_keeps_nodes_edges_and_attributes(graph, tmp_path):
    write_node_link(graph, tmp_path / "g.json")
    H = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text()), edges="links")
    assert isinstance(H, nx.MultiDiGraph)
    assert dict(H.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(H.edges(keys=True)) == sorted(graph.edges(keys=True))
    assert (
        H.edges["paper:p1", "entity:method/low-rank-adaptation", "proposes"]
        == graph.edges["paper:p1", "entity:method/low-rank-adaptation", "proposes"]
    )


def test_output_does_not_depend_on_insertion_order(graph):
    H = nx.MultiDiGraph()
    H.add_nodes_from(reversed(list(graph.nodes(data=True))))
    H.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    H.graph.update(graph.graph)
    assert "".join(generate_node_link(H)) == "".join(generate_node_link(graph))


def test_writes_to_an_open_file(graph):
    buf = io.StringIO()
    write_node_link(graph, buf)
    assert buf.getvalue() == "".join(generate_node_link(graph))
