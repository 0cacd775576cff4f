"""Candidates: coined names and concept phrases for the rule-based pipeline."""

from __future__ import annotations

import pytest
import spacy

import kgraph.extract  # noqa: F401  (registers the components)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    for name in ("kgraph_sentences", "kgraph_candidates"):
        nlp.add_pipe(name)
    return nlp


@pytest.mark.parametrize(
    ("text", "span", "label"),
    [
        ("Results of MOT17 are shown.", "MOT17", "method"),
        ("We compare with ResNet-50 today.", "ResNet-50", "method"),
        ("It is trained on Penn Treebank data.", "Penn Treebank", "method"),
        ("We study knowledge distillation for speed.", "knowledge distillation", "method"),
        (
            "It improves open-vocabulary object detection a lot.",
            "open-vocabulary object detection",
            "task",
        ),
        ("We apply pruning to it.", "pruning", "method"),
        ("Decoding uses tree search over plans.", "tree search", "method"),
        ("It uses neural architecture search once.", "neural architecture search", "method"),
        # a loss is a training objective, a technique; an error or a score measures
        ("We add a glyph contrastive loss to it.", "glyph contrastive loss", "method"),
        ("We report the glyph error of it.", "glyph error", "metric"),
    ],
)
def test_finds_candidate(nlp, text, span, label):
    doc = nlp(text)
    assert (span, label) in [(s.text, s.label_) for s in doc.spans["kg_candidates"]]


@pytest.mark.parametrize(
    ("text", "not_span"),
    [
        ("Our novel detection works.", "novel detection"),
        ("We use an A100 GPU and 7B parameters.", "A100"),
        ("We use an A100 GPU and 7B parameters.", "7B"),
        ("Learning is hard.", "Learning"),
        ("The AI field grows.", "AI"),
    ],
)
def test_skips_generic_words(nlp, text, not_span):
    doc = nlp(text)
    assert not_span not in [s.text for s in doc.spans["kg_candidates"]]
