"""Lexicon: well-known names of the field, with their type, from ``data/lexicon.tsv``.

Each row holds general knowledge (a dataset, benchmark, model or metric that the
field knows by name) and names its source, the paper or body that introduced
it. Names with capitals match case-sensitively, or, from five characters on, in
another capitalised spelling ("ADE20k"); names in lower case match in any case.

Examples
--------
>>> lex = load_lexicon()
>>> lex["ImageNet"].type, lex["MS COCO"].name
('dataset', 'COCO')
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kgraph.model import ENTITY_TYPES

MIN_RECASED = 5  # shortest capitalised name that also matches in another case


@dataclass(frozen=True)
class LexiconEntry:
    """One known name: its canonical form, type and source."""

    name: str
    type: str
    source: str


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, LexiconEntry]:
    """Every surface form of the shipped lexicon, mapped to its entry."""
    text = resources.files("kgraph.extract").joinpath("data/lexicon.tsv").read_text("utf-8")
    rows = csv.DictReader(
        (ln for ln in text.splitlines() if not ln.startswith("#")), delimiter="\t"
    )
    out: dict[str, LexiconEntry] = {}
    for row in rows:
        if row["type"] not in ENTITY_TYPES:
            raise ValueError(f"lexicon.tsv: {row['name']!r} has unknown type {row['type']!r}")
        entry = LexiconEntry(row["name"], row["type"], row["source"])
        for form in [row["name"], *filter(None, (row["aliases"] or "").split("|"))]:
            out[form] = entry
    return out


def lookup(form: str) -> LexiconEntry | None:
    """The entry a surface form names: as written, in lower case, or as the plural of a
    name ("AUCs"); a stray bracket in it is ignored ("(MIMIC)-III" is written for MIMIC-III,
    and the tokenizer keeps "MIMIC)-III" whole)."""
    lex = load_lexicon()
    known = lex.get(form) or lex.get(form.lower())
    if known is None and _STRAY_BRACKET.search(form):
        return lookup(_STRAY_BRACKET.sub("", form))
    if known is None and len(form) > 3 and form.endswith("s"):
        known = lex.get(form[:-1])
    if known is None and len(form) >= MIN_RECASED and form[:1].isupper():
        known = _recased().get(form.lower())
    return known


_VARIANT = re.compile(r"[- ](?=[A-Z0-9])")
_STRAY_BRACKET = re.compile(r"[()]")


def lookup_family(form: str) -> LexiconEntry | None:
    """The entry of a form, or of the known name it is a size or variant of ("BLOOM 175B"
    of BLOOM, "ARC-DA" of ARC): a variant of a dataset is a dataset, of a model a model."""
    known = lookup(form)
    for cut in reversed([m.start() for m in _VARIANT.finditer(form)]):
        if known is not None:
            break
        known = lookup(form[:cut]) if cut >= 3 else None
    return known


@lru_cache(maxsize=1)
def _recased() -> dict[str, LexiconEntry]:
    """Long names with capitals by their lower case, for another capitalised spelling."""
    return {f.lower(): e for f, e in load_lexicon().items() if len(f) >= MIN_RECASED}


if not Span.has_extension("kg_lexicon"):
    Span.set_extension("kg_lexicon", default=None)
if not Doc.has_extension("kg_lexicon_spans"):
    Doc.set_extension("kg_lexicon_spans", default=[])


@Language.factory("kgraph_lexicon")
def make_lexicon(nlp: Language, name: str) -> LexiconMatcher:
    """The spaCy component: ``doc._.kg_lexicon_spans``, each with ``span._.kg_lexicon``."""
    return LexiconMatcher(nlp)


class LexiconMatcher:
    """Marks every lexicon name in a doc (longest match wins where they overlap)."""

    def __init__(self, nlp: Language) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.entries = load_lexicon()
        self.by_lower = {f.lower(): e for f, e in self.entries.items() if f == f.lower()}
        # a long name in capitals also matches a capitalised spelling of other case
        # ("ADE20k" for "ADE20K", "Winogrande" for "WinoGrande")
        self.recased = _recased()
        self.other_case = PhraseMatcher(nlp.vocab, attr="LOWER")
        for form in self.entries:
            if form == form.lower():
                self.lower.add(form, [nlp.make_doc(form)])
            else:
                self.exact.add(form, [nlp.make_doc(form)])
                if len(form) >= MIN_RECASED and form.lower() not in self.by_lower:
                    # the tokenizer may split a spelling apart and not another: "ADE20K"
                    # is "ADE20", "K", but "ADE20k" is one token
                    self.other_case.add(form, [nlp.make_doc(form), nlp.make_doc(form.lower())])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher, lookup in (
            (self.exact, self.entries),
            (self.lower, self.by_lower),
            (self.other_case, self.recased),
        ):
            for _, start, end in matcher(doc):
                span = doc[start:end]
                key = span.text if lookup is self.entries else span.text.lower()
                entry = lookup.get(key)
                if lookup is self.recased and not span.text[:1].isupper():
                    entry = None  # "winogrande" in lower case is not a name we know
                if entry is not None:
                    spans.append(span)
                    span._.kg_lexicon = entry
        kept: list[Span] = []
        taken: set[int] = set()
        for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
            if not taken.intersection(range(span.start, span.end)):
                kept.append(span)
                taken.update(range(span.start, span.end))
        doc._.kg_lexicon_spans = sorted(kept, key=lambda s: s.start)
        return doc
