"""kgraph: a knowledge graph of research papers and the methods, datasets,
benchmarks, tasks and metrics they share.

The stages, one module or package each: :mod:`kgraph.ingest` (files to papers),
:mod:`kgraph.extract` (spaCy: papers to entities), :mod:`kgraph.resolve` (one node
per real thing), :mod:`kgraph.graph` (networkx), :mod:`kgraph.export` (RDF, HTML,
JSON, GraphML) and :mod:`kgraph.store` (Oxigraph, SPARQL). :mod:`kgraph.build`
runs them in order.
"""

__version__ = "0.1.0"
