"""The tokenizer: spaCy's English rules with kgraph's splits, and no whitespace special cases."""

from __future__ import annotations

import spacy

import kgraph.extract  # noqa: F401  (registers the tokenizer)
from kgraph.extract.pipeline import load_pipeline
from kgraph.extract.tokenizer import restates_whitespace


def _tokenizer():
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kgraph.Tokenizer.v1"}}})


def test_newlines_tabs_and_runs_of_spaces_are_tokens_of_their_own():
    nlp = _tokenizer()
    doc = nlp("A Title: Sub\nWe train.\n\nIt  works\tfine.\n")
    assert [t.text for t in doc] == [
        "A", "Title", ":", "Sub", "\n", "We", "train", ".", "\n\n",
        "It", " ", "works", "\t", "fine", ".", "\n",
    ]  # fmt: skip
    assert doc.text == "A Title: Sub\nWe train.\n\nIt  works\tfine.\n"


def test_a_no_break_space_keeps_spacys_special_case():
    doc = _tokenizer()("10\xa0GB of data")
    assert [(t.text, t.norm_) for t in doc][:2] == [("10", "10"), ("\xa0", "  ")]


def test_the_shipped_tokenizer_has_the_same_special_cases_as_a_new_one():
    """A special case stops spaCy caching the rest of a text; the shipped model's tokenizer
    must not bring back the newline, tab and space cases a new one leaves out."""
    shipped = load_pipeline("shipped").tokenizer.rules
    fresh = _tokenizer().tokenizer.rules
    assert shipped == fresh
    assert not [k for k, v in shipped.items() if restates_whitespace(k, v)]
    assert "e.g." in shipped  # the other special cases stay
