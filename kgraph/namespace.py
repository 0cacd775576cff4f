"""The project's RDF vocabulary as one closed namespace, and every prefix in one place.

:class:`KG` lists each term that ``ontology/kgraph.ttl`` defines; it is closed,
so a misspelt term raises ``AttributeError`` where it is used (at import, for
the module-level tables of :mod:`kgraph.export.rdf`). :func:`bind_prefixes`
binds the standard prefixes, and those of a base IRI's instance data, to a graph.

Examples
--------
>>> KG.usesDataset
rdflib.term.URIRef('https://w3id.org/kgraph/ns#usesDataset')
>>> KG.usesDatset
Traceback (most recent call last):
...
AttributeError: term 'usesDatset' not in namespace 'https://w3id.org/kgraph/ns#'
>>> g = bind_prefixes(Graph())
>>> g.namespace_manager.normalizeUri(KG.Paper)
'kg:Paper'
>>> instance_prefixes("https://example.org/kg/")["paper"]
'https://example.org/kg/paper/'
"""

from __future__ import annotations

from rdflib import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, Graph, Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

#: Where instance data lives unless a build sets another base IRI.
DEFAULT_BASE_IRI = "https://w3id.org/kgraph/"

#: The ontology (``ontology/kgraph.ttl``) and the shapes (``ontology/shapes.ttl``).
ONTOLOGY_IRI = "https://w3id.org/kgraph/ns"
SHAPES_IRI = "https://w3id.org/kgraph/shapes"

FABIO = Namespace("http://purl.org/spar/fabio/")
OA = Namespace("http://www.w3.org/ns/oa#")
KGSH = Namespace(SHAPES_IRI + "#")


class KG(DefinedNamespace):
    """The kgraph vocabulary: classes, individuals and properties of ``ontology/kgraph.ttl``."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Paper: URIRef  # a research paper
    Entity: URIRef  # a thing papers share; a skos:Concept
    Method: URIRef
    Dataset: URIRef
    Benchmark: URIRef
    Task: URIRef
    Metric: URIRef
    Link: URIRef  # one paper-entity link with its provenance
    Mention: URIRef  # one occurrence of an entity in a paper's text
    Role: URIRef
    ExtractionRun: URIRef  # a prov:Activity
    Extractor: URIRef  # a prov:SoftwareAgent
    CoOccurrence: URIRef  # a pair of entities and how many papers share them

    # individuals of kg:Role
    proposed: URIRef
    used: URIRef

    # paper -> entity
    proposes: URIRef
    uses: URIRef
    proposesMethod: URIRef
    proposesDataset: URIRef
    proposesBenchmark: URIRef
    proposesTask: URIRef
    proposesMetric: URIRef
    usesMethod: URIRef
    usesDataset: URIRef
    evaluatesOn: URIRef
    addressesTask: URIRef
    usesMetric: URIRef

    # link
    paper: URIRef
    entity: URIRef
    role: URIRef
    surface: URIRef
    confidence: URIRef
    evidence: URIRef

    # mention
    start: URIRef
    end: URIRef
    text: URIRef
    sentence: URIRef

    # entity
    support: URIRef
    named: URIRef

    # co-occurrence
    member: URIRef
    paperCount: URIRef


#: The vocabulary prefixes, also given to SPARQL queries run by :mod:`kgraph.store`.
PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "dcterms": str(DCTERMS),
    "schema": str(SDO),
    "fabio": str(FABIO),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "oa": str(OA),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

#: Prefix -> path under the base IRI of the instance data (see :func:`instance_prefixes`).
INSTANCE_PATHS: dict[str, str] = {
    "paper": "paper/",
    "method": "entity/method/",
    "dataset": "entity/dataset/",
    "benchmark": "entity/benchmark/",
    "task": "entity/task/",
    "metric": "entity/metric/",
    "link": "link/",
    "mention": "mention/",
    "pair": "cooccurrence/",
    "agent": "agent/",
}


def instance_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """Prefixes of the instance data under ``base_iri``: papers, entities by type, links, mentions."""
    return {prefix: base_iri + path for prefix, path in INSTANCE_PATHS.items()}


def bind_prefixes(graph: Graph, base_iri: str | None = DEFAULT_BASE_IRI) -> Graph:
    """Bind the vocabulary prefixes, and those of ``base_iri`` unless it is None; return ``graph``."""
    prefixes = dict(PREFIXES)
    if base_iri is not None:
        prefixes.update(instance_prefixes(base_iri))
    for prefix, iri in prefixes.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph
