"""Sentences: spaCy's rule-based sentencizer, plus a boundary at every line break
(the title is its own sentence) and after a full stop glued to the next sentence.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kgraph_sentences")
>>> [s.text for s in nlp("A Title\\nFirst one. Second one.").sents]
['A Title\\n', 'First one.', 'Second one.']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc


@Language.factory("kgraph_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    """The spaCy component."""
    return SentenceSplitter()


class SentenceSplitter:
    """Sentencizer boundaries, and one after each newline."""

    def __init__(self) -> None:
        self.sentencizer = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        doc = self.sentencizer(doc)
        for i, tok in enumerate(doc[:-1]):
            if "\n" in tok.text or "\n" in tok.whitespace_:
                doc[i + 1].is_sent_start = True
        return doc


def sentence_starts(doc: Doc) -> list[int]:
    """For each token, the index of the first token of its sentence."""
    out, cur = [], 0
    for tok in doc:
        if tok.is_sent_start:
            cur = tok.i
        out.append(cur)
    return out


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined from the tokens once per doc and kept in ``doc.user_data``:
    several components slice it, and spaCy builds it anew on every access."""
    key = ("kgraph", "text", len(doc))
    if key not in doc.user_data:
        doc.user_data[key] = doc.text
    return doc.user_data[key]
