"""Graph: papers and entities as a networkx MultiDiGraph.

Nodes
    ``paper:<paper id>`` with ``kind="paper"``, ``label`` (the title), ``title``,
    ``abstract``, ``year``, ``authors`` (list), ``url``, ``sources`` (list of
    ``"file#record"`` strings).

    ``entity:<entity id>`` with ``kind="entity"``, ``label`` (the canonical
    name), ``name``, ``type`` (method, dataset, benchmark, task, metric),
    ``aliases`` (list), ``named`` (bool), ``support`` (number of papers).

Edges
    paper -> entity, keyed by ``relation``: ``"proposes"`` or ``"uses"``, with
    ``role`` (proposed or used), ``entity_type``, ``surface`` (the name this
    paper writes), ``confidence`` (float or None) and ``mentions`` (list of dicts
    with ``start``, ``end``, ``text`` and ``sentence``: the evidence).

Papers are linked through the entities they share: :func:`paper_links` gives
the paper-paper graph with the shared entities on each edge.

Examples
--------
>>> from kgraph.model import Entity, ExtractedEntity, Paper, PaperEntities
>>> e = ExtractedEntity("ImageNet", "dataset", entity="dataset/imagenet")
>>> pes = [PaperEntities(Paper(p, p, "."), [e]) for p in ("a", "b")]
>>> G = build_graph(pes, [Entity("dataset/imagenet", "ImageNet", "dataset", papers=["a", "b"])])
>>> sorted(G.successors("paper:a"))
['entity:dataset/imagenet']
>>> P = paper_links(G)
>>> P["paper:a"]["paper:b"]["shared"]
['entity:dataset/imagenet']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from itertools import combinations

import networkx as nx

from kgraph.model import Entity, PaperEntities

RELATIONS = {"proposed": "proposes", "used": "uses"}


def paper_node(paper_id: str) -> str:
    """The node id of a paper."""
    return f"paper:{paper_id}"


def entity_node(entity_id: str) -> str:
    """The node id of an entity."""
    return f"entity:{entity_id}"


def build_graph(papers: Iterable[PaperEntities], entities: Iterable[Entity]) -> nx.MultiDiGraph:
    """The knowledge graph of resolved papers and their entities."""
    G = nx.MultiDiGraph(name="kgraph")
    for ent in entities:
        G.add_node(
            entity_node(ent.id),
            kind="entity",
            label=ent.name,
            name=ent.name,
            type=ent.type,
            aliases=list(ent.aliases),
            named=ent.named,
            support=ent.support,
        )
    for pe in papers:
        p = pe.paper
        pn = paper_node(p.id)
        G.add_node(
            pn,
            kind="paper",
            label=p.title,
            title=p.title,
            abstract=p.abstract,
            year=p.year,
            authors=list(p.authors),
            url=p.url,
            sources=[f"{s.file}#{s.record}" for s in p.sources],
        )
        for e in pe.entities:
            if e.entity is None:
                raise ValueError(f"entity {e.name!r} of paper {p.id} is not resolved")
            en = entity_node(e.entity)
            if en not in G:
                raise ValueError(f"paper {p.id} links to unknown entity {e.entity!r}")
            rel = RELATIONS[e.role]
            mentions = [asdict(m) for m in e.mentions]
            if G.has_edge(pn, en, key=rel):  # two forms of one paper resolved to one node
                data = G.edges[pn, en, rel]
                data["mentions"] = sorted(
                    data["mentions"] + mentions, key=lambda m: (m["start"], m["end"])
                )
                continue
            G.add_edge(
                pn,
                en,
                key=rel,
                relation=rel,
                role=e.role,
                entity_type=G.nodes[en]["type"],
                surface=e.name,
                confidence=e.confidence,
                mentions=mentions,
            )
    return G


def paper_links(G: nx.MultiDiGraph, min_shared: int = 1) -> nx.Graph:
    """Papers joined by the entities they share: edge attrs ``shared`` (node ids) and ``weight``."""
    by_entity: dict[str, set[str]] = defaultdict(set)
    for u, v in G.edges():
        if G.nodes[u].get("kind") == "paper":
            by_entity[v].add(u)
    P = nx.Graph()
    P.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "paper")
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ent, ps in sorted(by_entity.items()):
        for a, b in combinations(sorted(ps), 2):
            shared[(a, b)].append(ent)
    for (a, b), ents in shared.items():
        if len(ents) >= min_shared:
            P.add_edge(a, b, shared=ents, weight=len(ents))
    return P
