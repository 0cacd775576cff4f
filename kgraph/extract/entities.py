"""Entities: gather the spans the other components found into one entity per thing.

Spans come from the trained recogniser (``doc.ents``), the lexicon, the rule
candidates and abbreviation definitions; :mod:`kgraph.extract.spans` sets where each
starts and ends and keeps, of overlapping spans, the recogniser's, then the
lexicon's, then the longer. Mentions of one thing (same folded form, or
an abbreviation and its long form) become one
:class:`~kgraph.model.ExtractedEntity`: the long form is its name, the other
forms its aliases, its type is voted by cue, lexicon and recogniser, and its role
is ``proposed`` when some mention has a proposing cue.

``confidence`` is a prior by where the span came from (recogniser 0.8, lexicon
0.9, title prefix 0.8, abbreviation 0.7, rule candidate 0.5), raised when a paper mentions the
entity more than once; it is not a calibrated probability.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kgraph.extract.candidates import is_coined_text, load_heads
from kgraph.extract.lexicon import lookup, lookup_family
from kgraph.extract.roles import (
    DATA_TYPES,
    NAMING_WORDS,
    PROPOSE_VERBS,
    DocFacts,
    context_type,
    defined_type,
    name_type,
    proposes,
    scored_on,
)
from kgraph.extract.spans import (
    SOURCE_RANK,
    collect_spans,
    expand_lists,
    form_text,
    has_size,
    is_named,
    with_compound_end,
    with_size,
)
from kgraph.model import ExtractedEntity, Mention
from kgraph.resolve import fold

PRIOR = {"ner": 0.8, "lexicon": 0.9, "title": 0.8, "abbreviation": 0.7, "candidate": 0.5}

# Field names are a setting, not an entity, by the annotation guidelines.
FIELDS = frozenset(
    fold(f)
    for f in (
        "NLP", "natural language processing", "computer vision", "deep learning",
        "machine learning", "artificial intelligence", "AI", "ML", "CV",
    )
)  # fmt: skip

# Hardware, units, organisations, references into the paper, URLs and numbers are not
# entities by the annotation guidelines, whatever the recogniser says; nor is a number
# format ("INT8", "FP16", "BF16": the names of integer and floating-point formats).
_NOT_ENTITIES = frozenset(
    fold(f)
    for f in (
        "CPU", "CPUs", "GPU", "GPUs", "TPU", "TPUs", "RAM", "GB", "MB", "KB", "TB", "GHz",
        "SOTA", "state of the art",
        # organisations of the field (a model keeps its maker's name: "Google's BERT" is
        # BERT, "OpenAI o1" stays whole)
        "OpenAI", "Google", "Google DeepMind", "DeepMind", "Meta", "Meta AI", "Microsoft",
        "NVIDIA", "Anthropic", "Apple", "Alibaba", "Baidu", "Tencent", "Huawei", "IBM",
        "Facebook", "Hugging Face", "HuggingFace", "Salesforce", "ByteDance",
    )
)  # fmt: skip
_NOT_NAME = re.compile(
    r"(?:https?://|www\.)\S*|(?:u?int|fp|bf)\d{1,2}|[-+\u2212]?[\d.,]+[%x\u00d7]?(?:[-/][\d.,]+[%x\u00d7]?)*|(?:section|sec\.|table|figure|fig\.|appendix|eq\.|equation)s?(?:\s*\d[\d.]*|\s+[A-Z])?",
    re.IGNORECASE,
)
# A symbol of the maths: a letter with a subscript or a power ("p_i", "C_Phi",
# "G_{stack}", "x^2"), or a Greek letter's name alone ("Psi").
_SYMBOL = re.compile(
    r"[A-Za-z](?:_\{?\w+\}?|\^\{?\d+\}?)+|alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda"
    r"|mu|nu|xi|pi|rho|sigma|tau|upsilon|phi|chi|psi|omega",
    re.IGNORECASE,
)


def not_an_entity(text: str, span: Span) -> bool:
    """Whether a span is something the guidelines never annotate: hardware and units
    ("GPU", "GB"), an organisation alone ("OpenAI"), a URL, a number, a reference into
    the paper ("Section 6"), a single character, or a lone function word ("whereas")."""
    return (
        len(text) < 2
        or fold(text) in _NOT_ENTITIES
        or _NOT_NAME.fullmatch(text) is not None
        or _SYMBOL.fullmatch(text) is not None
        or len(span) == 1
        and span[0].is_stop
        and span[0].text == text  # not the "A" of "ImageNet-C, R, S, A", for ImageNet-A
    )


if not Doc.has_extension("kg_entities"):
    Doc.set_extension("kg_entities", default=[])


_LIST_WORDS = frozenset({",", "and", "or", "&", "/"})


def in_list_with(doc: Doc, i: int, taken: set[int]) -> bool:
    """Whether token ``i`` is an item of a list whose neighbouring item is an entity
    ("CogVLM and Emu2", "OpenFlamingo, Emu, Idefics")."""
    before = i >= 2 and doc[i - 1].lower_ in _LIST_WORDS and (i - 2) in taken
    after = i + 2 < len(doc) and doc[i + 1].lower_ in _LIST_WORDS and (i + 2) in taken
    return before or after


def covered(spans: list[tuple[Span, str, str]]) -> set[int]:
    """The token indices the spans cover."""
    return {i for s, _, _ in spans for i in range(s.start, s.end)}


_AFTER_NAME = frozenset({",", "(", ":"})


def put_forward(doc: Doc, taken: set[int], lower: list[str] | None = None) -> list[int]:
    """Tokens that a proposing verb of ours puts forward as a name, outside any span:
    a capitalised word right after "we propose" and before a comma, colon or bracket.
    ``lower`` is every token's lower-case form, if the caller has it."""
    lower = lower if lower is not None else [t.lower_ for t in doc]
    return [
        i
        for i in range(2, len(doc) - 1)
        if lower[i - 1] in PROPOSE_VERBS
        and i not in taken
        and doc[i].text[:1].isupper()
        and doc[i].is_alpha
        and not doc[i].is_stop
        and lower[i - 2] in {"we", "thus", "then", "also", "further", "first"}
        and lower[i + 1] in _AFTER_NAME
    ]


def head_type(span: Span, heads: dict[str, tuple[str, bool]]) -> str | None:
    """The type the head word of a phrase gives it ("... segmentation" is a task)."""
    head = heads.get(span[-1].lower_) if len(span) > 1 and span[-1].is_alpha else None
    return head[0] if head is not None else None


def _names_a_task(span: Span, text: str, heads: dict[str, tuple[str, bool]]) -> bool:
    """Whether a form is a known task or ends in a task's head word ("... extraction")."""
    known = lookup(text)
    return known.type == "task" if known is not None else head_type(span, heads) == "task"


# Below this probability of its least sure token, a span the recogniser alone found once
# is more often noise than an entity (measured on dev: about one in five is one).
UNSURE = 0.2
# A phrase in common words needs a surer recogniser than a name does: the annotated
# training papers hold more such phrases than the guidelines' annotators write, and
# the recogniser proposes them freely ("loss-based finetuning", "interval constraints").
UNSURE_PHRASE = 0.6


def unsure(
    ents: tuple[Span, ...], member: tuple[Span, str, str], heads: dict[str, tuple[str, bool]]
) -> bool:
    """Whether a span is the recogniser's alone and it was unsure of it: the probability of
    the tag it gave some token of the span (``Span._.kg_score``) is under :data:`UNSURE`
    for a name, :data:`UNSURE_PHRASE` for a phrase in common words. A known name, a
    phrase whose head word names a task ("... segmentation") and a metric say what they
    are themselves."""
    span, label, source = member
    if source != "ner" or label == "metric" or lookup(span.text) is not None:
        return False
    if head_type(span, heads) == "task":
        return False
    known = [
        e._.kg_score
        for e in ents
        if e.start < span.end and span.start < e.end and e._.kg_score is not None
    ]
    limit = UNSURE if is_named(span.doc, span) else UNSURE_PHRASE
    return bool(known) and max(known) < limit  # no score: not from a recogniser that gives one


def _title_concept(span: Span, abstract: str, heads: dict[str, tuple[str, bool]]) -> bool:
    """Whether a title phrase is a concept the abstract (``abstract``, in lower case) writes
    too, inside longer phrases or alone ("Semantic Segmentation" of "semi-supervised
    semantic segmentation"): a known name or a phrase ending in a task's head word."""
    if len(span) < 2 or not (lookup(span.text) is not None or head_type(span, heads) == "task"):
        return False
    return re.search(rf"(?<!\w){re.escape(span.text.lower())}(?!\w)", abstract) is not None


def _title_task(doc: Doc, span: Span, heads: dict[str, tuple[str, bool]]) -> bool:
    """Whether a title phrase is the task a "... for <task>" title applies its work to
    ("Deep Multimodal Fusion for Surgical Feedback Classification"): a phrase ending in a
    task's head word, right after "for"."""
    return (
        len(span) > 1
        and span.start > 0
        and doc[span.start - 1].lower_ == "for"
        and head_type(span, heads) == "task"
    )


def _long_form(span: Span) -> bool:
    """Whether an abbreviation's long form reads as one name, not a clause the letters
    happened to fit ("propose a new method named ..."): no comma, no proposing or naming
    verb."""
    return not any(
        t.text == "," or t.lower_ in PROPOSE_VERBS or t.lower_ in NAMING_WORDS for t in span
    )


# A short form in capitals, perhaps plural ("LLMs", "QA", "NLP").
_CAPS_SHORT = re.compile(r"[A-Z][A-Z0-9]*[A-Z]s?")


def _words(form: str) -> list[str]:
    """A form's words in lower case, split at spaces and hyphens."""
    return re.split(r"[\s\-\u2010\u2011]+", form.lower().strip())


def _initials(form: str) -> str:
    return "".join(w[0] for w in _words(form) if w[:1].isalpha())


def _link_undefined_short_forms(groups: dict[str, list], txt) -> None:
    """Join a short form the text never defines to the one entity of the paper whose words'
    initials spell it: abstracts write "large language models" in one sentence and "LLMs"
    in the next without a bracket between them. A short form two entities could spell is
    left alone."""
    long_by_initials: dict[str, list[str]] = defaultdict(list)
    for key, members in groups.items():
        forms = {txt(s) for s, _, _ in members}
        if all(" " in f or "-" in f for f in forms):
            long_by_initials[_initials(txt(members[0][0]))].append(key)
    for key in list(groups):
        forms = {txt(s) for s, _, _ in groups[key]}
        if not all(_CAPS_SHORT.fullmatch(f) for f in forms):
            continue
        letters = next(iter(forms)).rstrip("s").lower()
        targets = long_by_initials.get(letters, [])
        if len(letters) >= 2 and len(targets) == 1:
            groups[targets[0]].extend(groups.pop(key))


@lru_cache(maxsize=1 << 16)
def group_key(form: str) -> str:
    """The key the forms of one entity of a paper share: :func:`fold`'s, with a version
    written on or apart from its name alike ("GPT-4" and "GPT4", "Llama 2" and "Llama2"),
    and an abbreviation's plural with its singular ("LMs" and "LM")."""
    if _PLURAL_SHORT.fullmatch(form):
        form = form[:-1]
    return re.sub(r"(?<=[a-z]) (?=\d)", "", fold(form))


_PLURAL_SHORT = re.compile(r"[A-Z][A-Z0-9]+s")


def group_entities(doc: Doc) -> list[ExtractedEntity]:
    """The entities of one doc, in order of first mention."""
    facts = DocFacts(doc)
    full = facts.text

    def txt(span: Span) -> str:
        return form_text(full, span)

    spans = collect_spans(doc)
    for long, _ in doc._.abbreviations:
        # the long form of an abbreviation is the name's extent: past words in lower case
        # before it ("three supervised pretrained language models (PLMs)" names pretrained
        # language models), and to its first word ("Outcome-based Reward Models (ORMs)")
        for k, (span, label, source) in enumerate(spans):
            if span.start < long.start < span.end == long.end and all(
                t.is_lower or not t.is_alpha for t in doc[span.start : long.start]
            ):
                spans[k] = (long, label, source)
            elif long.start < span.start < long.end == span.end and _long_form(long):
                spans[k] = (long, label, source)
                # the pieces of the long form the recogniser found apart are part of it
                spans = [
                    f
                    for f in spans
                    if f[0] is long or not (long.start <= f[0].start and f[0].end <= long.end)
                ]
                break
    known = {group_key(txt(s)) for s, _, _ in spans}
    links: dict[str, str] = {}
    short_forms: dict[str, str] = {}
    for long, short in doc._.abbreviations:
        lk, sk = group_key(txt(long)), group_key(txt(short))
        if not lk or not sk:
            continue
        # a long form the text spells out after its short form ("ESM (short for Efficient
        # Student Model)") is a form of the name the recogniser found
        if lk not in known and (sk not in known or short.start < long.start):
            label = context_type(doc, short) or "method"
            spans.append((long, label, "abbreviation"))
            known.add(lk)
        if sk not in known:
            spans.append((short, "", "abbreviation"))
            known.add(sk)
        links[sk] = lk
        short_forms[txt(short)] = lk
    # every further occurrence of a defined short form is a mention too
    taken = covered(spans)
    texts = facts.words
    if short_forms:
        for i, text in enumerate(texts):
            if text in short_forms and i not in taken:
                # a variant written onto a short form is a name of its own ("FST-D")
                spans.append((with_compound_end(doc, doc[i : i + 1]), "", "abbreviation"))
    # a coined name the recogniser passed over is one too if it is written twice, listed
    # beside an entity, carries a model size, or the text says what it is
    taken = covered(spans)
    coined: dict[str, list[Span]] = defaultdict(list)
    for i, text in enumerate(texts):
        if i not in taken and is_coined_text(text):
            coined[text].append(doc[i : i + 1])
    for occurrences in coined.values():
        if len(occurrences) >= 2 or any(
            in_list_with(doc, o.start, taken)
            or has_size(doc, o)
            or defined_type(doc, o) is not None  # "ReDocRED, a benchmark dataset for ..."
            for o in occurrences
        ):
            spans.extend((with_size(doc, occ), "", "candidate") for occ in occurrences)
    # a capitalised word a proposing verb puts forward is a name ("we propose Hedgehog, a
    # learnable attention"), and so is every other occurrence of it
    taken = covered(spans)
    for i in put_forward(doc, taken, facts.lower):
        same = [j for j, text in enumerate(texts) if text == texts[i] and j not in taken]
        spans.extend((doc[j : j + 1], "method", "candidate") for j in same)
        taken.update(same)
    spans = expand_lists(doc, spans)
    heads = load_heads()
    groups: dict[str, list[tuple[Span, str, str]]] = defaultdict(list)
    for span, label, source in spans:
        key = group_key(txt(span))
        if not key:
            continue
        groups[links.get(key, key)].append((span, label, source))
    _link_undefined_short_forms(groups, txt)

    title_end = full.find("\n")
    abstract = full[title_end:].lower()
    recognised = doc.ents
    out: list[tuple[int, ExtractedEntity]] = []
    data_spans: list[Span] = []  # mentions of data the text vouches for
    unproven: list[tuple] = []  # groups the recogniser alone calls data
    for key, members in groups.items():
        members.sort(key=lambda m: m[0].start)
        role = "proposed" if any(proposes(doc, s, facts) for s, _, _ in members) else "used"
        if (
            role == "used"
            and 0 <= title_end
            and all(s.end_char <= title_end for s, _, _ in members)
            and not _title_concept(members[0][0], abstract, heads)
            and not _title_task(doc, members[0][0], heads)
        ):
            # Title Case misleads the recogniser: a name the abstract never repeats,
            # and that the title does not put forward, is more often noise than not.
            continue
        if key in FIELDS or all(not_an_entity(txt(s), s) for s, _, _ in members):
            continue
        if role == "used" and len(members) == 1 and unsure(recognised, members[0], heads):
            continue
        named = [is_named(doc, s, txt(s)) for s, _, _ in members]
        votes: Counter[str] = Counter()
        evidence = False
        # "relation extraction methods", "AAC models": a method noun after a task names
        # methods for the task, not the task's type
        task_named = any(_names_a_task(s, txt(s), heads) for s, _, _ in members)
        for (span, label, source), proper in zip(members, named, strict=True):
            cue = context_type(doc, span)
            defined = defined_type(doc, span)
            if cue == "method" and task_named:
                cue = None
            known = lookup_family(txt(span)) if proper else lookup(txt(span))
            if (
                cue in DATA_TYPES
                and cue != defined
                and (not proper or known is not None and known.type in ("task", "metric"))
            ):
                # "pretraining data" does not make "pretraining" a dataset, nor "QA
                # datasets" make "QA" one: they are data for a concept or task
                cue = None
            if cue:
                # the text's own word for what the name is ("CAPYBARA, a dataset of") outvotes
                # every other cue and the recogniser's labels of all its mentions
                votes[cue] += 20 if cue == defined else 5
            if known is not None:
                votes[known.type] += 4
            elif label:
                votes[label] += 2 if source == "ner" else 1
            shaped = name_type(txt(span)) if proper else None
            if shaped:
                votes[shaped] += 2.5
            # evidence for data beyond the recogniser's label: a cue, the lexicon, a shape
            evidence = (
                evidence
                or bool(DATA_TYPES & {cue, known and known.type, shaped})
                or scored_on(doc, span)
            )
            head = head_type(span, heads)
            if head is not None and head != "method":
                votes[head] += 2.5  # "... segmentation" is a task, "... error" a metric
        etype = votes.most_common(1)[0][0] if votes else "method"
        if etype in DATA_TYPES:
            if evidence:
                data_spans.extend(s for s, _, _ in members)
            else:
                # decided once every group's evidence is known: see below
                unproven.append((key, members, role, any(named), votes))
                continue
        out.append((members[0][0].start, _entity(key, members, etype, role, any(named), facts)))
    # Data names come with a cue ("the X dataset", "benchmarks such as X"), are well known,
    # or are shaped like one ("X-Bench"); the recogniser's label alone is more often noise
    # ("COVID-19", "French") than a dataset. A name listed with data the text vouches for
    # ("ChemProt, RCT and IMDB") is data too. A name the paper proposes ("MANTIS: ...") or
    # a coined name written more than once is kept, as the next best type.
    listed = listed_with(doc, data_spans, [s for _, members, *_ in unproven for s, _, _ in members])
    for key, members, role, named, votes in unproven:
        if any(s.start in listed for s, _, _ in members):
            etype = votes.most_common(1)[0][0]
        elif role == "used" and (
            len(members) < 2 or not any(is_coined_text(txt(s)) for s, _, _ in members)
        ):
            continue
        else:
            etype = next((t for t, _ in votes.most_common() if t not in DATA_TYPES), "method")
        out.append((members[0][0].start, _entity(key, members, etype, role, named, facts)))
    return mark_variants(drop_task_heads([e for _, e in sorted(out, key=lambda x: x[0])]))


def _entity(
    key: str, members: list, etype: str, role: str, named: bool, facts: DocFacts
) -> ExtractedEntity:
    """The entity of one group of mentions, with its type and role decided: the long form
    names it, its other forms are aliases."""
    texts = [form_text(facts.text, s) for s, _, _ in members]
    forms = list(dict.fromkeys(texts))
    long_forms = [f for f in forms if group_key(f) == key]
    if long_forms and len(long_forms) < len(forms):  # an abbreviation is among the forms
        name = long_forms[0]
    else:
        name = max(long_forms or forms, key=lambda f: (texts.count(f), len(f)))
    best = min(members, key=lambda m: SOURCE_RANK[m[2]])[2]
    confidence = min(0.99, PRIOR[best] + 0.05 * (len(members) - 1))
    return ExtractedEntity(
        name=name,
        type=etype,
        role=role,
        aliases=[f for f in forms if f != name],
        named=named,
        confidence=round(confidence, 2),
        mentions=[
            # the text a mention covers, not the name it stands for ("R" of "ImageNet-C, R")
            Mention(
                s.start_char,
                s.end_char,
                facts.text[s.start_char : s.end_char],
                facts.sentence_text(s),
            )
            for s, _, _ in members
        ],
    )


def listed_with(doc: Doc, known: list[Span], others: list[Span]) -> set[int]:
    """The starts of the ``others`` that share a list with a ``known`` span: items one
    list word apart (",", "and", "or", "/", "&", ", and"), chained through other items
    of ``others`` ("ChemProt, RCT, IMDB and Amazon" when IMDB is known)."""
    items = sorted({(s.start, s.end): s for s in (*known, *others)}.values(), key=lambda s: s.start)
    proven = {s.start for s in known}
    # neighbours: the next item begins one list word (or ", and") after this one ends
    chain: list[list[int]] = []
    for prev, span in zip([None, *items], items, strict=False):
        gap = [t.lower_ for t in doc[prev.end : span.start]] if prev is not None else None
        if gap is not None and (
            len(gap) == 1 and gap[0] in _LIST_WORDS or gap in ([",", "and"], [",", "or"])
        ):
            chain[-1].append(span.start)
        else:
            chain.append([span.start])
    return {i for c in chain if proven.intersection(c) for i in c} - proven


def _ends_with(form: str, head: str) -> bool:
    """Whether a form's last words are ``head`` ("in-context summarization" ends with
    "summarization"), or, for a short form in capitals, their initials spell it
    ("open-domain question answering" ends with "QA")."""
    words, tail = _words(form), _words(head)
    if len(words) > len(tail) and words[-len(tail) :] == tail:
        return True
    return (
        bool(_CAPS_SHORT.fullmatch(head))
        and not head.endswith("s")
        and len(words) > len(head)
        and "".join(w[:1] for w in words[-len(head) :]) == head.lower()
    )


def drop_task_heads(entities: list[ExtractedEntity]) -> list[ExtractedEntity]:
    """Leave out a one-word task (or its short form) that is the head of a longer task of
    the same paper: "summarization" beside "in-context summarization", "QA" beside
    "open-domain question answering". Such a word refers back to the longer task; the
    guidelines' annotators write the longer one alone (of the 320 annotated training
    papers, 5 annotate both)."""
    tasks = [e for e in entities if e.type == "task"]
    heads = {
        id(e)
        for e in tasks
        if e.role == "used"
        and all(len(_words(f)) == 1 for f in e.forms())
        and any(
            other is not e and _ends_with(form, head)
            for other in tasks
            for form in other.forms()
            for head in e.forms()
        )
    }
    return [e for e in entities if id(e) not in heads]


# A capitalised word put before a model's name for a tuned version of it ("Flan-UL2").
_TUNED = re.compile(r"^[A-Z][A-Za-z]*-(?=[A-Z0-9])")


def _variant_of(form: str, stem: str) -> bool:
    """Whether a form is the stem with a size or version after it ("mantis-8B" of "mantis")."""
    return (
        form.lower().startswith(stem)
        and form[len(stem) : len(stem) + 1] in ("-", " ")
        and not form[len(stem) + 1 : len(stem) + 2].islower()
    )


def mark_variants(entities: list[ExtractedEntity]) -> list[ExtractedEntity]:
    """A named variant of a proposed name ("Mantis-8B" of "Mantis", "FST-W" of "FST", the
    tuned "Flan-UL2 20B" of "UL2") is proposed too: a paper that introduces a model
    introduces its sizes and versions."""
    stems = [f.lower() for e in entities if e.role == "proposed" and e.named for f in e.forms()]
    for e in entities:
        if (
            e.role == "used"
            and e.named
            and any(
                _variant_of(f, stem)
                for f in {g for form in e.forms() for g in (form, _TUNED.sub("", form))}
                for stem in stems
            )
        ):
            e.role = "proposed"
    return entities


@Language.factory("kgraph_entities")
def make_entities(nlp: Language, name: str) -> EntityGrouper:
    """The spaCy component: ``doc._.kg_entities``, a list of ExtractedEntity."""
    return EntityGrouper()


class EntityGrouper:
    """Sets ``doc._.kg_entities`` from :func:`group_entities`."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_entities = group_entities(doc)
        return doc
