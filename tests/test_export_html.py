"""The HTML exporter: escaping, an offline page, determinism, and drawing in a real browser."""

from __future__ import annotations

import html
import io
import random
import re
import time

import networkx as nx
import pytest

from kgraph.export import writer
from kgraph.export.html import (
    EXTRA_COLOURS,
    PAPER_COLOUR,
    SPRING_MAX,
    TYPE_COLOURS,
    generate_html,
    layout,
    type_colours,
    vis_data,
    write_html,
)

NASTY = [
    'Vision adapters for "image classification" <fast>',
    "</script><script>alert(1)</script>",
    "R&D <b>bold</b> & 'quoted'",
    "The Caf\u00e9 benchmark for $\\alpha$-robust QA",
]


def page_of(G: nx.MultiDiGraph, **options) -> str:
    return "".join(generate_html(G, **options))


def named_graph(name: str) -> nx.MultiDiGraph:
    """A paper and an entity that both carry ``name``."""
    G = nx.MultiDiGraph()
    G.add_node("paper:a", kind="paper", label=name, title=name, year=2024)
    G.add_node(
        "entity:x",
        kind="entity",
        label=name,
        name=name,
        type="method",
        aliases=[name + " v2"],
        support=1,
    )
    G.add_edge("paper:a", "entity:x", key="proposes", relation="proposes", surface=name)
    return G


def big_graph(n_papers: int = 1000, n_entities: int = 4000, seed: int = 0) -> nx.MultiDiGraph:
    """A generated graph: every entity proposed or used by one paper, plus popular entities."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    types = sorted(TYPE_COLOURS)
    for i in range(n_entities):
        G.add_node(
            f"entity:e{i}",
            kind="entity",
            label=f"entity {i}",
            name=f"entity {i}",
            type=types[i % len(types)],
            aliases=[],
            named=True,
            support=0,
        )
    for j in range(n_papers):
        G.add_node(
            f"paper:p{j}", kind="paper", label=f"paper {j}", title=f"paper {j}", year=2020 + j % 5
        )
    for i in range(n_entities):
        rel = "proposes" if i < n_papers else "uses"
        G.add_edge(f"paper:p{i % n_papers}", f"entity:e{i}", key=rel, relation=rel)
    for j in range(n_papers):
        for _ in range(3):
            i = int(rng.paretovariate(1.2)) % n_entities
            G.add_edge(f"paper:p{j}", f"entity:e{i}", key="uses", relation="uses")
    for n, d in G.nodes(data=True):
        if d["kind"] == "entity":
            d["support"] = G.in_degree(n)
    return G


def test_registry_finds_the_html_writer():
    assert writer("html") is write_html


def test_page_contains_every_node_label_escaped(graph):
    page = page_of(graph)
    for _, d in graph.nodes(data=True):
        assert f'<option value="{html.escape(d["label"])}">' in page


@pytest.mark.parametrize("name", NASTY)
def test_names_never_reach_the_page_unescaped(name):
    page = page_of(named_graph(name), title=name)
    assert f'<option value="{html.escape(name)}">' in page
    assert f"<title>{html.escape(name)}</title>" in page
    if set(name) & set('<>&"'):
        assert name not in page
    # Two inline scripts, vis-network and ours: no name closes one early.
    assert page.count("</script>") == 2


def test_tooltips_are_plain_text_with_the_raw_name():
    nodes, edges, _ = vis_data(named_graph(NASTY[0]))
    by_id = {n["id"]: n for n in nodes}
    assert by_id["paper:a"]["title"] == NASTY[0] + "\npaper, 2024"
    assert by_id["entity:x"]["title"] == "\n".join(
        [NASTY[0], "type: method", f"aliases: {NASTY[0]} v2", "support: 1 paper"]
    )


def test_papers_are_grey_boxes_and_entities_dots_by_type_and_support(graph):
    nodes, edges, options = vis_data(graph)
    for n in nodes:
        d = graph.nodes[n["id"]]
        if d["kind"] == "paper":
            assert (n["shape"], n["color"]) == ("box", PAPER_COLOUR)
        else:
            assert (n["shape"], n["color"]) == ("dot", TYPE_COLOURS[d["type"]])
    size = {n["id"]: n.get("size") for n in nodes}
    assert size["entity:metric/accuracy"] > size["entity:benchmark/glue"]
    assert size["entity:benchmark/glue"] > size["entity:dataset/imagenet"]
    for e, (u, v, rel) in zip(edges, sorted(graph.edges(keys=True)), strict=True):
        assert (e["from"], e["to"], e["dashes"]) == (u, v, rel == "uses")
    assert options["physics"]["enabled"] is False


def test_types_beyond_the_five_take_the_extra_colours_in_name_order():
    G = nx.MultiDiGraph()
    for t in ["tool", "method", "corpus"]:
        G.add_node(f"entity:{t}", kind="entity", label=t, type=t, aliases=[], support=1)
    assert type_colours(G) == {
        "method": TYPE_COLOURS["method"],
        "corpus": EXTRA_COLOURS[0],
        "tool": EXTRA_COLOURS[1],
    }


@pytest.mark.parametrize("name", ["graph", "empty", "big"])
def test_page_loads_no_remote_scripts_or_styles(name, graph):
    G = {"graph": graph, "empty": nx.MultiDiGraph(), "big": big_graph(100, 500)}[name]
    page = page_of(G)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 2
    for css in styles:
        assert not re.search(r"@import|url\(\s*(?!['\"]?data:)", css, re.I)
    # The markup outside the inline scripts and styles loads nothing.
    markup = re.sub(r"<(script|style)>.*?</\1>", r"<\1></\1>", page, flags=re.S)
    assert markup.count("<script>") == 2
    assert not re.search(r"<script\s|<link\b|\b(src|href)\s*=", markup, re.I)
    assert "sourceMappingURL" not in page
    assert "vis.Network" in page  # vis-network is inline


@pytest.mark.parametrize("kind", ["str", "path", "file"])
def test_written_file_equals_generated_text(graph, tmp_path, kind):
    path = tmp_path / "graph.html"
    if kind == "file":
        with open(path, "w", encoding="utf-8") as f:
            write_html(graph, f, title="Sample")
    else:
        write_html(graph, str(path) if kind == "str" else path, title="Sample")
    assert path.read_text(encoding="utf-8") == page_of(graph, title="Sample")


def test_writing_to_an_open_text_buffer_equals_generated_text(graph):
    buf = io.StringIO()
    write_html(graph, buf)
    assert buf.getvalue() == page_of(graph)


@pytest.mark.parametrize("n_papers, n_entities", [(3, 10), (SPRING_MAX, SPRING_MAX)])
def test_same_graph_gives_the_same_page_whatever_the_insertion_order(n_papers, n_entities):
    G = big_graph(n_papers, n_entities)
    H = nx.MultiDiGraph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert page_of(G) == page_of(H)
    assert page_of(G, seed=1) != page_of(G)


@pytest.mark.parametrize("n", [1, 2, 50, SPRING_MAX + 100])
def test_layout_fills_the_unit_square(n):
    pos = layout(nx.path_graph(n))
    assert len(pos) == n
    extent = max(abs(c) for xy in pos.values() for c in xy)
    assert extent == (0.0 if n == 1 else pytest.approx(1.0))


def test_big_graph_lays_out_in_seconds():
    G = big_graph()
    start = time.monotonic()
    pos = layout(G)
    assert time.monotonic() - start < 10
    assert len({(round(x, 3), round(y, 3)) for x, y in pos.values()}) > 0.9 * len(G)


# --- in a real browser --------------------------------------------------------

#: Resolves, once the network has drawn, to what was drawn.
DRAWN = """
new Promise((resolve) => {
  const kg = window.kgraph;
  kg.network.once("afterDrawing", () => {
    const canvas = document.querySelector("#kg-network canvas");
    const {data} = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    const ids = kg.nodes.getIds(), pos = kg.network.getPositions(ids);
    const moved = ids.filter((id) => {
      const n = kg.nodes.get(id);
      return pos[id].x !== n.x || pos[id].y !== n.y;
    });
    resolve({nodes: kg.nodes.length, edges: kg.edges.length,
             drawn: kg.network.body.nodeIndices.length, moved: moved.length,
             painted: painted / (data.length / 4),
             labels: Object.fromEntries(ids.map((id) => [id, kg.nodes.get(id).label]))});
  });
  kg.network.redraw();
})
"""


def assert_drew_offline(page, path, G) -> dict:
    drawn = page.evaluate(DRAWN)
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("data:")] == [path.as_uri()]
    assert (drawn["nodes"], drawn["drawn"]) == (len(G), len(G))
    assert drawn["edges"] == G.number_of_edges()
    assert drawn["moved"] == 0  # physics is off: the precomputed positions stay
    assert drawn["painted"] > 0.001  # the canvas is not blank
    return drawn


@pytest.mark.browser
def test_sample_page_draws_offline_in_chromium(graph, chromium, tmp_path):
    path = tmp_path / "graph.html"
    write_html(graph, path)
    drawn = assert_drew_offline(chromium(path), path, graph)
    assert drawn["labels"] == {n: d["label"] for n, d in graph.nodes(data=True)}


@pytest.mark.browser
@pytest.mark.parametrize(
    "query, selected, status",
    [
        ("lora", "entity:method/low-rank-adaptation", ""),  # an alias, any case
        ("vision adapters", "paper:p2", ""),  # part of a title
        ("no such thing", None, "no match"),
    ],
)
def test_search_box_selects_and_focuses_the_matching_node(
    graph, chromium, tmp_path, query, selected, status
):
    path = tmp_path / "graph.html"
    write_html(graph, path)
    page = chromium(path)
    result = page.evaluate(f"""
      new Promise((resolve) => {{
        document.getElementById("kg-query").value = {query!r};
        document.getElementById("kg-search").requestSubmit();
        setTimeout(() => {{
          const net = window.kgraph.network, sel = net.getSelectedNodes();
          const view = net.getViewPosition();
          const at = sel.length ? net.getPositions(sel)[sel[0]] : view;
          resolve({{selected: sel, status: document.getElementById("kg-status").textContent,
                    offset: Math.hypot(view.x - at.x, view.y - at.y)}});
        }}, 700);
      }})
    """)
    assert result["selected"] == ([selected] if selected else [])
    assert result["status"] == status
    assert result["offset"] < 1  # the view is centred on the node
    assert page.errors == []


@pytest.mark.browser
def test_graph_of_5000_nodes_draws_at_once(chromium, tmp_path):
    G = big_graph()
    assert len(G) == 5000
    path = tmp_path / "big.html"
    write_html(G, path)
    start = time.monotonic()
    assert_drew_offline(chromium(path), path, G)
    assert time.monotonic() - start < 30
