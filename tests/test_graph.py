"""Graph: papers and entities with typed edges and evidence; papers linked via shared entities."""

from __future__ import annotations

import pytest

from kgraph.graph import build_graph, paper_links
from kgraph.model import Entity, ExtractedEntity, Paper, PaperEntities


def test_nodes_carry_kind_and_type(graph):
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert kinds == {"paper", "entity"}
    assert graph.nodes["entity:method/low-rank-adaptation"]["type"] == "method"
    assert graph.nodes["entity:metric/accuracy"]["support"] == 3


def test_edges_are_keyed_by_relation_and_hold_evidence(graph):
    data = graph.edges["paper:p1", "entity:method/low-rank-adaptation", "proposes"]
    assert data["role"] == "proposed" and data["entity_type"] == "method"
    assert {m["text"] for m in data["mentions"]} == {"Low-Rank Adaptation", "LoRA"}
    assert graph.has_edge("paper:p2", "entity:method/low-rank-adaptation", key="uses")


def test_papers_are_linked_by_what_they_share(graph):
    P = paper_links(graph)
    assert set(P["paper:p1"]["paper:p3"]["shared"]) == {
        "entity:benchmark/glue",
        "entity:method/gpt-3",
        "entity:metric/accuracy",
    }
    assert P["paper:p1"]["paper:p3"]["weight"] == 3
    assert paper_links(graph, min_shared=3).number_of_edges() == 1


def test_unresolved_entity_is_refused():
    pe = PaperEntities(Paper("p", "T", "."), [ExtractedEntity("X", "method")])
    with pytest.raises(ValueError, match="not resolved"):
        build_graph([pe], [])


def test_two_forms_resolved_to_one_node_give_one_edge():
    ents = [
        ExtractedEntity("ViT", "method", entity="method/vit"),
        ExtractedEntity("ViTs", "method", entity="method/vit"),
    ]
    G = build_graph(
        [PaperEntities(Paper("p", "T", "."), ents)],
        [Entity("method/vit", "ViT", "method", papers=["p"])],
    )
    assert G.number_of_edges() == 1
