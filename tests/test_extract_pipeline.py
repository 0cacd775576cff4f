"""The pipeline: built from spacy.blank plus our components and the shipped model, nothing downloaded."""

from __future__ import annotations

import pytest

from kgraph.errors import ModelError
from kgraph.extract.pipeline import extract_papers, extractor_version, load_pipeline
from kgraph.model import Paper


def test_shipped_pipeline_has_our_components_and_the_recogniser():
    nlp = load_pipeline()
    assert nlp.pipe_names == [
        "kgraph_sentences",
        "kgraph_abbreviations",
        "kgraph_lexicon",
        "tok2vec",
        "ner",
        "kgraph_entities",
    ]
    assert extractor_version(nlp) == "kgraph-extractor 0.1.0 (kgraph_extractor 0.1.0)"


def test_rules_pipeline_needs_no_model():
    nlp = load_pipeline(model=None)
    assert "ner" not in nlp.pipe_names and "kgraph_candidates" in nlp.pipe_names
    assert extractor_version(nlp) == "kgraph-extractor 0.1.0 (rules)"


def test_papers_come_back_in_input_order():
    papers = [Paper(f"p{i}", f"Title {i}", f"We use BERT and ResNet-{i}0.") for i in range(1, 6)]
    out = list(extract_papers(papers, nlp=load_pipeline(model=None), batch_size=2))
    assert [pe.paper.id for pe in out] == [p.id for p in papers]


def test_a_folder_that_is_not_a_model_fails_clearly(tmp_path):
    with pytest.raises(ModelError, match="not a spaCy model folder"):
        load_pipeline(tmp_path)


def test_sentences_split_at_the_title_and_at_glued_full_stops():
    nlp = load_pipeline(model=None)
    doc = nlp("A Title\nIt works on ImageNet.It also works.")
    assert [s.text.strip() for s in doc.sents] == [
        "A Title",
        "It works on ImageNet.",
        "It also works.",
    ]


def test_the_shipped_recogniser_multiplies_with_numpy_and_agrees_with_thinc():
    import numpy
    from thinc.api import NumpyOps

    from kgraph.extract.ops import BlasOps

    nlp = load_pipeline()
    assert isinstance(nlp.get_pipe("tok2vec").model.ops, BlasOps)
    rng = numpy.random.default_rng(0)
    x, y = rng.random((5, 7), dtype="float32"), rng.random((3, 7), dtype="float32")
    ours, thincs = BlasOps().gemm(x, y, trans2=True), NumpyOps().gemm(x, y, trans2=True)
    assert numpy.allclose(ours, thincs, atol=1e-5)
