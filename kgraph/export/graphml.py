"""GraphML for Gephi and yEd: list attributes become ``"; "``-joined strings and
the evidence is summarised, since GraphML holds only scalar values.

Examples
--------
>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("entity:x", kind="entity", aliases=["X", "Ex"], year=None)
>>> _ = G.add_edge("paper:a", "entity:x", key="uses", mentions=[{"start": 0, "end": 1, "text": "X", "sentence": "X."}])
>>> buf = io.StringIO(); write_graphml(G, buf)
>>> H = nx.read_graphml(io.BytesIO(buf.getvalue().encode()), force_multigraph=True)
>>> H.nodes["entity:x"]["aliases"], H.edges["paper:a", "entity:x", "uses"]["mentions"]
('X; Ex', 1)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

import networkx as nx

from kgraph.export._io import open_text


def _scalar(value: object) -> object:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return len(value)
        return "; ".join(str(v) for v in value)
    return value


def flatten(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with every attribute a GraphML scalar; ``None`` values are left out."""
    H = nx.MultiDiGraph()
    for n, d in sorted(G.nodes(data=True)):
        H.add_node(n, **{k: _scalar(v) for k, v in d.items() if v is not None})
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3]):
        H.add_edge(u, v, key=k, **{a: _scalar(b) for a, b in d.items() if b is not None})
    return H


def generate_graphml(G: nx.MultiDiGraph) -> Iterator[str]:
    """GraphML lines."""
    yield from nx.generate_graphml(flatten(G))


def write_graphml(G: nx.MultiDiGraph, dest: str | Path | IO[str]) -> None:
    """Write GraphML to a path or an open text file."""
    with open_text(dest) as f:
        for line in generate_graphml(G):
            f.write(line + "\n")
