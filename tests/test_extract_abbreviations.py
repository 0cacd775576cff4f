"""Abbreviations: long form and short form pairs, Schwartz-Hearst style."""

from __future__ import annotations

import pytest

from kgraph.extract.abbreviations import find_pairs


def pairs(text):
    return [(text[a:b], text[c:d]) for (a, b), (c, d) in find_pairs(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We adapt it with Low-Rank Adaptation (LoRA) here.", [("Low-Rank Adaptation", "LoRA")]),
        (
            "trained with direct preference optimization (DPO).",
            [("direct preference optimization", "DPO")],
        ),
        ("many large language models (LLMs) fail", [("large language models", "LLMs")]),
        ("the expected calibration error (ECE) drops", [("expected calibration error", "ECE")]),
        (
            "A Vision Transformer (ViT) and a Graph Neural Network (GNN).",
            [("Vision Transformer", "ViT"), ("Graph Neural Network", "GNN")],
        ),
        # a digit between letters stands for a word: 2 for "to", 4 for "for"
        ("recent image-to-video (I2V) models", [("image-to-video", "I2V")]),
        ("we train a zorb for glyphs (Z4G) net", [("zorb for glyphs", "Z4G")]),
        # a short form in lower case with such a digit
        ("a glyph-to-glyph (gly2gly) model", [("glyph-to-glyph", "gly2gly")]),
        # a short form that keeps a word of its long form whole after a hyphen
        (
            "termed Quill Glyph Model Batch Router (QGMB-Router).",
            [("Quill Glyph Model Batch Router", "QGMB-Router")],
        ),
        ("the Zorb-2 model (Z2M) wins", [("Zorb-2 model", "Z2M")]),
        # a version after the short form that the long form does not spell
        ("the Quill Index of Glyph Logs (QIGL-IV) set", [("Quill Index of Glyph Logs", "QIGL-IV")]),
        # a letter raised to a power stands for that many words with its initial
        (
            "via Self Syntactic Semantic Routing (S^3R) here",
            [("Self Syntactic Semantic Routing", "S^3R")],
        ),
    ],
)
def test_finds_long_form_of_short_form(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We train ZSM (short for Zorb Student Model) first.", [("Zorb Student Model", "ZSM")]),
        ("It beats QuRA (Quill-Rank Adaptation) here.", [("Quill-Rank Adaptation", "QuRA")]),
        # in text order of the short forms, both orders mixed
        (
            "Zorb Nets (ZN) and ZSM (i.e., Zorb Student Model).",
            [("Zorb Nets", "ZN"), ("Zorb Student Model", "ZSM")],
        ),
        # the short form keeps the long form's last word whole before a hyphen
        (
            "We call it Zorb-7-GlyE (Glyph data Enhanced Zorb-7). It",
            [("Glyph data Enhanced Zorb-7", "Zorb-7-GlyE")],
        ),
    ],
)
def test_finds_long_form_written_after_short_form(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the ZT17 (zorb tracking) set",  # a name with a number, and what it is for
        "ZUGU (Zorb-based Gradient Updating for glyphs) helps",  # a description runs on
        "we use ZERT (Zorbin et al., 2019)",
        "ZERT (a zorb encoder) wins",
        "Zorb-7-Quill (Glyph data Enhanced Zorb-7) wins",  # the rest does not spell it
    ],
)
def test_ignores_brackets_after_a_name_that_do_not_spell_it(text):
    assert pairs(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Since Zorb Glyph Models or ZGMs have grown", [("Zorb Glyph Models", "ZGMs")]),
        ("Especially, Quill KMeans Routing, or QKR, wins", [("Quill KMeans Routing", "QKR")]),
        # a long form in lower case, or words that do not spell it: a list, not a definition
        ("we use zorb glyph models or ZGMs", []),
        ("supervision from glyphs or ASR", []),
        ("nets like Zorb or QuillNet", []),
    ],
)
def test_finds_long_form_before_or_and_short_form(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "accuracy improves (see Table 2)",
        "gains of 4.5 points (12%)",
        "three settings (i) and (ii)",
        "as shown (e.g. here)",
        "the zorb glyph (see2see) tool",  # lower case, and no words spell it
        "the Zorb Glyph Model (ZGM-Router) wins",  # the kept word is not in the long form
    ],
)
def test_ignores_parentheses_that_are_not_abbreviations(text):
    assert pairs(text) == []
