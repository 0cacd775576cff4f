"""networkx node-link JSON, the format ``networkx.node_link_graph`` reads back.

Examples
--------
>>> import io, json, networkx as nx
>>> G = nx.MultiDiGraph(); _ = G.add_edge("paper:a", "entity:x", key="uses", relation="uses")
>>> buf = io.StringIO(); write_node_link(G, buf)
>>> H = nx.node_link_graph(json.loads(buf.getvalue()), edges="links")
>>> list(H.edges(keys=True))
[('paper:a', 'entity:x', 'uses')]
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import networkx as nx

from kgraph.export._io import open_text


def generate_node_link(G: nx.MultiDiGraph) -> Iterator[str]:
    """The JSON text, in chunks, nodes and edges in sorted order."""
    data = nx.node_link_data(G, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"], e["key"]))
    yield from json.JSONEncoder(ensure_ascii=False, sort_keys=True).iterencode(data)
    yield "\n"


def write_node_link(G: nx.MultiDiGraph, dest: str | Path | IO[str]) -> None:
    """Write node-link JSON to a path or an open text file."""
    with open_text(dest) as f:
        for chunk in generate_node_link(G):
            f.write(chunk)
