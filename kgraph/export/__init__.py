"""Export: writers looked up by format name.

Each exporter module has a pure generator (``generate_*``, yielding lines,
triples or nodes) and a thin ``write_*(G, dest, **options)`` that takes a path
or an open file. Modules are imported on first use, so that only the RDF
exporter imports rdflib and only the HTML exporter imports pyvis.

Examples
--------
>>> sorted(FORMATS)
['graphml', 'html', 'json', 'jsonld', 'nt', 'ttl']
>>> writer("gexf")
Traceback (most recent call last):
...
kgraph.errors.UnknownNameError: unknown export format 'gexf'; known: graphml, html, json, jsonld, nt, ttl
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from kgraph.errors import UnknownNameError


@dataclass(frozen=True)
class Format:
    """An export format: the writer (``module:function``), the usual file name, a description."""

    target: str
    filename: str
    description: str


FORMATS: dict[str, Format] = {
    "ttl": Format("kgraph.export.rdf:write_turtle", "graph.ttl", "RDF Turtle"),
    "nt": Format("kgraph.export.rdf:write_ntriples", "graph.nt", "RDF N-Triples, sorted"),
    "jsonld": Format("kgraph.export.rdf:write_jsonld", "graph.jsonld", "RDF JSON-LD"),
    "json": Format(
        "kgraph.export.node_link:write_node_link", "graph.json", "networkx node-link JSON"
    ),
    "graphml": Format(
        "kgraph.export.graphml:write_graphml", "graph.graphml", "GraphML (Gephi, yEd)"
    ),
    "html": Format(
        "kgraph.export.html:write_html", "graph.html", "interactive page, works offline"
    ),
}


def writer(name: str) -> Callable:
    """The writer function of a format name; an unknown name fails with the known ones."""
    try:
        fmt = FORMATS[name]
    except KeyError:
        raise UnknownNameError("export format", name, list(FORMATS)) from None
    module, func = fmt.target.split(":")
    return getattr(importlib.import_module(module), func)
