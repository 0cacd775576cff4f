"""An interactive HTML page of the graph that works offline.

pyvis builds the vis-network nodes, edges and options; the page inlines the
vis-network script and style that ship inside the installed pyvis package and
loads nothing else, so it draws with the network cut off. pyvis's own page is
not used: it loads bootstrap from a CDN in every mode, and its filter and select
menus blank the graph. The page has its own search box and legend instead.

Papers are grey boxes; entities are dots coloured by type and sized by
``support``; ``proposes`` edges are solid, ``uses`` edges dashed. Positions are
computed here and physics is off, since vis-network's physics stalls past a few
thousand nodes: networkx's spring layout below :data:`SPRING_MAX` nodes, a
particle-mesh force layout (linear time per step) from there on. The same graph
and seed give the same page.

Examples
--------
>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("paper:a", kind="paper", label="A <blink> idea", title="A <blink> idea")
>>> G.add_node("entity:x", kind="entity", label="X & Y", type="method", aliases=[], support=1)
>>> _ = G.add_edge("paper:a", "entity:x", key="proposes", relation="proposes")
>>> buf = io.StringIO(); write_html(G, buf, title="Demo")
>>> page = buf.getvalue()
>>> '<option value="X &amp; Y">' in page, "<blink>" in page, "<script src" in page
(True, False, False)
"""

from __future__ import annotations

import html
import importlib.resources
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import networkx as nx
import numpy as np
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from kgraph.export._io import open_text
from kgraph.model import ENTITY_TYPES

#: Fill colours of the entity types; types not listed take :data:`EXTRA_COLOURS` in turn.
TYPE_COLOURS: dict[str, str] = dict(
    zip(ENTITY_TYPES, ("#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#e15759"), strict=True)
)
EXTRA_COLOURS = ("#76b7b2", "#edc948", "#ff9da7", "#9c755f")
PAPER_COLOUR = {"background": "#e6e6e6", "border": "#8c8c8c"}
#: How each relation is drawn.
RELATION_STYLE: dict[str, dict[str, Any]] = {
    "proposes": {"color": "#3b3b3b", "dashes": False, "width": 2},
    "uses": {"color": "#9a9a9a", "dashes": True, "width": 1},
}
#: From this many nodes on, the layout is the particle mesh: networkx's spring
#: layout holds all pairs in memory and needs scipy past 500 nodes.
SPRING_MAX = 500


def layout(G: nx.Graph, seed: int = 0) -> dict[Any, tuple[float, float]]:
    """Node positions in the square [-1, 1]², the same for the same graph and seed.

    Examples
    --------
    >>> pos = layout(nx.path_graph(3))
    >>> pos == layout(nx.path_graph(3)), max(abs(c) for xy in pos.values() for c in xy)
    (True, 1.0)
    """
    nodes = sorted(G, key=str)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = sorted({tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v})
    if len(nodes) < SPRING_MAX:
        H = nx.Graph()
        H.add_nodes_from(range(len(nodes)))
        H.add_edges_from(pairs)
        spring = nx.spring_layout(H, seed=seed)
        xy = np.array([spring[i] for i in range(len(nodes))], dtype=float)
    else:
        xy = mesh_layout(len(nodes), np.array(pairs, dtype=np.intp).reshape(-1, 2), seed)
    xy = nx.rescale_layout(xy, scale=1)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


def mesh_layout(n: int, pairs: np.ndarray, seed: int = 0, iterations: int = 120) -> np.ndarray:
    """Fruchterman-Reingold positions of ``n`` nodes in O(n + edges) per step.

    The attraction d²/k runs along the ``pairs`` (an ``(m, 2)`` array of node
    indices); the repulsion k²/d of all pairs of nodes is read off a density
    grid convolved with that force by FFT (a particle-mesh method), so nodes in
    one grid cell do not push each other apart. A weak pull to the centre keeps
    the components together.

    Examples
    --------
    >>> xy = mesh_layout(600, np.array([(i, i + 1) for i in range(599)]))
    >>> xy.shape, bool(np.isfinite(xy).all())
    ((600, 2), True)
    """
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)  # k = 1: about one unit of area a node
    pos = rng.uniform(-side / 2, side / 2, (n, 2))
    g = int(min(512, max(32, 4 * side)))  # grid cells a side
    size = 2 * g  # zero padding: no wrap-around in the circular convolution
    off = np.fft.fftfreq(size, 1 / size)  # integer offsets 0, 1, ..., -1
    di, dj = np.meshgrid(off, off, indexing="ij")
    r2 = di**2 + dj**2
    r2[0, 0] = 1.0
    kx, ky = np.fft.rfft2(di / r2), np.fft.rfft2(dj / r2)
    u, v = pairs[:, 0], pairs[:, 1]
    t0 = side / 8
    for step in range(iterations):
        lo = pos.min(axis=0)
        h = float((pos.max(axis=0) - lo).max()) / (g - 1) or 1.0
        cell = np.minimum(((pos - lo) / h).astype(np.intp), g - 1)
        flat = cell[:, 0] * size + cell[:, 1]
        density = np.fft.rfft2(np.bincount(flat, minlength=size * size).reshape(size, size))
        push = [np.fft.irfft2(density * k, s=(size, size)).ravel()[flat] for k in (kx, ky)]
        disp = np.column_stack(push) / h
        delta = pos[u] - pos[v]
        pull = delta * np.hypot(delta[:, 0], delta[:, 1])[:, None]
        for axis in (0, 1):
            disp[:, axis] += np.bincount(v, pull[:, axis], n) - np.bincount(u, pull[:, axis], n)
        disp -= 0.5 * (pos - pos.mean(axis=0))
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)[:, None]
        t = t0 * (1 - step / iterations) + 0.01
        pos += disp / length * np.minimum(length, t)
    return pos


def type_colours(G: nx.MultiDiGraph) -> dict[str, str]:
    """The colour of each entity type in the graph, known types first."""
    present = {d.get("type") for _, d in G.nodes(data=True) if d.get("kind") == "entity"}
    others = sorted(str(t) for t in present - set(TYPE_COLOURS))
    colours = {t: c for t, c in TYPE_COLOURS.items() if t in present}
    colours.update((t, EXTRA_COLOURS[i % len(EXTRA_COLOURS)]) for i, t in enumerate(others))
    return colours


def _paper_style(d: dict) -> dict[str, Any]:
    year = d.get("year") or "year unknown"
    return {
        "title": f"{d.get('title') or d.get('label', '')}\npaper, {year}",
        "color": PAPER_COLOUR,
        "font": {"size": 12},
        "widthConstraint": {"maximum": 180},
        "kind": "paper",
    }


def _entity_style(d: dict, colours: dict[str, str]) -> dict[str, Any]:
    aliases = [str(a) for a in d.get("aliases") or ()]
    support = d.get("support") or 0
    title = [str(d.get("label", "")), f"type: {d.get('type')}"]
    title += [f"aliases: {', '.join(aliases)}"] if aliases else []
    title += [f"support: {support} paper{'' if support == 1 else 's'}"]
    return {
        "title": "\n".join(title),
        "color": colours.get(d.get("type"), EXTRA_COLOURS[0]),
        "size": round(min(8 + 5 * math.sqrt(support), 48), 1),  # area grows with support
        "kind": "entity",
        "type": d.get("type"),
        "aliases": aliases,
    }


def vis_data(G: nx.MultiDiGraph, seed: int = 0) -> tuple[list[dict], list[dict], dict]:
    """The vis-network nodes, edges and options of the graph, built with pyvis.

    Tooltips are plain text (vis-network shows a string title as text, not HTML).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("entity:x", kind="entity", label="X", type="task", aliases=["x1"], support=2)
    >>> nodes, edges, options = vis_data(G)
    >>> nodes[0]["shape"], nodes[0]["title"], options["physics"]["enabled"]
    ('dot', 'X\\ntype: task\\naliases: x1\\nsupport: 2 papers', False)
    """
    net = Network(directed=True)
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False  # straight lines draw fastest
    net.toggle_hide_edges_on_drag(len(G) > 2000)
    colours = type_colours(G)
    scale = 60 * math.sqrt(max(len(G), 1)) + 120  # canvas units: neighbours ~100 apart
    pos = layout(G, seed)
    # Node and Edge directly: Network.add_node/add_edge scan all nodes each call.
    for n in sorted(G, key=str):
        d = G.nodes[n]
        x, y = (round(scale * c) for c in pos[n])  # vis-network keeps whole units
        if d.get("kind") == "paper":
            shape, style = "box", _paper_style(d)
        else:
            shape, style = "dot", _entity_style(d, colours)
        net.nodes.append(Node(n, shape, str(d.get("label", n)), x=x, y=y, **style).options)
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for u, v, k, d in edges:
        rel = d.get("relation", k)
        style = RELATION_STYLE.get(rel, RELATION_STYLE["uses"])
        surface = d.get("surface")
        title = f"{rel} ({surface})" if surface and surface != G.nodes[v].get("label") else rel
        net.edges.append(Edge(u, v, True, title=str(title), **style).options)
    options = json.loads(net.options.to_json())
    options["layout"] = {"improvedLayout": False}
    options["interaction"].update(hover=True, tooltipDelay=150)
    return net.nodes, net.edges, options


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """The vis-network style and script shipped in the installed pyvis package.

    The newest ``lib/vis-*`` folder is used; source-map comments are dropped,
    since the page ships no maps.
    """
    lib = importlib.resources.files("pyvis") / "lib"
    found = [
        d
        for d in lib.iterdir()
        if re.fullmatch(r"vis-[\d.]+", d.name) and (d / "vis-network.min.js").is_file()
    ]
    if not found:
        raise FileNotFoundError(f"no vis-network in {lib}; reinstall pyvis")
    newest = max(found, key=lambda d: tuple(int(p) for p in d.name[4:].split(".") if p))
    css = (newest / "vis-network.css").read_text(encoding="utf-8")
    js = (newest / "vis-network.min.js").read_text(encoding="utf-8")
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    # Neither may close its element early (neither does, as shipped).
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.I)
    return css, js


def _js(value: object) -> str:
    """JSON safe inside a <script>: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for ch in "<>&\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


_STYLE = """
html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
#kg-bar { display: flex; flex-wrap: wrap; gap: .4em 1.2em; align-items: center;
  padding: .4em .8em; border-bottom: 1px solid #ddd; }
#kg-bar h1 { font-size: 1.1em; margin: 0; }
#kg-count, #kg-status { color: #666; }
#kg-main { position: relative; flex: 1; min-height: 300px; }
#kg-network { position: absolute; inset: 0; }
#kg-legend { position: absolute; top: .6em; right: .6em; z-index: 1; margin: 0;
  padding: .4em .7em; list-style: none; background: rgba(255, 255, 255, .9);
  border: 1px solid #ddd; border-radius: 4px; }
#kg-legend li { white-space: nowrap; }
.kg-key { display: inline-block; width: .8em; height: .8em; margin-right: .4em;
  vertical-align: -.05em; border-radius: 50%; }
.kg-key.paper { border-radius: 2px; border: 1px solid #8c8c8c; background: #e6e6e6; }
.kg-key.edge { width: 1.6em; height: 0; border-radius: 0; vertical-align: .3em; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var nodes = new vis.DataSet(KG.nodes), edges = new vis.DataSet(KG.edges);
  var network = new vis.Network(
    document.getElementById("kg-network"), {nodes: nodes, edges: edges}, KG.options);
  window.kgraph = {network: network, nodes: nodes, edges: edges};
  var form = document.getElementById("kg-search");
  var input = document.getElementById("kg-query");
  var status = document.getElementById("kg-status");
  function find(query) {
    var q = query.trim().toLowerCase(), partial = null;
    if (!q) return null;
    for (var i = 0; i < KG.nodes.length; i++) {
      var n = KG.nodes[i], names = [n.label].concat(n.aliases || []);
      for (var j = 0; j < names.length; j++) {
        var s = String(names[j]).toLowerCase();
        if (s === q) return n;
        if (partial === null && s.indexOf(q) >= 0) partial = n;
      }
    }
    return partial;
  }
  function search(ev) {
    if (ev) ev.preventDefault();
    var n = find(input.value);
    if (n === null) {
      network.unselectAll();
      status.textContent = input.value.trim() ? "no match" : "";
      return;
    }
    status.textContent = "";
    network.selectNodes([n.id]);
    network.focus(n.id, {scale: Math.max(network.getScale(), 1.2), animation: {duration: 400}});
  }
  form.addEventListener("submit", search);
  input.addEventListener("change", search);
})();
"""


def _legend(G: nx.MultiDiGraph) -> Iterator[str]:
    kinds = Counter(d.get("kind") for _, d in G.nodes(data=True))
    types = Counter(d.get("type") for _, d in G.nodes(data=True) if d.get("kind") == "entity")
    yield '<ul id="kg-legend">\n'
    yield f'<li><span class="kg-key paper"></span>paper ({kinds["paper"]})</li>\n'
    for t, colour in type_colours(G).items():
        yield (
            f'<li><span class="kg-key" style="background:{colour}"></span>'
            f"{html.escape(str(t))} ({types[t]})</li>\n"
        )
    for rel, style in RELATION_STYLE.items():
        line = "dashed" if style["dashes"] else "solid"
        yield (
            f'<li><span class="kg-key edge" style="border-top:{style["width"]}px {line} '
            f'{style["color"]}"></span>{rel}</li>\n'
        )
    yield "</ul>\n"


def generate_html(G: nx.MultiDiGraph, *, title: str = "kgraph", seed: int = 0) -> Iterator[str]:
    """The page text, in chunks: one self-contained HTML file.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph, as :func:`kgraph.graph.build_graph` makes it.
    title : str
        The page title and heading.
    seed : int
        The layout seed.

    Examples
    --------
    >>> page = "".join(generate_html(nx.MultiDiGraph(), title="<empty>"))
    >>> page.startswith("<!DOCTYPE html>"), "<title>&lt;empty&gt;</title>" in page
    (True, True)
    """
    nodes, edges, options = vis_data(G, seed)
    css, js = vis_assets()
    kinds = Counter(d.get("kind") for _, d in G.nodes(data=True))
    heading = html.escape(title)
    yield (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n<style>\n"
    )
    yield css
    yield f"</style>\n<style>{_STYLE}</style>\n<script>\n"
    yield js
    yield (
        '\n</script>\n</head>\n<body>\n<header id="kg-bar">\n'
        f"<h1>{heading}</h1>\n"
        f'<span id="kg-count">{kinds["paper"]} papers, {kinds["entity"]} entities, '
        f"{G.number_of_edges()} links</span>\n"
        '<form id="kg-search" role="search">'
        '<input id="kg-query" type="search" list="kg-names" placeholder="Find a node by name" '
        'aria-label="Find a node by name" autocomplete="off"> '
        '<button type="submit">Find</button> <span id="kg-status"></span></form>\n'
        '</header>\n<div id="kg-main">\n'
    )
    yield from _legend(G)
    yield '<div id="kg-network"></div>\n</div>\n<datalist id="kg-names">\n'
    names = {str(n["label"]) for n in nodes} | {str(a) for n in nodes for a in n.get("aliases", ())}
    for label in sorted(names):
        yield f'<option value="{html.escape(label)}">\n'
    yield '</datalist>\n<script>\nvar KG = {\n"nodes": [\n'
    for i, node in enumerate(nodes):
        yield ("," if i else "") + _js(node) + "\n"
    yield '],\n"edges": [\n'
    for i, edge in enumerate(edges):
        yield ("," if i else "") + _js(edge) + "\n"
    yield f'],\n"options": {_js(options)}\n}};\n{_SCRIPT}</script>\n</body>\n</html>\n'


def write_html(G: nx.MultiDiGraph, dest: str | Path | IO[str], **options: Any) -> None:
    """Write the page to a path or an open text file; ``options`` go to :func:`generate_html`."""
    with open_text(dest) as f:
        for chunk in generate_html(G, **options):
            f.write(chunk)
