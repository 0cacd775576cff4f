"""Spans: where a mention of an entity starts and ends.

The recogniser, the lexicon, the rule candidates and the title each propose spans;
:func:`collect_spans` widens each to the whole name it is part of (a hyphenated
compound, a model size, a capitalised data head such as "Bench", a learning setting
before a task), splits a name run into common words from the phrase around it, trims
generic words and punctuation from its edges, and keeps the best of overlapping spans:
the recogniser's, then the lexicon's, then the longer. Last, a span cut shorter than the
same words elsewhere in the doc is widened to them.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kgraph.extract.candidates import SPAN_KEY, is_coined_text
from kgraph.extract.lexicon import load_lexicon, lookup
from kgraph.extract.roles import TYPE_NOUNS, name_shaped, name_type
from kgraph.extract.sentences import doc_text

# Which source's span wins an overlap (lower first) and names an entity's best source.
SOURCE_RANK = {"ner": 0, "lexicon": 1, "title": 2, "abbreviation": 3, "candidate": 4}
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")

_EDGE_WORDS = frozenset(
    """the a an our this these their its we using use uses via with without and or of for to in
    on by from meets meet consisting inserts based than over under into named termed called
    dubbed coined""".split()
)


# Evaluative and generic adjectives say how good or how many, not what: a concept does not
# start with them ("multiple pre-training" is pre-training, "real-world anomaly detection"
# is anomaly detection). Plain English, not read off any corpus.
GENERIC_MODIFIERS = frozenset(
    """multiple various several many different diverse numerous existing current recent
    modern traditional conventional standard typical common popular prevailing mainstream
    novel new improved enhanced advanced effective efficient simple scalable robust
    powerful accurate fast strong general generic unified well-defined general-purpose
    real-world low-cost large-scale small-scale high-quality state-of-the-art
    domain-specific task-specific off-the-shelf widely-used well-known challenging
    complex practical subsequent further additional extensive comprehensive earlier previous
    prior past""".split()
)


# Head nouns that say only that a concept is a way of doing something: the concept's name
# is the words before them. Plain English, not read off any corpus.
GENERIC_HEADS = frozenset(
    """approach approaches algorithm algorithms strategy strategies module modules method
    methods technique techniques scheme schemes framework frameworks""".split()
)


# The endings of an adjective: a generic head after a word with such an ending leaves no
# name ("contrastive method", "regularization-based methods").
_ADJECTIVE = re.compile(r"(?:based|driven|free|aware|efficient|ive|ed|ible|able|al|ic)$")


_SCORE = re.compile(r"^\d{2,}\.\d+%?$")
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")


def _trim(doc: Doc, span: Span) -> Span | None:
    """The span without leading determiners, edge function words and edge punctuation;
    None if nothing is left."""
    start, end = span.start, span.end
    if lookup(span.text) is not None:
        return span  # a known name is whole: "named entity recognition" keeps "named"
    while start < end and (
        doc[start].is_space
        or (
            doc[start].lower_ in _EDGE_WORDS
            # a stop word that starts the sentence: "When fine-tuning ..."
            or doc[start].is_sent_start
            and doc[start].is_stop
        )
        and not (start + 1 < end and doc[start + 1].text == "-" and not doc[start].whitespace_)
        or doc[start].is_punct
        and doc[start].text not in "([{"
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or doc[end - 1].is_punct
        and doc[end - 1].text not in ")]}+"
        or doc[end - 1].lower_ in _EDGE_WORDS
        and not (end - start > 2 and _variant_letter(doc, end - 1))
        # a score after a name: "StrategyQA 58.9"; a version is one digit ("TITAN 3.0")
        or end - start > 1
        and _SCORE.match(doc[end - 1].text) is not None
    ):
        end -= 1
    while end - start > 1 and (width := _generic_width(doc, start, end)):
        start += width
    if end - start > 1 and _COUNT.match(doc[start].text) and doc[start].whitespace_:
        start += 1  # a count before a concept: "2000 NLP tasks" are NLP tasks, "4M" is whole
    if end - start > 1 and start > 0 and size_width(doc, start - 1) == 2:
        start += 1  # the unit of a size before a concept: "125M decoder models"
    if end - start > 1 and doc[end - 1].lower_ in GENERIC_HEADS and doc[start].is_lower:
        end -= 1  # "hybrid reranking algorithm" is hybrid reranking
        if _ADJECTIVE.search(doc[end - 1].lower_):
            return None  # "supervised methods", "attention-based module": no concept named
    if start >= end:
        return None
    out = doc[start:end]
    return out if _EDGE.sub("", out.text) else None


def _variant_letter(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a capital joined by a hyphen to the word before it, a variant
    of that name ("ASDiv-A"), not the article "A"."""
    return (
        doc[i].is_upper
        and doc[i - 1].text == "-"
        and not doc[i - 2].whitespace_
        and not doc[i - 2].is_punct
    )


def _generic_width(doc: Doc, start: int, end: int) -> int:
    """The tokens of a generic modifier the span starts with, one word or hyphenated
    ("real-world"), when a word of the concept follows it; else 0."""
    if not doc[start].is_lower and not (
        doc[start].is_sent_start and doc[start].is_title and doc[start + 1].is_lower
    ):
        return 0  # a name may start with one ("Fast R-CNN"), but not a sentence ("Earlier")
    if doc[start].lower_ in GENERIC_MODIFIERS:
        return 1 if start + 1 < end and doc[start + 1].text != "-" else 0
    if doc[start].lower_ == "large" and start + 2 < end:
        # "large pretrained language models" are pretrained language models
        after = doc[start + 1].lower_
        if after == "pretrained" or after == "pre" and doc[start + 2].text == "-":
            return 1
    if start + 3 < end and doc[start + 1].text == "-":
        return 3 if f"{doc[start].lower_}-{doc[start + 2].lower_}" in GENERIC_MODIFIERS else 0
    return 0


def is_named(doc: Doc, span: Span, text: str | None = None) -> bool:
    t = span.text if text is None else text
    if name_shaped(t):
        return True
    return t[:1].isupper() and not span[0].is_sent_start


def title_name(doc: Doc) -> Span | None:
    """The name a title puts before its colon ("MANTIS: ..."), if it is one word or a coined name."""
    for tok in doc[:8]:
        if "\n" in tok.text:
            return None
        if tok.text == ":" and 0 < tok.i <= 4:
            span = doc[: tok.i]
            coined = any(
                any(c.isupper() for c in t.text[1:]) or any(c.isdigit() for c in t.text)
                for t in span
            )
            if len(span) == 1 or coined:
                return span
            return None
    return None


_SIZE = re.compile(r"^\d+(?:\.\d+)?[BMKbmk]$")


_SIZED = re.compile(r"^.+-\d+(?:\.\d+)?[BM]$")


# spaCy's suffix rules split a size in millions from its number ("410M" -> "410", "M")
# but not one in billions ("7B").
_SPLIT_UNITS = frozenset({"M", "K"})


def size_width(doc: Doc, i: int) -> int:
    """The tokens of a model size at token ``i``: one ("7B"), two where the tokenizer split
    the unit off ("410" "M"), or none."""
    if i >= len(doc):
        return 0
    if _SIZE.match(doc[i].text):
        return 1
    if (
        i + 1 < len(doc)
        and doc[i].text.isdigit()
        and not doc[i].whitespace_
        and doc[i + 1].text in _SPLIT_UNITS
    ):
        return 2
    return 0


def has_size(doc: Doc, span: Span) -> bool:
    """Whether a name carries a model size ("Mantis-8B", "UL2 20B")."""
    return bool(_SIZED.match(span[-1].text)) or with_size(doc, span) is not span


_VERSION = re.compile(r"^\d+\.\d+$")


# Words that model releases put after the size to name a tuned variant ("Llama-2-70B Chat",
# "Mistral-7B Instruct"), from the naming of public model releases.
_MODEL_VARIANTS = frozenset({"Chat", "Instruct", "Base", "Code", "Vision"})


def with_size(doc: Doc, span: Span) -> Span:
    """The span with a model size that follows it ("LLaMA 7B"), after a version number if
    there is one ("ERNIE TITAN 3.0 260B"), and with a variant word after the size
    ("Llama-2-70B Chat"): sizes and variants are separate entities."""
    end = span.end
    if size_width(doc, end - 1) == 2:
        end += 1  # the span stops inside a split size: "OPT 125" of "OPT 125M"
    elif end < len(doc) and _VERSION.match(doc[end].text) and (width := size_width(doc, end + 1)):
        end += 1 + width
    else:
        end += size_width(doc, end)
    sized = end > span.end or _SIZED.match(span[-1].text) or _SIZE.match(span[-1].text)
    if sized and end < len(doc) and doc[end].text in _MODEL_VARIANTS:
        end += 1
    return span if end == span.end else doc[span.start : end]


def with_compound_start(doc: Doc, span: Span) -> Span:
    """The span from the start of the hyphenated word it begins inside ("by-step reasoning"
    in "step-by-step reasoning", "INF-3DHP" in "MPI-INF-3DHP"): a name does not start
    mid-word."""
    start = span.start
    if doc[start].text == "-":
        start += 1  # the span starts at the hyphen: "-shot accuracy" of "zero-shot accuracy"
    while (
        start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 1].whitespace_
        and not doc[start - 2].whitespace_
        and not doc[start - 2].is_punct
        and "|" not in doc[start - 2].text  # a list the tokenizer left whole: "T|ViT-B/16"
    ):
        start -= 2
    return span if start >= span.start else Span(doc, start, span.end, span.label_)


# Capitalised head words that are part of a data name ("OPT-IML Bench", "Pile Corpus").
_NAME_HEADS = frozenset({"Bench", "Benchmark", "Corpus", "Dataset", "Suite", "Arena"})


def with_name_head(doc: Doc, span: Span) -> Span:
    """The span with a capitalised data head word that follows it ("OPT-IML Bench"): the
    capital says the word is part of the name, not a generic noun after it."""
    if span.end >= len(doc) or span[-1].is_lower:
        return span
    head = doc[span.end].text
    # any capitalised spelling: a name may capitalise the letters it abbreviates ("BenchmarK")
    if head[:1].isupper() and head.capitalize() in _NAME_HEADS:
        return Span(doc, span.start, span.end + 1, span.label_)
    return span


_WORD = re.compile(r"[^\W_]+")
# A piece of a hyphenated name: a word, or the tokenizer's leftover of one that holds more
# hyphens, dots or slashes ("NeXT-7B/13B" of "LLaVA-NeXT-7B/13B"); not a quote or a pipe.
_NAME_PIECE = re.compile(r"[^\W_](?:[\w./-]*[^\W_])?")
# The size and variant words model families put after a hyphen ("T5-large", "BERT-base",
# "GPT-4o-mini", "Llama-2-chat", "GPT-3.5-turbo"): part of the name, unlike "-based".
_VARIANT_WORDS = frozenset(
    "tiny mini small base medium large xl xxl turbo chat instruct nano lite".split()
)


def with_compound_end(doc: Doc, span: Span) -> Span:
    """The span to the end of the hyphenated name it stops inside ("OPT" in "OPT-IML"): a
    name does not end mid-word. A lower-case ending is a modifier, not part of the name
    ("BERT-based"), unless it is a size or variant of a coined name ("GPT-4o-mini")."""
    end = span.end
    if len(span) > 1 and span[-1].text == "-" and not span[-2].whitespace_:
        end -= 1  # the span stops at the hyphen: "LLaVA-" of "LLaVA-NeXT"
    while (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and (
            not doc[end + 1].is_lower
            and _NAME_PIECE.fullmatch(doc[end + 1].text) is not None
            or _variant(doc, span.start, end)
        )
    ):
        end += 2
    return span if end <= span.end else Span(doc, span.start, end, span.label_)


def _variant(doc: Doc, start: int, end: int) -> bool:
    """Whether the word after the hyphen at ``end`` is a size, variant or version of the
    coined name that runs from ``start`` ("GPT-4o" + "-mini", "Defects4J" + "-v1.2")."""
    word = doc[end + 1].text
    return (
        word.lower() in _VARIANT_WORDS or _VERSION_TAG.fullmatch(word) is not None
    ) and is_coined_text(doc[start:end].text)


_VERSION_TAG = re.compile(r"v\d+(?:\.\d+)*")


def _trailing_name(span: Span) -> Span | None:
    """The coined name that common words run into at the end of a span ("multi-image
    LMM Idefics2-8B", "domain adaptive Faster R-CNN"): the words only describe it. A
    lone abbreviation without a digit stays with its words ("code LLMs" is a concept)."""
    if len(span) < 2 or not span[0].is_lower:
        return None
    k = len(span)
    while k > 0 and not span[k - 1].is_lower:
        k -= 1
    if k == len(span) or not any(is_coined_text(t.text) for t in span[k:]):
        return None
    if span[k - 1].text == "-" or span[k].text == "-":
        return None
    name = span[k:]
    if len(name) < 2 and not any(c.isdigit() for c in name.text):
        return None  # "code LLMs", "discrete VAE": a kind of the abbreviated concept
    known = lookup(name.text)
    if known is not None and known.type == "task":
        return None  # "open domain QA" is a kind of QA, and a task of its own
    while len(name) > 1 and name[0].is_upper and any(is_coined_text(t.text) for t in name[1:]):
        name = name[1:]  # "LMM Idefics2-8B": the kind, then the name
    return name


# The words that make a name before a hyphen a modifier of the phrase after them
# ("BERT-based ranking", "L2-based distillation"): plain English word formation.
_AFFIXES = frozenset("based driven guided aware free like style level wise family".split())


def split_name_and_phrase(doc: Doc, span: Span) -> list[tuple[Span, str]]:
    """A recognised span that runs a name into common words ("ImageNet classification",
    "COCO object detection") split into the name and the phrase; a lone type noun after
    the name ("Big-Bench scores") is dropped."""
    label = span.label_
    name = _trailing_name(span)
    if name is not None:
        return [(name, label)]
    if len(span) < 2 or not (is_named(doc, span[:1]) and span[0].text[:1].isupper()):
        return [(span, label)]
    k = 1
    while k < len(span) and not span[k].is_lower:
        k += 1
    rest = span[k:]
    if not len(rest) or not all(t.is_lower or t.text == "-" for t in rest):
        return [(span, label)]
    if _VERSION_TAG.fullmatch(rest[0].text):
        return [(span, label)]  # a version is part of the name: "SD v2.1"
    if span[k - 1].text == "-" and not span[k - 1].whitespace_ and rest[0].lower_ not in _AFFIXES:
        return [(span, label)]  # "Contrastive Language-Image Pre-training": not mid-word
    if k == 1 and not is_coined_text(span[0].text) and lookup(span[0].text) is None:
        return [(span, label)]  # "Gaussian mixture models", "Early stopping": one phrase
    name = span[:k]
    known = load_lexicon().get(name.text)
    name_label = known.type if known else (name_type(name.text) or "dataset")
    if len(rest) == 1 and (
        rest[0].lower_ in TYPE_NOUNS or rest[0].lower_ in {"evaluation", "results"}
    ):
        return [(name, name_label)]
    return [(name, name_label), (rest, label)]


# The learning settings that name a kind of task ("unsupervised representation learning",
# "zero-shot classification", "long-tailed object detection"): plain
# terminology of the field, not read off any corpus.
SETTINGS = frozenset(
    """unsupervised supervised semi-supervised self-supervised weakly-supervised
    zero-shot few-shot one-shot cross-lingual cross-domain multi-label long-tailed
    open-domain open-vocabulary open-set""".split()
)


def with_setting(doc: Doc, span: Span) -> Span:
    """The span with the learning setting written just before it, one word or hyphenated:
    a task in that setting is a task of its own."""
    start = span.start
    if start < 1 or not span[0].is_lower:
        return span
    if start >= 3 and doc[start - 2].text == "-" and not doc[start - 2].whitespace_:
        # a hyphenated word before the span: the setting only if the whole word is one
        whole = f"{doc[start - 3].lower_}-{doc[start - 1].lower_}"
        return doc[start - 3 : span.end] if whole in SETTINGS else span
    return doc[start - 1 : span.end] if doc[start - 1].lower_ in SETTINGS else span


# A name with numbered variants after a slash ("CIFAR-10/100", "SST-2/5"): one name each.
_SLASHED = re.compile(r"^([A-Za-z][A-Za-z0-9]*?-?)(\d+)((?:/\d+)+)$")
# A variant letter after a hyphen that a list after the name repeats ("ImageNet-C, R, S, A").
_LETTER = re.compile(r"[A-Z]{1,2}")
_LETTER_END = re.compile(r"-[A-Z]{1,2}\b")  # one somewhere in a text
_LETTER_TAIL = re.compile(r"-[A-Z]{1,2}$")  # one that ends a name


def form_text(text: str, span: Span) -> str:
    """The form a span gives its entity: the text it covers, or the name it stands for in a
    list or slash form ("ImageNet-R" for the "R" of "ImageNet-C, R"), kept in ``kb_id_``."""
    return span.kb_id_ if span.kb_id else text[span.start_char : span.end_char]


def _slashed_names(text: str) -> list[str] | None:
    m = _SLASHED.match(text)
    if m is None:
        return None
    return [m.group(1) + n for n in [m.group(2), *m.group(3).split("/")[1:]]]


def expand_lists(doc: Doc, found: list[tuple[Span, str, str]]) -> list[tuple[Span, str, str]]:
    """Each name that a slash form or a list of variant letters writes in short, as a span
    of its own named in full, as the guidelines count lists item by item: "CIFAR-10/100" is
    CIFAR-10 and CIFAR-100, and the "R" of "ImageNet-C, R, S, A" is ImageNet-R. A slash
    form nothing found is kept when the lexicon knows each of its names. A list of sizes
    ("OPT-IML 30B and 175B") is left as written: the annotations name its first item only."""
    text = doc_text(doc)
    if "/" not in text and not _LETTER_END.search(text):
        return found  # most abstracts: nothing written in short
    out: list[tuple[Span, str, str]] = []
    taken = {i for s, _, _ in found for i in range(s.start, s.end)}
    for span, label, source in found:
        whole = text[span.start_char : span.end_char]
        last = doc[span.end - 1].text if "/" in whole else ""
        names = _slashed_names(last) if last else None
        if names is not None:
            head = whole[: len(whole) - len(last)]
            out.extend(
                (Span(doc, span.start, span.end, label, kb_id=head + n), label, source)
                for n in names
            )
            continue
        out.append((span, label, source))
        end = _LETTER_TAIL.search(whole)
        if end is None or end.start() == 0:
            continue
        stem = whole[: end.start()]
        i = span.end  # the list word after the name, then an item, and so on
        while i + 1 < len(doc) and doc[i].lower_ in {",", "/", "and"}:
            j = i + 2 if doc[i].text == "," and doc[i + 1].lower_ == "and" else i + 1
            if j >= len(doc) or j in taken:
                break
            # a letter that ends the sentence keeps its full stop ("and A.")
            item = doc[j].text[:-1] if doc[j].text.endswith(".") else doc[j].text
            if not _LETTER.fullmatch(item):
                break
            out.append((Span(doc, j, j + 1, label, kb_id=f"{stem}-{item}"), label, source))
            i = j + 1
    for slash in re.finditer("/", text):
        tok = doc.char_span(slash.start(), slash.end(), alignment_mode="expand")
        if tok is None or len(tok) != 1 or tok.start in taken:
            continue
        names = _slashed_names(tok.text)
        known = [lookup(n) for n in names or []]
        if names and all(k is not None for k in known):
            taken.add(tok.start)  # one slash form may hold several slashes
            out.extend(
                (Span(doc, tok.start, tok.end, k.type, kb_id=n), k.type, "lexicon")
                for n, k in zip(names, known, strict=True)
            )
    return out


def _as_written_elsewhere(
    doc: Doc, spans: list[tuple[Span, str, str]], taken: set[int]
) -> list[tuple[Span, str, str]]:
    """Each span widened to the words before it that another span of the doc, or an
    abbreviation's long form, covers whole ("Weight Sharing" in a title that reads
    "Stage-wise Weight Sharing", as the abstract's span does): the recogniser cut one
    mention of a phrase shorter than another. Not over words another span takes
    (``taken``), nor past words a span sheds ("large", "novel")."""
    text = doc_text(doc)
    forms = {text[s.start_char : s.end_char].lower() for s, _, _ in spans if len(s) > 1}
    forms.update(text[long.start_char : long.end_char].lower() for long, _ in doc._.abbreviations)
    if not forms:
        return spans
    out = []
    for span, label, source in spans:
        for start in range(max(0, span.start - 3), span.start):
            if taken.intersection(range(start, span.start)):
                continue
            if text[doc[start].idx : span.end_char].lower() in forms:
                wide = Span(doc, start, span.end, span.label_)
                trimmed = _trim(doc, wide)
                if trimmed is not None and trimmed.start == start:
                    span = wide
                break
        out.append((span, label, source))
    return out


def collect_spans(doc: Doc) -> list[tuple[Span, str, str]]:
    """Every non-overlapping ``(span, type, source)`` of the doc, best first on overlap."""
    found: list[tuple[Span, str, str]] = []
    for ent in doc.ents:
        whole = with_name_head(doc, with_compound_end(doc, with_compound_start(doc, ent)))
        for part, label in split_name_and_phrase(doc, whole):
            found.append((with_size(doc, part), label, "ner"))
    for span in doc._.kg_lexicon_spans:
        # a known name runs to the end of the hyphenated name it starts ("ARC-DA" of ARC)
        whole = with_compound_end(doc, with_compound_start(doc, span))
        found.append((with_size(doc, whole), span._.kg_lexicon.type, "lexicon"))
    if SPAN_KEY in doc.spans:
        for span in doc.spans[SPAN_KEY]:
            found.append((span, span.label_, "candidate"))
    title = title_name(doc)
    if title is not None:
        found.append((title, name_type(title.text) or "method", "title"))
    ner = [(f[0].start, f[0].end) for f in found if f[2] == "ner"]

    def rank(f: tuple[Span, str, str]) -> tuple[int, int, int]:
        span, _, source = f
        # a known name that holds a recognised span and more ("Switch Transformer" around
        # "Transformer") is the better span
        wider = source == "lexicon" and any(
            span.start <= a and b <= span.end and b - a < len(span) for a, b in ner
        )
        return (-1 if wider else SOURCE_RANK[source], -len(span), span.start)

    kept: list[tuple[Span, str, str]] = []
    taken: set[int] = set()
    for span, label, source in sorted(found, key=rank):
        trimmed = _trim(doc, with_setting(doc, span) if label == "task" else span)
        if trimmed is None or taken.intersection(range(trimmed.start, trimmed.end)):
            continue
        kept.append((trimmed, label, source))
        taken.update(range(trimmed.start, trimmed.end))
    return _as_written_elsewhere(doc, sorted(kept, key=lambda f: f[0].start), taken)
