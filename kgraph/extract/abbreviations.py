"""Abbreviations: find "long form (SHORT)" pairs, Schwartz-Hearst style, and the less
common "SHORT (long form)" and "Long Form, or SHORT".

The algorithm of Schwartz and Hearst (PSB 2003): a short form in parentheses of
2-10 characters that starts with a letter or digit and holds a letter; its long
form is the shortest run of words before the parenthesis whose characters match
the short form's from the right, with the first character of the short form
starting a word. Initials are tried first, so "Low-Rank Adaptation (LoRA)" takes
the words whose initials spell the short form.

Examples
--------
>>> find_pairs("We use Low-Rank Adaptation (LoRA) and a Vision Transformer (ViT).")
[((7, 26), (28, 32)), ((40, 58), (60, 63))]
>>> find_pairs("results (see Table 2)")
[]
>>> find_pairs("Recent text-to-image (T2I) models")
[((7, 20), (22, 25))]
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kgraph.extract.sentences import doc_text

_PAREN = re.compile(r"\(([^()]{1,12})\)")
_WORD = re.compile(r"[\w'\u2019]+(?:[-\u2010\u2011][\w'\u2019]+)*", re.UNICODE)
_STOP_SHORT = re.compile(r"^(?:e\.g|i\.e|\d+(?:\.\d+)?%?|[ivx]+|[a-z])$", re.I)


# A short form in lower case with a digit for a word between its letters ("seq2seq").
_DIGIT_SHORT = re.compile(r"[a-z]+[24][a-z]+")


def _valid_short(short: str) -> bool:
    if not 2 <= len(short) <= 10 or _STOP_SHORT.match(short):
        return False
    if not short[0].isalnum() or not any(c.isalpha() for c in short):
        return False
    if len(short.split()) > 2:
        return False
    return any(c.isupper() for c in short) or bool(_DIGIT_SHORT.fullmatch(short))


def _match_chars(short: str, long: str) -> int | None:
    """Schwartz-Hearst backward character match; the start of the long form or None."""
    s = [c.lower() for c in short if c.isalnum()]
    li = len(long) - 1
    for si in range(len(s) - 1, -1, -1):
        c = s[si]
        while li >= 0 and (
            long[li].lower() != c or (si == 0 and li > 0 and long[li - 1].isalnum())
        ):
            li -= 1
        if li < 0:
            return None
        li -= 1
    return li + 1


# A digit between letters of a short form that stands for a word ("T2I": text-to-image,
# "Seq2Seq", "B4C"): 2 for "to", 4 for "for".
_DIGIT_WORDS = {"2": "t", "4": "f"}


# A letter raised to a power counts that many words with its initial ("S^3A": Self
# Structural Semantic Alignment), as names of the field write a repeated initial.
_POWER = re.compile(r"([A-Za-z])\^\{?([2-9])\}?")


def _initials_match(short: str, words: list[re.Match]) -> int | None:
    """Index of the first word when the words' initials (and inner capitals) spell ``short``."""
    short = _POWER.sub(lambda m: m.group(1) * int(m.group(2)), short)
    letters = [c.lower() for c in short if c.isalpha()]
    if not letters:
        return None
    spelt = [
        _DIGIT_WORDS.get(c, c).lower()
        for i, c in enumerate(short)
        if c.isalpha()
        or c in _DIGIT_WORDS
        and 0 < i < len(short) - 1
        and short[i - 1].isalpha()
        and short[i + 1].isalpha()
    ]
    if spelt != letters:
        first = _initials_spell(spelt, words)
        if first is not None:
            return first
    return _initials_spell(letters, words)


def _initials_spell(letters: list[str], words: list[re.Match]) -> int | None:
    """Index of the first word of the shortest run ending the words whose initials (or
    initials and inner capitals) are ``letters``."""
    for start in range(len(words) - 1, -1, -1):
        span = words[start:]
        if len(span) > len(letters) + 2:
            break
        inits = "".join(w.group()[0].lower() for w in span if w.group()[0].isalpha())
        caps = "".join(
            ch.lower()
            for w in span
            for i, ch in enumerate(w.group())
            if ch.isalpha() and (i == 0 or ch.isupper() or w.group()[i - 1] in "-\u2010")
        )
        target = "".join(letters)
        if (inits == target or caps == target) and span[0].group()[0].lower() == target[0]:
            return start
    return None


# The other order Schwartz and Hearst read: "SHORT (long form)", with "short for" or
# "i.e." perhaps before the long form ("ESM (short for Efficient Student Model)").
_SHORT_FIRST = re.compile(
    r"(?<![\w-])([A-Za-z][\w-]{1,15})\s\((?:short for |i\.e\.,? |stands for )?([^()]{5,80})\)"
)


def _literal_part(short: str, long: str) -> tuple[str, str] | None:
    """A short form written first that keeps the long form's last word whole before a
    hyphen ("Llama-3-SynE (Synthetic data Enhanced Llama-3)"): the rest of each."""
    for cut in (i for i, c in enumerate(short) if c == "-"):
        head, rest = short[:cut], short[cut + 1 :]
        if len(head) >= 3 and long.lower().endswith(" " + head.lower()):
            return rest, long[: -len(head)].rstrip()
    return None


def _short_first_pairs(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs written short form first: the bracket holds words that spell the short form
    before it from their first character on, by initials or by Schwartz and Hearst's
    character match, the last word holding the last letter. A short form ending in a
    number is a name, not an abbreviation: "MOT17 (multi-object tracking)" says what the
    data is for."""
    pairs = []
    for m in _SHORT_FIRST.finditer(text):
        short, long = m.group(1), m.group(2).strip()
        if not _valid_short(short):
            parts = _literal_part(short, long)
            if parts is not None and _valid_short(parts[0]) and _spells(*parts):
                lstart = m.start(2) + m.group(2).index(long)
                pairs.append(((lstart, lstart + len(long)), (m.start(1), m.end(1))))
            continue
        if short[-1].isdigit() or len(long.split()) < 2:
            continue
        words = list(_WORD.finditer(long))
        if not words or words[0].start() != 0:
            continue
        if _initials_match(short, words) != 0 and not (
            _match_chars(short, long) == 0 and short[-1].lower() in words[-1].group().lower()
        ):
            continue  # the last word must hold the last letter: no description after it
        lstart = m.start(2) + m.group(2).index(long)
        pairs.append(((lstart, lstart + len(long)), (m.start(1), m.end(1))))
    return pairs


# A short form after "or" ("Differentiable KMeans Clustering, or DKM", "Large Language
# Models or LLMs"), its long form in capitals: "large language models or LLMs" is a list.
_OR_SHORT = re.compile(r",? or ([A-Z][A-Za-z]*[A-Z]s?)\b")


def _long_form_before(
    text: str, end: int, short: str, stops: tuple[str, ...]
) -> tuple[int, int] | None:
    """The character span of the long form of ``short`` that ends the text before ``end``:
    the words whose initials spell it, else the Schwartz-Hearst character match; not past a
    clause boundary (``stops``)."""
    offset = max(0, end - 200)
    before = text[offset:end]
    cut = max(before.rfind(c) for c in stops)
    if cut >= 0:
        before, offset = before[cut + 1 :], offset + cut + 1
    words = list(_WORD.finditer(before))
    if not words:
        return None
    limit = min(len(short) + 5, len(short) * 2)
    words = words[-limit:]
    first = _initials_match(short, words)
    if first is None:
        region_start = words[0].start()
        pos = _match_chars(short, before[region_start:])
        if pos is None and _DIGIT_SHORT.fullmatch(short):
            # "sequence-to-sequence (seq2seq)": the digit is the word's initial
            pos = _match_chars(
                re.sub(r"[24]", lambda d: _DIGIT_WORDS[d.group()], short), before[region_start:]
            )
        if pos is None:
            return None
        pos += region_start
        first = next((i for i, w in enumerate(words) if w.end() > pos), None)
        if first is None:
            return None
        if len(words) - first > limit or words[first].start() != pos:
            # the match must start at a word's first character
            if not before[pos - 1 : pos].isspace() and pos != 0:
                return None
    lstart, lend = offset + words[first].start(), offset + words[-1].end()
    return (lstart, lend) if lend - lstart > len(short) else None


_CLAUSE_ENDS = (". ", "; ", ": ", "(", ")", "\n")


def _spells(short: str, long: str) -> bool:
    """Whether the words of ``long`` spell ``short`` from its first word, by initials or
    by the character match."""
    words = list(_WORD.finditer(long))
    return bool(words) and (_initials_match(short, words) == 0 or _match_chars(short, long) == 0)


def _compound_long_form(text: str, paren_start: int, short: str) -> tuple[int, int] | None:
    """The long form of a short form that keeps one word of it whole, after a hyphen
    ("Gradient-based Language Model Pruner (GBLM-Pruner)"): the word ends the long form and
    the rest of the short form spells the words before it."""
    rest, _, word = short.rpartition("-")
    before = text[:paren_start].rstrip()
    if not rest or len(word) < 3 or not word.isalpha() or not before.lower().endswith(word.lower()):
        return None
    word_start = len(before) - len(word)
    if word_start == 0 or not before[word_start - 1].isspace() or not _valid_short(rest):
        return None
    long = _long_form_before(text, word_start - 1, rest, _CLAUSE_ENDS)
    return (long[0], len(before)) if long is not None else None


# A short form with a version in Roman numerals after a hyphen ("MIMIC-IV"); the letters
# of the numeral are not initials. (Digits are not read as initials anyway.)
_VERSIONED = re.compile(r"(.+?)-[IVX]+")


def find_pairs(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Character spans ``(long, short)`` of every abbreviation defined in ``text``, in
    the order of their short forms."""
    pairs = _short_first_pairs(text)
    for m in _PAREN.finditer(text):
        short = m.group(1).strip()
        sstart = m.start(1) + m.group(1).index(short)
        if _valid_short(short):
            long = _long_form_before(text, m.start(), short, _CLAUSE_ENDS)
            if (
                long is None
                and (version := _VERSIONED.fullmatch(short)) is not None
                and _valid_short(version.group(1))
            ):
                # the long form spells the name without its version: "Medical Information
                # Mart for Intensive Care (MIMIC-IV)"
                long = _long_form_before(text, m.start(), version.group(1), _CLAUSE_ENDS)
        elif "-" in short and " " not in short:
            long = _compound_long_form(text, m.start(), short)
        else:
            continue
        if long is not None:
            pairs.append((long, (sstart, sstart + len(short))))
    for m in _OR_SHORT.finditer(text):
        short = m.group(1)
        if not _valid_short(short):
            continue
        long = _long_form_before(text, m.start(), short, (*_CLAUSE_ENDS, ", "))
        if long is not None and text[long[0]].isupper() and " " in text[long[0] : long[1]]:
            pairs.append((long, m.span(1)))
    return sorted(pairs, key=lambda p: p[1])


if not Doc.has_extension("abbreviations"):
    Doc.set_extension("abbreviations", default=[])


@Language.factory("kgraph_abbreviations")
def make_abbreviations(nlp: Language, name: str) -> AbbreviationDetector:
    """The spaCy component: ``doc._.abbreviations`` is a list of ``(long, short)`` spans."""
    return AbbreviationDetector()


class AbbreviationDetector:
    """Sets ``doc._.abbreviations`` from :func:`find_pairs`."""

    def __call__(self, doc: Doc) -> Doc:
        out: list[tuple[Span, Span]] = []
        for (ls, le), (ss, se) in find_pairs(doc_text(doc)):
            long = doc.char_span(ls, le, alignment_mode="expand")
            short = doc.char_span(ss, se, alignment_mode="expand")
            if long is not None and short is not None:
                out.append((long, short))
        doc._.abbreviations = out
        return doc
