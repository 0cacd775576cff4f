"""Lexicon: well-known names with sourced types, matched by case rules."""

from __future__ import annotations

import spacy

from kgraph.extract.lexicon import load_lexicon, lookup
from kgraph.model import ENTITY_TYPES


def test_every_entry_has_a_known_type_and_a_source():
    for form, entry in load_lexicon().items():
        assert entry.type in ENTITY_TYPES, form
        assert entry.source.strip(), form


def test_matches_capitalised_names_exactly_and_common_words_in_any_case():
    nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_lexicon")
    doc = nlp("Accuracy on ImageNet and imagenet-like data, with BLEU and bleu.")
    found = [(s.text, s._.kg_lexicon.type) for s in doc._.kg_lexicon_spans]
    assert found == [("Accuracy", "metric"), ("ImageNet", "dataset"), ("BLEU", "metric")]


def test_a_measure_matches_in_its_abbreviated_spelling():
    import kgraph.extract  # noqa: F401  (registers the tokenizer)

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kgraph.Tokenizer.v1"}}})
    nlp.add_pipe("kgraph_lexicon")
    doc = nlp("It scores 61.7 acc. on it, and 52.1 F1.")
    found = [(s.text, s._.kg_lexicon.name) for s in doc._.kg_lexicon_spans]
    assert found == [("acc.", "accuracy"), ("F1", "F1")]


def test_longest_match_wins():
    nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_lexicon")
    doc = nlp("We test on ImageNet-C and top-1 accuracy.")
    assert [s.text for s in doc._.kg_lexicon_spans] == ["ImageNet-C", "top-1 accuracy"]


def test_a_long_capitalised_name_matches_in_another_capitalised_spelling():
    nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_lexicon")
    doc = nlp("Scores on WINOGRANDE, Winogrande and winogrande, and on Bleu.")
    found = [(s.text, s._.kg_lexicon.name) for s in doc._.kg_lexicon_spans]
    # "Bleu" is too short to match BLEU in another case; lower case never matches
    assert found == [("WINOGRANDE", "WinoGrande"), ("Winogrande", "WinoGrande")]
    assert lookup("Winogrande").name == "WinoGrande" and lookup("winogrande") is None


def test_another_spelling_matches_where_the_tokenizer_splits_one_and_not_the_other():
    import kgraph.extract  # noqa: F401  (registers the tokenizer)

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kgraph.Tokenizer.v1"}}})
    nlp.add_pipe("kgraph_lexicon")
    doc = nlp("Results on ADE20k and on ADE20K improve.")
    words = [t.text for t in doc]
    assert "ADE20k" in words and "ADE20" in words  # one spelling is split, the other not
    found = [(s.text, s._.kg_lexicon.name) for s in doc._.kg_lexicon_spans]
    assert found == [("ADE20k", "ADE20K"), ("ADE20K", "ADE20K")]


def test_a_size_or_variant_of_a_known_name_takes_its_family():
    from kgraph.extract.lexicon import lookup_family

    assert lookup_family("BLOOM 175B").name == "BLOOM"
    assert lookup_family("ARC-DA").name == "ARC"
    assert lookup_family("ImageNet-C").name == "ImageNet-C"  # a variant known itself
    assert lookup_family("ZORBLOOM") is None and lookup_family("AR-DA") is None
    assert lookup_family("ARC-based") is None  # a lower-case word is not a variant


def test_a_stray_bracket_in_a_form_is_ignored():
    # "Medical Information Mart for Intensive Care (MIMIC)-III" keeps "MIMIC)-III" whole
    assert lookup("MIMIC)-III").name == "MIMIC-III"
    assert lookup("(ImageNet") is not None and lookup("ImageNet").name == "ImageNet"
    assert lookup("Zorblat)-III") is None
