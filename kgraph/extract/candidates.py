"""Candidates: rule-based entity spans for when no trained recogniser is loaded.

Two kinds of span are proposed:

- coined names: a token with inner capitals or digits ("LoRA", "MOT17",
  "GPT-4"), or a run of capitalised words inside a sentence ("Penn Treebank");
- concept phrases: up to three lower-case modifiers before a head word of the
  field ("knowledge distillation", "object detection"), typed by the head
  (``data/heads.tsv``).

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en")
>>> for name in ("kgraph_sentences", "kgraph_candidates"): _ = nlp.add_pipe(name)
>>> doc = nlp("We distil BERT for open-domain question answering on MOT17.")
>>> [(s.text, s.label_) for s in doc.spans["kg_candidates"]]
[('BERT', 'method'), ('open-domain question answering', 'task'), ('MOT17', 'method')]
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kgraph.extract.sentences import sentence_starts

SPAN_KEY = "kg_candidates"

# General English words and field names that are not entities in the guidelines' sense.
_NOT_MODIFIERS = frozenset(
    """a an the this that these those our their its his her my your we they it which who
    of in on for to with by from at as and or but not no nor is are was were be been
    novel new existing proposed previous prior current recent standard traditional
    conventional typical common various different several many multiple other such both
    each every all some any more most less better best strong stronger robust efficient
    effective simple simpler general generic specific large small larger smaller
    large-scale small-scale state-of-the-art sota high low higher lower good key main
    first second final overall additional further extensive comprehensive significant
    substantial diverse challenging complex real real-world downstream underlying
    original resulting corresponding related similar same whole entire full partial
    improved enhanced advanced powerful competitive superior comparable promising
    empirical experimental theoretical practical unified scalable flexible effective
    accurate fast faster lightweight extensive limited broad wide open-source
    study studies studied use uses used using apply applies applied propose proposes
    improve improves improved perform performs achieve achieves enable enables show shows
    via through into over under between without within across than while where when how
    what also then thus however only even based across toward towards like unlike""".split()
)
_STOP_NAMES = frozenset(
    """I II III IV V AI ML NLP CV US USA UK EU API APIs GPU GPUs CPU CPUs TPU TPUs
    PhD URL HTTP PDF SOTA OK vs etc TV RGB""".split()
)
_CONNECTORS = frozenset({"-", "of", "for", "and", "&", "on", "the"})


@lru_cache(maxsize=1)
def load_heads() -> dict[str, tuple[str, bool]]:
    """Head word -> (type, whether the head alone is a concept)."""
    text = resources.files("kgraph.extract").joinpath("data/heads.tsv").read_text("utf-8")
    rows = csv.DictReader(
        (ln for ln in text.splitlines() if not ln.startswith("#")), delimiter="\t"
    )
    return {r["head"]: (r["type"], r["alone"] == "yes") for r in rows}


_CODED = re.compile(
    r"^(?=.*[A-Za-z])(?:[A-Za-z0-9]*[a-z][A-Z]|[A-Z0-9][A-Z0-9]+|.*[A-Za-z]\d|.*\d[A-Za-z])"
)


_NUMBERISH = re.compile(r"\d+[A-Za-z]{0,2}|\d+(\.\d+)?[KMBkmb]?|[A-Z]\d{2,4}")


@lru_cache(maxsize=1 << 16)  # called for the same few strings many times a doc
def is_coined_text(t: str) -> bool:
    """A word that looks like a proper or coined name (inner capitals, digits)."""
    if len(t) < 2 or t.islower() or (t[1:].isalpha() and t[1:].islower()) or t in _STOP_NAMES:
        return False
    if not any(c.isalpha() for c in t) or _NUMBERISH.fullmatch(t):
        return False  # numbers, sizes ("7B"), hardware-like codes ("A100")
    return bool(_CODED.match(t))


def is_coined(token: Token) -> bool:
    """A token that looks like a proper or coined name (inner capitals, digits)."""
    return is_coined_text(token.text)


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and token.is_alpha and token.text not in _STOP_NAMES


def coined_spans(doc: Doc) -> list[Span]:
    """Spans of coined names and of capitalised runs inside sentences."""
    spans = []
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if is_coined(tok) or (_capitalised(tok) and not tok.is_sent_start and i > 0):
            j = i + 1
            while j < n:
                nxt = doc[j]
                if (
                    is_coined(nxt)
                    or _capitalised(nxt)
                    or nxt.like_num
                    and nxt.text[:1].isdigit()
                    and j == i + 1
                ):
                    j += 1
                elif (
                    nxt.text == "-"
                    and j + 1 < n
                    and (is_coined(doc[j + 1]) or _capitalised(doc[j + 1]) or doc[j + 1].like_num)
                    and not nxt.whitespace_
                    and not doc[j - 1].whitespace_
                ):
                    j += 2
                else:
                    break
            span = doc[i:j]
            if len(span) > 1 or is_coined(tok):
                spans.append(span)
            i = j
        else:
            i += 1
    return spans


def concept_spans(doc: Doc) -> list[tuple[Span, str]]:
    """Spans of concept phrases ending in a head word, with the head's type."""
    heads = load_heads()
    sent_start = sentence_starts(doc)
    out = []
    for tok in doc:
        entry = heads.get(tok.lower_)
        if entry is None or not tok.is_lower and not tok.is_title:
            continue
        etype, alone = entry
        start = tok.i
        while start > sent_start[tok.i] and tok.i - start < 3:
            prev = doc[start - 1]
            if prev.text == "-" and not prev.whitespace_ and start - 2 >= sent_start[tok.i]:
                start -= 2
                continue
            if not prev.is_alpha or prev.lower_ in _NOT_MODIFIERS or not prev.is_lower:
                break
            start -= 1
        if start == tok.i and not alone:
            continue
        while start < tok.i and doc[start].text == "-":
            start += 1
        out.append((doc[start : tok.i + 1], etype))
    return out


@Language.factory("kgraph_candidates")
def make_candidates(nlp: Language, name: str) -> CandidateFinder:
    """The spaCy component: candidate spans in ``doc.spans["kg_candidates"]``, label = type guess."""
    return CandidateFinder()


class CandidateFinder:
    """Adds :func:`coined_spans` (labelled ``method``) and :func:`concept_spans`."""

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s.start, s.end, label="method") for s in coined_spans(doc)]
        spans += [Span(doc, s.start, s.end, label=t) for s, t in concept_spans(doc)]
        doc.spans[SPAN_KEY] = sorted(spans, key=lambda s: (s.start, -s.end))
        return doc
