"""RDF: the knowledge graph as triples in the kgraph vocabulary (``ontology/kgraph.ttl``).

:func:`generate_triples` is the pure generator; :func:`write_ntriples` (sorted,
byte-identical for the same graph), :func:`write_turtle` and
:func:`write_jsonld` are the thin writers.

What a paper-entity edge becomes
    The direct statements ``paper kg:uses entity`` (or ``kg:proposes``) and
    the typed one by entity type (``kg:usesDataset``, ``kg:evaluatesOn``,
    ``kg:addressesTask``, ...), plus a ``kg:Link`` node with the role, the
    surface form, the confidence, ``prov:wasGeneratedBy`` the extraction run,
    and one ``kg:Mention`` per piece of evidence (text, offsets, sentence).

Precomputed
    A ``kg:CoOccurrence`` node for each pair of entities that at least
    ``min_cooccurrence`` papers share, with ``kg:paperCount``: the example
    query on entities that appear together is then a lookup.

IRIs
    ``<base>paper/<id>``, ``<base>entity/<type>/<slug>``, ``<base>link/<hash>``
    and ``<base>mention/<link hash>-<start>-<end>``: every id segment is
    percent-encoded (UTF-8) except ``A-Z a-z 0-9 - . _ ~``, so any name gives a
    valid IRI, different ids give different IRIs and labels keep the original text.

Examples
--------
>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("paper:p1", kind="paper", title="Fast <ViT>", abstract="", sources=["a.txt#1"])
>>> G.add_node("entity:method/vit", kind="entity", name='"ViT"', type="method", support=1)
>>> _ = G.add_edge("paper:p1", "entity:method/vit", key="uses", relation="uses", role="used",
...                surface="ViT", confidence=0.9,
...                mentions=[{"start": 6, "end": 9, "text": "ViT", "sentence": "Fast <ViT>"}])
>>> paper_iri("p1")
rdflib.term.URIRef('https://w3id.org/kgraph/paper/p1')
>>> entity_iri("method/a b<c>")
rdflib.term.URIRef('https://w3id.org/kgraph/entity/method/a%20b%3Cc%3E')
>>> buf = io.StringIO(); write_ntriples(G, buf)
>>> [line for line in buf.getvalue().splitlines() if "usesMethod" in line or "prefLabel" in line]
... # doctest: +NORMALIZE_WHITESPACE
['<https://w3id.org/kgraph/entity/method/vit> <http://www.w3.org/2004/02/skos/core#prefLabel> "\\\\"ViT\\\\"" .',
 '<https://w3id.org/kgraph/paper/p1> <https://w3id.org/kgraph/ns#usesMethod> <https://w3id.org/kgraph/entity/method/vit> .']
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import combinations
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import networkx as nx
from rdflib import DCTERMS, FOAF, PROV, RDF, RDFS, SDO, SKOS, XSD, BNode, Graph, Literal, URIRef

from kgraph import __version__
from kgraph.errors import OptionError
from kgraph.export._io import open_text
from kgraph.namespace import DEFAULT_BASE_IRI, KG, PREFIXES, bind_prefixes, instance_prefixes

Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]

#: The class of each entity type.
TYPE_CLASS: dict[str, URIRef] = {
    "method": KG.Method,
    "dataset": KG.Dataset,
    "benchmark": KG.Benchmark,
    "task": KG.Task,
    "metric": KG.Metric,
}

#: Classes of a standard vocabulary an entity type also gets.
EXTRA_CLASSES: dict[str, tuple[URIRef, ...]] = {"dataset": (SDO.Dataset,)}

#: The direct property of each relation, and of each (relation, entity type).
RELATION_PROPERTY: dict[str, URIRef] = {"proposes": KG.proposes, "uses": KG.uses}
TYPED_PROPERTY: dict[tuple[str, str], URIRef] = {
    ("proposes", "method"): KG.proposesMethod,
    ("proposes", "dataset"): KG.proposesDataset,
    ("proposes", "benchmark"): KG.proposesBenchmark,
    ("proposes", "task"): KG.proposesTask,
    ("proposes", "metric"): KG.proposesMetric,
    ("uses", "method"): KG.usesMethod,
    ("uses", "dataset"): KG.usesDataset,
    ("uses", "benchmark"): KG.evaluatesOn,
    ("uses", "task"): KG.addressesTask,
    ("uses", "metric"): KG.usesMetric,
}
ROLE: dict[str, URIRef] = {"proposes": KG.proposed, "uses": KG.used}

_BASE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*[/#]")
_BAD_IRI_CHAR = re.compile(r"[\x00-\x20<>\"{}|^`\\]")
_ESCAPE = re.compile(r"[\x00-\x1f\x22\x5c\x7f]")
_ECHAR = {
    "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\",
}  # fmt: skip
_SIX_PLACES = Decimal("0.000001")


def check_base_iri(base_iri: str) -> str:
    """``base_iri`` if it is an absolute IRI ending in ``/`` or ``#``; else OptionError.

    Examples
    --------
    >>> check_base_iri("https://example.org/kg/")
    'https://example.org/kg/'
    >>> check_base_iri("example.org")
    Traceback (most recent call last):
    ...
    kgraph.errors.OptionError: base IRI 'example.org' is not allowed: it must be an absolute IRI (scheme:...) without spaces or <>"{}|^`\\ and end in '/' or '#'
    """
    if not _BASE_IRI.fullmatch(base_iri):
        raise OptionError(
            f"base IRI {base_iri!r} is not allowed: it must be an absolute IRI (scheme:...) "
            "without spaces or <>\"{}|^`\\ and end in '/' or '#'"
        )
    return base_iri


def iri_segment(text: str) -> str:
    """One IRI path segment for an id: UTF-8 percent-encoding of all but ``A-Za-z0-9-._~``.

    Examples
    --------
    >>> iri_segment('Café "QA" \\\\alpha/2')
    'Caf%C3%A9%20%22QA%22%20%5Calpha%2F2'
    >>> iri_segment("..")
    '%2E%2E'
    """
    if not text:
        raise ValueError("an id must not be empty")
    seg = quote(text, safe="")
    if seg.strip(".") == "":  # "." and ".." are dot-segments that IRI normalisation removes
        seg = seg.replace(".", "%2E")
    return seg


def paper_iri(paper_id: str, base_iri: str = DEFAULT_BASE_IRI) -> URIRef:
    """The IRI of a paper: ``<base>paper/<id>``."""
    return URIRef(f"{base_iri}paper/{iri_segment(paper_id)}")


def entity_iri(entity_id: str, base_iri: str = DEFAULT_BASE_IRI) -> URIRef:
    """The IRI of an entity ``<type>/<slug>``: ``<base>entity/<type>/<slug>``."""
    parts = entity_id.split("/", 1)
    return URIRef(f"{base_iri}entity/" + "/".join(iri_segment(p) for p in parts))


def link_key(paper_id: str, entity_id: str, relation: str) -> str:
    """The hash that names a link: 16 hex digits of SHA-1 of paper id, entity id and relation."""
    data = f"{paper_id}\x1f{entity_id}\x1f{relation}".encode()
    return hashlib.sha1(data).hexdigest()[:16]


def decimal_lexical(value: float) -> str:
    """The canonical ``xsd:decimal`` form of a number rounded to six places.

    Examples
    --------
    >>> decimal_lexical(0.9), decimal_lexical(1), decimal_lexical(1 / 3), decimal_lexical(1e-9)
    ('0.9', '1', '0.333333', '0')
    """
    d = Decimal(repr(float(value))).quantize(_SIX_PLACES).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "0") else text


def _year(year: int) -> Literal:
    sign = "-" if year < 0 else ""
    return Literal(f"{sign}{abs(year):04d}", datatype=XSD.gYear)


def base_iri_of(G: nx.MultiDiGraph, base_iri: str | None = None) -> str:
    """The base IRI to use: ``base_iri``, else ``G.graph["base_iri"]``, else the default; checked."""
    if base_iri is None:
        base_iri = G.graph.get("base_iri") or DEFAULT_BASE_IRI
    return check_base_iri(base_iri)


def default_extractor_version(G: nx.MultiDiGraph) -> str:
    """The extractor version a graph records (``G.graph["extractor_version"]`` or
    ``["extractor"]``), else kgraph's."""
    recorded = G.graph.get("extractor_version") or G.graph.get("extractor")
    return str(recorded or f"kgraph {__version__}")


def generate_triples(
    G: nx.MultiDiGraph,
    base_iri: str | None = None,
    extractor_version: str | None = None,
    *,
    min_cooccurrence: int | None = 2,
) -> Iterator[Triple]:
    """Yield the RDF triples of a kgraph graph (see :mod:`kgraph.graph` for its attributes).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        Paper and entity nodes and paper -> entity edges, as :func:`kgraph.graph.build_graph` makes.
    base_iri : str
        Prefix of every instance IRI, an absolute IRI ending in ``/`` or ``#``;
        by default ``G.graph["base_iri"]`` or ``https://w3id.org/kgraph/``.
    extractor_version : str, optional
        Recorded on the extraction run every link was generated by; by default
        ``G.graph["extractor_version"]`` or the kgraph version.
    min_cooccurrence : int or None
        Precompute a ``kg:CoOccurrence`` for each pair of entities at least this
        many papers share; None or 0 for none.

    Yields
    ------
    tuple
        ``(subject, predicate, object)`` rdflib terms, papers then entities then
        links in sorted node order; the same graph always gives the same sequence.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("entity:task/qa", kind="entity", name="QA", type="task", aliases=["Q&A"], support=0)
    >>> sorted(str(o) for s, p, o in generate_triples(G, "http://ex.org/") if p == SKOS.altLabel)
    ['Q&A']
    """
    base_iri = base_iri_of(G, base_iri)
    version = extractor_version or default_extractor_version(G)
    scheme = URIRef(f"{base_iri}entities")
    run = URIRef(f"{base_iri}run/{iri_segment(version)}")
    extractor = URIRef(f"{base_iri}extractor/{iri_segment(version)}")

    yield scheme, RDF.type, SKOS.ConceptScheme
    yield scheme, RDFS.label, Literal("kgraph entities")
    yield run, RDF.type, KG.ExtractionRun
    yield run, RDFS.label, Literal(f"entity extraction with {version}")
    yield run, PROV.wasAssociatedWith, extractor
    yield extractor, RDF.type, KG.Extractor
    yield extractor, RDFS.label, Literal("kgraph entity extractor")
    yield extractor, SDO.softwareVersion, Literal(version)

    iris: dict[str, URIRef] = {}
    types: dict[str, str] = {}
    nodes = sorted(G.nodes(data=True), key=lambda nd: nd[0])
    for node, data in nodes:
        kind = data.get("kind")
        if kind == "paper":
            iris[node] = paper_iri(_node_id(node, "paper:"), base_iri)
        elif kind == "entity":
            iris[node] = entity_iri(_node_id(node, "entity:"), base_iri)
            etype = data.get("type")
            if etype not in TYPE_CLASS:
                raise ValueError(
                    f"entity {node!r} has type {etype!r}; allowed: {', '.join(TYPE_CLASS)}"
                )
            types[node] = etype
        else:
            raise ValueError(f"node {node!r} has kind {kind!r}; allowed: paper, entity")

    for node, data in nodes:
        if data["kind"] == "paper":
            yield from _paper_triples(iris[node], _node_id(node, "paper:"), data, base_iri)
    for node, data in nodes:
        if data["kind"] == "entity":
            support = data.get("support")
            if support is None:
                support = len({u for u in G.predecessors(node) if G.nodes[u]["kind"] == "paper"})
            yield from _entity_triples(iris[node], _node_id(node, "entity:"), data, support, scheme)

    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2])))
    for u, v, key, data in edges:
        if u not in types and v in types and G.nodes[u]["kind"] == "paper":
            yield from _link_triples(
                iris[u], iris[v], _node_id(u, "paper:"), _node_id(v, "entity:"),
                types[v], key, data, run, base_iri,
            )  # fmt: skip
        else:
            raise ValueError(f"edge {u!r} -> {v!r} is not paper -> entity")

    if min_cooccurrence:
        yield from _cooccurrence_triples(G, iris, types, min_cooccurrence, base_iri)


def _node_id(node: str, prefix: str) -> str:
    return node[len(prefix) :] if node.startswith(prefix) else node


def _paper_triples(p: URIRef, pid: str, data: dict, base_iri: str) -> Iterator[Triple]:
    title = data.get("title") or data.get("label") or ""
    yield p, RDF.type, KG.Paper
    yield p, RDF.type, SDO.ScholarlyArticle
    yield p, DCTERMS.identifier, Literal(pid)
    yield p, DCTERMS.title, Literal(title)
    yield p, RDFS.label, Literal(title)
    if data.get("abstract"):
        yield p, DCTERMS.abstract, Literal(data["abstract"])
    if data.get("year") is not None:
        yield p, DCTERMS.issued, _year(int(data["year"]))
    for name in data.get("authors") or ():
        agent = URIRef(f"{base_iri}agent/{iri_segment(name)}")
        yield p, DCTERMS.creator, agent
        yield agent, RDF.type, FOAF.Agent
        yield agent, FOAF.name, Literal(name)
    if data.get("url"):
        yield p, SDO.url, Literal(data["url"], datatype=XSD.anyURI)
    for source in data.get("sources") or ():
        yield p, DCTERMS.source, Literal(source)


def _entity_triples(
    e: URIRef, eid: str, data: dict, support: int, scheme: URIRef
) -> Iterator[Triple]:
    etype = data["type"]
    name = data.get("name") or data.get("label") or eid
    yield e, RDF.type, SKOS.Concept
    yield e, RDF.type, KG.Entity
    yield e, RDF.type, TYPE_CLASS[etype]
    for cls in EXTRA_CLASSES.get(etype, ()):
        yield e, RDF.type, cls
    yield e, DCTERMS.identifier, Literal(eid)
    yield e, SKOS.prefLabel, Literal(name)
    yield e, RDFS.label, Literal(name)
    for alias in data.get("aliases") or ():
        if alias != name:
            yield e, SKOS.altLabel, Literal(alias)
    yield e, SKOS.inScheme, scheme
    yield e, KG.support, Literal(int(support))
    if data.get("named") is not None:
        yield e, KG.named, Literal(bool(data["named"]))


def _link_triples(
    p: URIRef,
    e: URIRef,
    pid: str,
    eid: str,
    etype: str,
    key: object,
    data: dict,
    run: URIRef,
    base_iri: str,
) -> Iterator[Triple]:
    relation = data.get("relation") or str(key)
    if relation not in RELATION_PROPERTY:
        raise ValueError(
            f"edge paper:{pid} -> entity:{eid} has relation {relation!r}; "
            f"allowed: {', '.join(RELATION_PROPERTY)}"
        )
    yield p, RELATION_PROPERTY[relation], e
    yield p, TYPED_PROPERTY[(relation, etype)], e
    hashed = link_key(pid, eid, relation)
    link = URIRef(f"{base_iri}link/{hashed}")
    yield link, RDF.type, KG.Link
    yield link, KG.paper, p
    yield link, KG.entity, e
    yield link, KG.role, ROLE[relation]
    if data.get("surface"):
        yield link, KG.surface, Literal(data["surface"])
    if data.get("confidence") is not None:
        conf = decimal_lexical(data["confidence"])
        yield link, KG.confidence, Literal(conf, datatype=XSD.decimal)
    yield link, PROV.wasGeneratedBy, run
    seen: set[tuple[int, int]] = set()
    for m in sorted(data.get("mentions") or (), key=_mention_order):
        start, end = int(m["start"]), int(m["end"])
        if (start, end) in seen:
            continue
        seen.add((start, end))
        mention = URIRef(f"{base_iri}mention/{hashed}-{start}-{end}")
        yield link, KG.evidence, mention
        yield mention, RDF.type, KG.Mention
        yield mention, KG.start, Literal(start)
        yield mention, KG.end, Literal(end)
        yield mention, KG.text, Literal(m.get("text", ""))
        yield mention, KG.sentence, Literal(m.get("sentence", ""))


def cooccurrences(G: nx.MultiDiGraph, min_papers: int = 1) -> dict[tuple[str, str], int]:
    """Pairs of entity nodes (sorted) and the number of papers that link to both.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("paper:a", "entity:x"), ("paper:a", "entity:y"), ("paper:b", "entity:y")])
    >>> cooccurrences(G)
    {('entity:x', 'entity:y'): 1}
    """
    counts: Counter[tuple[str, str]] = Counter()
    for node, kind in G.nodes(data="kind"):
        if kind == "paper" or (kind is None and node.startswith("paper:")):
            ents = sorted(set(G.successors(node)))
            counts.update(combinations(ents, 2))
    return {pair: n for pair, n in sorted(counts.items()) if n >= min_papers}


def _cooccurrence_triples(
    G: nx.MultiDiGraph, iris: dict[str, URIRef], types: dict[str, str], min_papers: int, base: str
) -> Iterator[Triple]:
    for (a, b), n in cooccurrences(G, min_papers).items():
        if a not in types or b not in types:
            continue
        ida, idb = _node_id(a, "entity:"), _node_id(b, "entity:")
        key = hashlib.sha1(f"{ida}\x1f{idb}".encode()).hexdigest()[:16]
        pair = URIRef(f"{base}cooccurrence/{key}")
        yield pair, RDF.type, KG.CoOccurrence
        yield pair, KG.member, iris[a]
        yield pair, KG.member, iris[b]
        yield pair, KG.paperCount, Literal(n)


def _mention_order(m: dict) -> tuple:
    return (int(m["start"]), int(m["end"]), m.get("text", ""), m.get("sentence", ""))


# --- N-Triples -------------------------------------------------------------------------


def _escape(text: str) -> str:
    def one(match: re.Match) -> str:
        c = match.group()
        return _ECHAR.get(c) or f"\\u{ord(c):04X}"

    return _ESCAPE.sub(one, text)


def nt_term(term: URIRef | BNode | Literal) -> str:
    """One term in N-Triples (the canonical form: only ``"``, ``\\``, and controls escaped).

    Examples
    --------
    >>> nt_term(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> nt_term(URIRef("http://ex.org/a b"))
    Traceback (most recent call last):
    ...
    ValueError: not a valid IRI for N-Triples: 'http://ex.org/a b'
    """
    if isinstance(term, Literal):
        text = str(term)
        lexical = _escape(text) if _ESCAPE.search(text) else text
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{lexical}"^^<{term.datatype}>'
        return f'"{lexical}"'
    if isinstance(term, URIRef):
        if _BAD_IRI_CHAR.search(term):
            raise ValueError(f"not a valid IRI for N-Triples: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def generate_ntriples(triples: Iterable[Triple]) -> Iterator[str]:
    """N-Triples lines (without newline), sorted and without duplicates."""
    lines = {f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o in triples}
    yield from sorted(lines)


def write_ntriples(
    G: nx.MultiDiGraph,
    dest: str | Path | IO[str],
    *,
    base_iri: str | None = None,
    extractor_version: str | None = None,
    min_cooccurrence: int | None = 2,
) -> None:
    """Write sorted N-Triples to a path or an open text file: the same graph gives the same bytes.

    The keywords are those of :func:`generate_triples`.
    """
    triples = generate_triples(G, base_iri, extractor_version, min_cooccurrence=min_cooccurrence)
    with open_text(dest) as f:
        for line in generate_ntriples(triples):
            f.write(line + "\n")


# --- rdflib graphs: Turtle, JSON-LD --------------------------------------------------------


def to_rdflib(
    G: nx.MultiDiGraph,
    base_iri: str | None = None,
    extractor_version: str | None = None,
    *,
    min_cooccurrence: int | None = 2,
) -> Graph:
    """An rdflib Graph of the triples, with every prefix bound."""
    base_iri = base_iri_of(G, base_iri)
    g = bind_prefixes(Graph(bind_namespaces="none"), base_iri)
    for triple in generate_triples(
        G, base_iri, extractor_version, min_cooccurrence=min_cooccurrence
    ):
        g.add(triple)
    return g


def write_turtle(
    G: nx.MultiDiGraph,
    dest: str | Path | IO[str],
    *,
    base_iri: str | None = None,
    extractor_version: str | None = None,
    min_cooccurrence: int | None = 2,
) -> None:
    """Write Turtle with the kgraph prefixes to a path or an open text file.

    The keywords are those of :func:`generate_triples`; subjects, predicates and
    objects come sorted, so the same graph gives the same text.
    """
    g = to_rdflib(G, base_iri, extractor_version, min_cooccurrence=min_cooccurrence)
    text = g.serialize(format="turtle")
    with open_text(dest) as f:
        f.write(text)


def jsonld_context(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The JSON-LD ``@context`` the writer uses: the vocabulary and instance prefixes."""
    return {**PREFIXES, **instance_prefixes(base_iri)}


def write_jsonld(
    G: nx.MultiDiGraph,
    dest: str | Path | IO[str],
    *,
    base_iri: str | None = None,
    extractor_version: str | None = None,
    min_cooccurrence: int | None = 2,
    **options: Any,
) -> None:
    """Write JSON-LD, compacted with :func:`jsonld_context`, nodes sorted by ``@id``.

    The keywords are those of :func:`generate_triples`; other ``options`` go to
    rdflib's JSON-LD serializer (``context``, ``indent``, ...).
    """
    base_iri = base_iri_of(G, base_iri)
    options.setdefault("context", jsonld_context(base_iri))
    indent = options.setdefault("indent", 2)
    g = to_rdflib(G, base_iri, extractor_version, min_cooccurrence=min_cooccurrence)
    text = g.serialize(format="json-ld", **options)
    data = _sorted_json(json.loads(text))
    with open_text(dest) as f:
        json.dump(data, f, ensure_ascii=False, indent=indent, sort_keys=True)
        f.write("\n")


def _sorted_json(value: Any, key: str | None = None) -> Any:
    """Arrays sorted (they are sets in JSON-LD, except ``@list``), so the output is deterministic."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value
