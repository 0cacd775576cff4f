"""RDF export: shapes, vocabulary, IRIs, determinism, round trips, base IRI."""

from __future__ import annotations

import io
import json
import random
import re
import warnings

import networkx as nx
import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from conftest import AWKWARD_NAMES, ROOT, SEEDS, needs_shared, sample_corpus
from rdflib import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD, Literal, URIRef
from rdflib.compare import isomorphic

from kgraph.export import writer
from kgraph.export.rdf import (
    entity_iri,
    generate_ntriples,
    generate_triples,
    paper_iri,
    to_rdflib,
    write_jsonld,
    write_ntriples,
)
from kgraph.graph import build_graph
from kgraph.namespace import DEFAULT_BASE_IRI, KG, PREFIXES
from kgraph.resolve import resolve

ABSOLUTE_IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
STANDARD = tuple(PREFIXES[p] for p in ("dcterms", "schema", "skos", "prov", "foaf", "rdf", "rdfs"))


def validate(g: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, str]:
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes)
    return conforms, text


def parse(text: str, rdflib_format: str) -> rdflib.Graph:
    """rdflib's parse; its JSON-LD parser warns of its own deprecated ConjunctiveGraph."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        return rdflib.Graph().parse(data=text, format=rdflib_format)


def via_oxigraph(text: str, fmt: ox.RdfFormat) -> rdflib.Graph:
    """Parse with Oxigraph, back to rdflib through N-Triples."""
    store = ox.Store()
    store.load(text, fmt)
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return rdflib.Graph().parse(data=dumped.decode("utf-8"), format="nt")


def nt_bytes(G: nx.MultiDiGraph, **options) -> bytes:
    buf = io.StringIO()
    write_ntriples(G, buf, **options)
    return buf.getvalue().encode("utf-8")


# --- shapes -------------------------------------------------------------------------


def test_sample_graph_conforms_to_shapes(graph, shapes_graph):
    conforms, text = validate(to_rdflib(graph), shapes_graph)
    assert conforms, text


def test_awkward_graph_conforms_to_shapes(awkward_graph, shapes_graph):
    conforms, text = validate(to_rdflib(awkward_graph), shapes_graph)
    assert conforms, text


def _one(g, s=None, p=None, o=None):
    return sorted(g.triples((s, p, o)))[0]


def _paper(g):
    return paper_iri("p1")


def _link(g, entity="method/gpt-3", paper="p1"):
    return next(
        s for s in g.subjects(KG.paper, paper_iri(paper)) if (s, KG.entity, entity_iri(entity)) in g
    )


def _mention(g):
    return _one(g, _link(g), KG.evidence)[2]


def _set(g, s, p, o):
    g.remove((s, p, None))
    g.add((s, p, o))


BROKEN = {
    "paper without title": (
        lambda g: g.remove((_paper(g), DCTERMS.title, None)),
        ["dcterms:title", "MinCount"],
    ),
    "paper with two titles": (
        lambda g: g.add((_paper(g), DCTERMS.title, Literal("Another"))),
        ["dcterms:title", "MaxCount"],
    ),
    "year not a gYear": (
        lambda g: g.add((_paper(g), DCTERMS.issued, Literal("2021"))),
        ["dcterms:issued", "Datatype"],
    ),
    "misspelt predicate on a closed shape": (
        lambda g: g.add((_paper(g), URIRef(str(KG) + "titel"), Literal("x"))),
        ["Closed", "titel"],
    ),
    "entity without prefLabel": (
        lambda g: g.remove((entity_iri("method/gpt-3"), SKOS.prefLabel, None)),
        ["skos:prefLabel", "MinCount"],
    ),
    "entity of two types": (
        lambda g: g.add((entity_iri("method/gpt-3"), RDF.type, KG.Task)),
        ["QualifiedMaxCount"],
    ),
    "altLabel equal to prefLabel": (
        lambda g: g.add((entity_iri("method/gpt-3"), SKOS.altLabel, Literal("GPT-3"))),
        ["Disjoint"],
    ),
    "support not the number of papers": (
        lambda g: _set(g, entity_iri("method/gpt-3"), KG.support, Literal(7)),
        ["kg:support of https://w3id.org/kgraph/entity/method/gpt-3 is 7"],
    ),
    "dataset that is not a schema:Dataset": (
        lambda g: g.remove((entity_iri("dataset/imagenet"), RDF.type, SDO.Dataset)),
        ["HasValue", "schema:Dataset"],
    ),
    "link without evidence": (
        lambda g: g.remove((_link(g), KG.evidence, None)),
        ["kg:evidence", "MinCount"],
    ),
    "link without extraction run": (
        lambda g: g.remove((_link(g), PROV.wasGeneratedBy, None)),
        ["prov:wasGeneratedBy", "MinCount"],
    ),
    "confidence above 1": (
        lambda g: _set(g, _link(g), KG.confidence, Literal("1.5", datatype=XSD.decimal)),
        ["kg:confidence", "MaxInclusive"],
    ),
    "role that is not a kg:Role": (
        lambda g: _set(g, _link(g), KG.role, KG.Paper),
        ["kg:role", "In"],
    ),
    "mention ending before it starts": (
        lambda g: _set(g, _mention(g), KG.start, Literal(200)),
        ["LessThan"],
    ),
    "mention text that does not fit its offsets": (
        lambda g: _set(g, _mention(g), KG.text, Literal("GPT")),
        ["as its offsets say"],
    ),
    "direct statement without its link": (
        lambda g: [
            g.add((paper_iri("p3"), KG.usesDataset, entity_iri("dataset/imagenet"))),
            g.add((paper_iri("p3"), KG.uses, entity_iri("dataset/imagenet"))),
        ],
        ["without a kg:Link"],
    ),
    "link without its direct statement": (
        lambda g: g.remove((paper_iri("p1"), KG.uses, entity_iri("method/gpt-3"))),
        ["has no direct statement", "without kg:proposes or kg:uses"],
    ),
    "typed property to an entity of another type": (
        lambda g: g.add((paper_iri("p1"), KG.usesDataset, entity_iri("method/gpt-3"))),
        ["kg:usesDataset", "Class"],
    ),
    "generic property without the typed one": (
        lambda g: g.remove((paper_iri("p1"), KG.evaluatesOn, None)),
        ["without the typed property"],
    ),
    "extractor without version": (
        lambda g: g.remove((None, SDO.softwareVersion, None)),
        ["schema:softwareVersion", "MinCount"],
    ),
    "link whose type was lost": (
        lambda g: g.remove((_link(g), RDF.type, KG.Link)),
        ["HasValue", "kg:Link"],
    ),
    "co-occurrence of three entities": (
        lambda g: g.add((_one(g, None, RDF.type, KG.CoOccurrence)[0], KG.member, paper_iri("p1"))),
        ["kg:member", "MaxCount"],
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_graph_does_not_conform(graph, shapes_graph, name):
    break_it, expected = BROKEN[name]
    g = to_rdflib(graph)
    break_it(g)
    conforms, text = validate(g, shapes_graph)
    assert not conforms
    for part in expected:
        assert part in text, text


# --- vocabulary -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology():
    return rdflib.Graph().parse(ROOT / "ontology" / "kgraph.ttl", format="turtle")


def test_every_term_of_the_namespace_is_defined_with_label_and_comment(ontology):
    terms = {URIRef(str(KG) + name) for name in KG.__annotations__}
    defined = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(KG))}
    assert terms == defined
    for term in terms:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term
        kinds = set(ontology.objects(term, RDF.type))
        if kinds & {rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty}:
            assert ontology.value(term, RDFS.domain) is not None, term
            assert ontology.value(term, RDFS.range) is not None, term


def test_misspelt_term_fails():
    with pytest.raises(AttributeError):
        KG.usesDatset  # noqa: B018


def test_emitted_terms_are_kgraph_or_standard(graph, ontology):
    defined = set(ontology.subjects())
    for _, p, o in generate_triples(graph):
        assert p in defined or str(p).startswith(STANDARD), p
        if p == RDF.type:
            assert o in defined or str(o).startswith(STANDARD), o


def test_ontology_and_shapes_ship_with_the_package():
    from kgraph.store import example_queries, ontology_file

    assert ontology_file("kgraph.ttl").is_file() and ontology_file("shapes.ttl").is_file()
    assert len(example_queries()) >= 6


# --- IRIs and labels --------------------------------------------------------------------


@pytest.mark.parametrize(
    "entity_id",
    ["method/" + n for n in AWKWARD_NAMES] + ["method/..", "method/.", "x", "a%20b", "task/a/b"],
)
def test_any_entity_id_gives_a_valid_iri(entity_id):
    iri = entity_iri(entity_id)
    assert ABSOLUTE_IRI.fullmatch(iri) and iri.isascii()
    ox.NamedNode(iri)  # Oxigraph validates IRIs strictly
    assert rdflib.URIRef(iri).n3() == f"<{iri}>"
    assert "/./" not in iri + "/" and "/../" not in iri + "/"


def test_different_ids_give_different_iris():
    ids = ["method/a b", "method/a%20b", "method/a/b", "method/a%2Fb", "method/a", "method"]
    assert len({entity_iri(i) for i in ids}) == len(ids)
    assert len({paper_iri(i) for i in ids}) == len(ids)


def test_awkward_names_keep_their_text_and_parse_everywhere(awkward_graph):
    g = to_rdflib(awkward_graph)
    labels = {str(o) for o in g.objects(None, SKOS.prefLabel)}
    names = {d["name"] for _, d in awkward_graph.nodes(data=True) if d["kind"] == "entity"}
    assert labels == names and 'Q&A "quoted" <tag>' in labels and "$\\alpha$-Net" in labels
    title = awkward_graph.nodes["paper:q/1 <x>"]["title"]
    assert (paper_iri("q/1 <x>"), DCTERMS.title, Literal(title)) in g
    data = nt_bytes(awkward_graph)
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES)  # strict parse: every IRI and literal valid
    assert len(store) == len(g)


def test_literals_with_control_characters_round_trip():
    G = nx.MultiDiGraph()
    G.add_node(
        "entity:task/t", kind="entity", name='tab\tnew\nline\r\x01\x7f"\\', type="task", support=0
    )
    data = nt_bytes(G)
    parsed = rdflib.Graph().parse(data=data.decode(), format="nt")
    assert 'tab\tnew\nline\r\x01\x7f"\\' in {str(o) for o in parsed.objects(None, SKOS.prefLabel)}


def test_links_carry_their_evidence_and_provenance(graph):
    g = to_rdflib(graph, extractor_version="test-extractor 1.2")
    link = _link(g, "dataset/imagenet", "p2")
    assert g.value(link, KG.role) == KG.used
    assert g.value(link, KG.confidence) == Literal("0.9", datatype=XSD.decimal)
    run = g.value(link, PROV.wasGeneratedBy)
    assert g.value(g.value(run, PROV.wasAssociatedWith), SDO.softwareVersion) == Literal(
        "test-extractor 1.2"
    )
    mention = g.value(link, KG.evidence)
    assert (g.value(mention, KG.start), g.value(mention, KG.end)) == (Literal(86), Literal(94))
    assert str(g.value(mention, KG.sentence)) == "We apply LoRA to a ViT and train on ImageNet."
    assert (paper_iri("p2"), KG.usesDataset, entity_iri("dataset/imagenet")) in g
    assert (paper_iri("p3"), KG.proposesBenchmark, entity_iri("benchmark/café-qa")) in g
    assert g.value(entity_iri("metric/accuracy"), KG.support) == Literal(3)
    assert g.value(entity_iri("metric/accuracy"), SKOS.altLabel) == Literal("Accuracy")


def test_confidence_is_left_out_when_there_is_none(graph):
    for _, _, data in graph.edges(data=True):
        data["confidence"] = None
    g = to_rdflib(graph)
    assert not list(g.triples((None, KG.confidence, None)))
    assert list(g.triples((None, KG.evidence, None)))


# --- determinism and round trips -----------------------------------------------------------


def test_sorted_ntriples_are_identical_whatever_the_input_order(graph):
    corpus = sample_corpus()
    random.Random(7).shuffle(corpus)
    for pe in corpus:
        pe.entities.reverse()
    papers, ents = resolve(corpus)
    shuffled = build_graph(papers, ents)
    a, b = nt_bytes(graph), nt_bytes(shuffled)
    assert a == b
    lines = a.decode().splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_writers_are_deterministic_and_take_a_path_or_a_file(graph, tmp_path, fmt):
    path = tmp_path / f"g.{fmt}"
    writer(fmt)(graph, path)
    buf = io.StringIO()
    H = nx.MultiDiGraph()
    H.graph.update(graph.graph)
    H.add_nodes_from(reversed(list(graph.nodes(data=True))))
    H.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    writer(fmt)(H, buf)
    assert path.read_text(encoding="utf-8") == buf.getvalue()


FORMATS = [
    ("ttl", "turtle", ox.RdfFormat.TURTLE),
    ("nt", "nt", ox.RdfFormat.N_TRIPLES),
    ("jsonld", "json-ld", ox.RdfFormat.JSON_LD),
]


@pytest.mark.parametrize("fmt, rdflib_format, ox_format", FORMATS)
def test_every_format_reads_back_isomorphic_in_rdflib_and_oxigraph(
    graph, awkward_graph, fmt, rdflib_format, ox_format
):
    for G in (graph, awkward_graph):
        original = to_rdflib(G)
        buf = io.StringIO()
        writer(fmt)(G, buf)
        assert isomorphic(parse(buf.getvalue(), rdflib_format), original)
        assert isomorphic(via_oxigraph(buf.getvalue(), ox_format), original)


def test_round_trip_rdflib_oxigraph_rdflib_is_isomorphic(graph, awkward_graph):
    for G in (graph, awkward_graph):
        original = to_rdflib(G)
        text = original.serialize(format="nt")
        assert isomorphic(via_oxigraph(text, ox.RdfFormat.N_TRIPLES), original)


def test_base_iri_can_be_set(graph, shapes_graph):
    base = "https://example.org/my kg/".replace(" ", "-")
    g = to_rdflib(graph, base_iri=base)
    subjects = set(g.subjects())
    assert subjects and all(str(s).startswith(base) for s in subjects)
    text = nt_bytes(graph, base_iri=base).decode()
    assert not re.search(re.escape(DEFAULT_BASE_IRI) + "(?!ns#)", text)
    assert validate(g, shapes_graph)[0]
    buf = io.StringIO()
    write_jsonld(graph, buf, base_iri=base)
    assert '"paper": "https://example.org/my-kg/paper/"' in buf.getvalue()
    assert isomorphic(parse(buf.getvalue(), "json-ld"), g)


@pytest.mark.parametrize("base", ["example.org/", "https://ex.org/kg", "https://ex.org/a b/", ""])
def test_a_bad_base_iri_is_refused(graph, base):
    with pytest.raises(ValueError, match="base IRI"):
        list(generate_triples(graph, base_iri=base))


def test_a_node_of_unknown_kind_is_refused():
    G = nx.MultiDiGraph()
    G.add_node("x", kind="author")
    with pytest.raises(ValueError, match="kind 'author'"):
        list(generate_triples(G))


def test_ntriples_of_arbitrary_triples_are_sorted_and_unique():
    s, p = URIRef("http://ex.org/s"), URIRef("http://ex.org/p")
    lines = list(
        generate_ntriples([(s, p, Literal("b")), (s, p, Literal("a")), (s, p, Literal("a"))])
    )
    assert lines == [
        '<http://ex.org/s> <http://ex.org/p> "a" .',
        '<http://ex.org/s> <http://ex.org/p> "b" .',
    ]


# --- the seed build -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_builds(tmp_path_factory):
    """Two builds of the seeds, the input files in opposite orders (no HTML, no store)."""
    from kgraph.build import build

    files = sorted(p for p in SEEDS.iterdir() if p.is_file())
    outputs = []
    for name, order in (("a", files), ("b", list(reversed(files)))):
        out = tmp_path_factory.mktemp("seeds") / name
        build(order, out, html=False, store=False, progress=False)
        outputs.append(out)
    return outputs


@pytest.mark.slow
@needs_shared(SEEDS)
def test_seed_build_conforms_to_the_shapes(seed_builds, shapes_graph):
    g = rdflib.Graph().parse(seed_builds[0] / "graph.ttl", format="turtle")
    conforms, text = validate(g, shapes_graph)
    assert conforms, text[:5000]


@pytest.mark.slow
@needs_shared(SEEDS)
def test_seed_builds_in_any_input_order_give_identical_sorted_ntriples(seed_builds):
    graphs = [
        nx.node_link_graph(json.loads((o / "graph.json").read_text()), edges="links")
        for o in seed_builds
    ]
    assert nt_bytes(graphs[0]) == nt_bytes(graphs[1])
    assert (seed_builds[0] / "graph.ttl").read_bytes() == (
        seed_builds[1] / "graph.ttl"
    ).read_bytes()


def test_the_graph_can_carry_its_base_iri(graph):
    graph.graph["base_iri"] = "https://example.org/kg#"
    subjects = {str(s) for s, _, _ in generate_triples(graph)}
    assert all(s.startswith("https://example.org/kg#") for s in subjects)
    assert paper_iri("p1", "https://example.org/kg#") in {URIRef(s) for s in subjects}
    other = {str(s) for s, _, _ in generate_triples(graph, base_iri="https://ex.org/")}
    assert all(s.startswith("https://ex.org/") for s in other)
