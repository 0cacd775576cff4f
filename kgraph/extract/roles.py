"""Roles and type cues: does the paper propose an entity, and what do the words
around a mention say its type is?

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en")
>>> for name in ("kgraph_sentences",): _ = nlp.add_pipe(name)
>>> doc = nlp("MOTR: tracking\\nWe propose MOTR, a tracker. We test on the MOT17 dataset.")
>>> proposes(doc, doc[0:1]), proposes(doc, doc[6:7]), proposes(doc, doc[15:16])
(True, True, False)
>>> context_type(doc, doc[15:16])
'dataset'
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from kgraph.extract.sentences import doc_text

PROPOSE_VERBS = frozenset(
    """propose proposes proposed present presents introduce introduces introduced develop
    develops developed construct constructs constructed build builds design designs designed
    release releases released create creates created curate curates curated collect collected
    contribute contributes offer offers devise devised formulate formulated establish
    establishes proposing presenting introducing developing constructing designing
    curating releasing""".split()
)
NAMING_WORDS = frozenset({"called", "named", "dubbed", "termed", "coined", "namely"})
_SELF = frozenset({"we", "our", "this", "here"})
_ABILITY = frozenset({"can", "could", "may", "might"})
_DETERMINERS = frozenset({"the", "a", "an", "our", "this"})
_NOT_BETWEEN = frozenset(
    {
        "using",
        "with",
        "on",
        "from",
        "via",
        "that",
        "which",
        "uses",
        "use",
        "based",
        "over",
        "than",
        "against",
        "to",
        "for",
        "in",
        "across",
        "by",
        "beyond",
        "wherein",
        "where",
        "whereby",
        # "we present insights about X", "a first look at X": X is what is studied
        "about",
        "at",
        "into",
        "regarding",
    }
)

# Words right after a name that say its type ("the MOT17 dataset", "the GLUE benchmark").
TYPE_NOUNS = {
    "dataset": "dataset",
    "datasets": "dataset",
    "corpus": "dataset",
    "corpora": "dataset",
    "data": "dataset",
    "collection": "dataset",
    "benchmark": "benchmark",
    "benchmarks": "benchmark",
    "suite": "benchmark",
    "leaderboard": "benchmark",
    "testbed": "benchmark",
    "arena": "benchmark",
    "metric": "metric",
    "metrics": "metric",
    "score": "metric",
    "scores": "metric",
    "model": "method",
    "models": "method",
    "framework": "method",
    "method": "method",
    "methods": "method",
    "approach": "method",
    "architecture": "method",
    "algorithm": "method",
    "network": "method",
    "system": "method",
    "technique": "method",
    "module": "method",
    "agent": "method",
    "policy": "method",
    "optimizer": "method",
    "pipeline": "method",
    "task": "task",
    "tasks": "task",
    "problem": "task",
}
_BENCH_NAME = re.compile(r"(?i)bench|arena|eval$|test$|suite|glue$")
_DATA_NAME = re.compile(r"(?:[Ss]et|[Cc]orpus|[Dd]ata|DB|[Bb]ank|QA|Instruct|\d{2,})$")


class DocFacts:
    """Per-doc facts that :func:`proposes` needs, computed once: the token that ends the
    title, each token's sentence bounds, and every token's text and lower-case form (a
    list index is much cheaper than making a ``Token``)."""

    def __init__(self, doc: Doc) -> None:
        self.words = [t.text for t in doc]
        self.lower = [t.lower_ for t in doc]
        self.title_end = next(
            (t.i for t in doc if "\n" in t.text or "\n" in t.whitespace_), len(doc)
        )
        self.colon = next((t.i for t in doc[: self.title_end] if t.text == ":"), None)
        self.sents = list(doc.sents)
        self.sent_of: list[int] = []
        for k, sent in enumerate(self.sents):
            self.sent_of.extend([k] * len(sent))
        self.texts: list[str | None] = [None] * len(self.sents)
        self.text = doc_text(doc)

    def sentence_text(self, span: Span) -> str:
        """The text of the sentence holding the span's first token, stripped."""
        k = self.sent_of[span.start]
        if self.texts[k] is None:
            sent = self.sents[k]
            self.texts[k] = self.text[sent.start_char : sent.end_char].strip()
        return self.texts[k]

    def sentence(self, span: Span) -> Span:
        """The sentence holding the span's first token."""
        return self.sents[self.sent_of[span.start]]


DATA_TYPES = frozenset({"dataset", "benchmark"})


@lru_cache(maxsize=1 << 16)  # called for the same few strings many times a doc
def name_shaped(text: str) -> bool:
    """Whether a form is shaped like a name: a digit or an inner capital ("GPT-4", "LoRA")."""
    return any(c.isdigit() for c in text) or any(c.isupper() for c in text[1:])


def proposes(doc: Doc, span: Span, facts: DocFacts | None = None) -> bool:
    """Whether the text around ``span`` says the paper introduces it."""
    facts = facts or DocFacts(doc)
    sent = facts.sentence(span)
    if span.end <= facts.title_end:
        colon = facts.colon
        # the title's "X: ..." names the contribution only when X is the whole name, and
        # not when X sets two things side by side ("Global Adaptation meets Local ...")
        return (
            colon is not None
            and span.end == colon
            and span.start == 0
            and not any(w in _SIDE_BY_SIDE for w in facts.lower[span.start : span.end])
        )
    words = facts.lower[max(sent.start, span.start - 12) : span.start]
    if any(w in NAMING_WORDS for w in words[-3:]) and not _told_of_others(
        facts.lower[sent.start : span.start]
    ):
        return True
    for k in range(max(1, len(words) - 5), len(words)):
        if words[k - 1] == "we" and words[k] in {"term", "call", "dub", "name"}:
            return True  # "we call it X", "we call the results 'model soups'"
    if "our" in words[-2:] and name_shaped(span.text):
        return True  # "our ZorbNet", "our proposed ZorbNet"
    if any(
        words[k] == "proposed" and words[k - 1] in _DETERMINERS
        for k in range(max(1, len(words) - 2), len(words))
    ):
        return True  # "a proposed global alignment module", not "the recently proposed X"
    if len(words) >= 2 and words[-1] == "as" and "refer" in words:
        return True
    for k, w in enumerate(words):
        if (
            w in PROPOSE_VERBS
            and _spoken_by_us(words, k)
            # "a method for constructing instruction-tuned LLMs", "we can create
            # instruction-tuned LLMs": what the proposal makes, or makes possible
            and not (w.endswith("ing") and k and words[k - 1] in {"for", "of"})
            and not any(x in _ABILITY for x in words[max(0, k - 2) : k])
        ):
            between = words[k + 1 :]
            if (
                len(between) <= 8
                and not any(
                    b in _NOT_BETWEEN and not (b == "based" and a == "-")
                    for a, b in zip(["", *between], between, strict=False)
                )
                and not _describes_another(between)
                and not _modifies_noun(doc, span)
                # "we propose calculating LBL ...": the gerund is the proposal, its
                # object is not
                and not (between and between[0].endswith("ing") and len(between[0]) > 5)
            ):
                return True
    if _named_after_its_kind(facts.lower[max(sent.start, span.start - 16) : span.start]):
        return True
    if _passive_proposal(_past_brackets(facts.lower[span.end : span.end + 10])):
        return True
    if words[-4:-2] == ["the", "resulting"] and words[-2] in TYPE_NOUNS and words[-1] == ",":
        return True  # "The resulting model, Llama-3-Physician, ..."
    if _listed_after_proposal(facts.lower[sent.start : span.start]):
        return True
    nxt = facts.lower[span.end : span.end + 2]
    if nxt[:1] == [","] and nxt[1:] in (["a"], ["an"]):
        after = facts.lower[span.end + 2 : span.end + 8]
        if any(w in {"novel", "new", "first"} for w in after[:4]):
            return True
        # "... in PoseDA, a simple yet effective framework": we name our own thing
        return (
            name_shaped(span.text)
            and any(w in TYPE_NOUNS for w in after)
            and any(w in {"we", "our"} for w in facts.lower[sent.start : sent.end])
        )
    return False


def _named_after_its_kind(before: list[str]) -> bool:
    """Whether a name stands beside the kind of thing our proposing verb puts forward,
    however long its description ("we propose a new plug-and-play training framework,
    SMoE-Dropout"): the words before the name run from the verb through "a"/"an" to
    the kind's noun and a comma."""
    if before[-1:] != [","]:
        return False  # most names: no comma right before them
    for k, w in enumerate(before):
        between = before[k + 1 :]
        if (
            w in PROPOSE_VERBS
            and _spoken_by_us(before, k)
            and 3 <= len(between) <= 14
            and between[0] in {"a", "an"}
            and between[-1] == ","
            and (between[-2] in TYPE_NOUNS or between[-2] in _KIND_NOUNS)
            and "," not in between[:-1]
            and not any(b in _NOT_BETWEEN for b in between)
        ):
            return True
    return False


def _past_brackets(after: list[str]) -> list[str]:
    """The words after a name, past the bracket that may follow it ("Inter-Consistency
    Loss (ICL) is devised"): the bracket holds its short form."""
    if after[:1] == ["("] and ")" in after[1:5]:
        return after[after.index(")") + 1 :]
    return after


_ENUMERATOR = re.compile(r"^(?:\d|[ivx]+|[a-e])$")


_COUNTS = frozenset("two three four five six seven eight nine ten several multiple".split())


def _counted_list_after_proposal(before: list[str]) -> bool:
    """Whether a name is an item of the list after a proposal of so many things ("we
    propose two clinical prediction tasks, X and Y"): the list starts after the comma
    that ends the counted noun, and each item after a comma or "and"."""
    for k, w in enumerate(before):
        if w not in PROPOSE_VERBS or not _spoken_by_us(before, k):
            continue
        count = next(
            (c for c in range(k + 1, min(k + 4, len(before))) if before[c] in _COUNTS), None
        )
        if count is None:
            continue
        comma = next(
            (c for c in range(count + 2, min(count + 7, len(before))) if before[c] == ","), None
        )
        if comma is None or before[comma - 1] not in TYPE_NOUNS:
            continue
        rest = before[comma + 1 :]
        return not rest or (
            len(rest) <= 12
            and rest[-1] in {",", "and"}
            and not any(w in _NOT_BETWEEN or w in {".", ";", ":"} for w in rest)
        )
    return False


def _listed_after_proposal(before: list[str]) -> bool:
    """Whether a name is an item of the list a proposing clause puts forward after its
    colon ("this framework introduces three components: (1) X ...; (2) Y ..."): it starts
    the list or an enumerated item ("(2)", "2)")."""
    if _counted_list_after_proposal(before):
        return True
    if ":" not in before:
        return False
    colon = len(before) - 1 - before[::-1].index(":")
    clause = before[:colon]
    # the verb's own object runs to the colon: "we introduce X and test four domains:"
    # lists the domains tested
    if not any(
        w in PROPOSE_VERBS
        and _spoken_by_us(clause, k)
        and len(clause) - k <= 12
        and "and" not in clause[k + 1 :]
        for k, w in enumerate(clause)
    ):
        return False
    rest = before[colon + 1 :]
    if not rest:
        return True
    return (
        len(rest) >= 2
        and rest[-1] == ")"
        and _ENUMERATOR.match(rest[-2]) is not None
        and (len(rest) == 2 or rest[-3] == "(" or rest[-3] in {";", ",", "and"})
    )


_PASSIVE_PROPOSE = frozenset(
    "proposed introduced designed developed presented devised constructed built".split()
)


def _passive_proposal(after: list[str]) -> bool:
    """Whether the words after a name say, in the present passive, that this paper puts
    it forward: "a feature-distance suppression strategy is designed to ...", not "X was
    proposed by ..." (another paper's)."""
    k = 1 if after[:1] and after[0] in _PASSIVE_NOUNS else 0
    return (
        len(after) > k + 1
        and after[k] in {"is", "are"}
        and after[k + 1] in _PASSIVE_PROPOSE
        and after[k + 2 : k + 3] != ["by"]
    )


_PAST_PASSIVE = frozenset({"was", "were", "been"})
_NAMED_OR_PUT_FORWARD = NAMING_WORDS | PROPOSE_VERBS | _PASSIVE_PROPOSE
_SIDE_BY_SIDE = frozenset({"meets", "meet", "vs", "vs.", "versus"})


def _told_of_others(words: list[str]) -> bool:
    """Whether a sentence reports another paper's naming in the past passive: "they have
    been called Foundation Models", "a new paradigm was presented ..., called X"."""
    return any(
        a in _PAST_PASSIVE and b in _NAMED_OR_PUT_FORWARD
        for a, b in zip(words, words[1:], strict=False)
    )


def _spoken_by_us(words: list[str], k: int) -> bool:
    """Whether the verb at ``k`` is the paper's own: "we" or "our" just before it, or the
    paper speaking earlier in the words."""
    return any(x in _SELF for x in words[max(0, k - 3) : k]) or _ours(words[:k])


def _ours(words: list[str]) -> bool:
    """Whether the words speak for the paper: "we", "this paper", "this work"."""
    return "we" in words or any(
        a == "this" and b in {"paper", "work", "study"}
        for a, b in zip(words, words[1:], strict=False)
    )


def _describes_another(between: list[str]) -> bool:
    """Whether the words after the verb put forward another name first: in "we propose
    Hedgehog, a learnable linear attention" the attention describes Hedgehog."""
    return any(a == "," and b in {"a", "an"} for a, b in zip(between, between[1:], strict=False))


_KIND_NOUNS = frozenset(
    "strategy strategies scheme paradigm procedure mechanism objective loss branch "
    "implementation variant recipe setting formulation methodology".split()
)
# The nouns that may stand between a name and "is designed" ("X strategy is designed").
_PASSIVE_NOUNS = _KIND_NOUNS | {"module", "block", "method"}


# Nouns after a name that make the proposal a version of that name, not the name: "we
# propose a memory-efficient DKM implementation" builds on DKM.
_VERSION_NOUNS = frozenset("implementation implementations variant variants extension".split())


def _modifies_noun(doc: Doc, span: Span) -> bool:
    """Whether a concept in common words only modifies the noun after it: "we propose a
    novel self-training framework" proposes the framework, not self-training; and whether
    a name is the one a new version is of ("a memory-efficient DKM implementation")."""
    if span.end >= len(doc):
        return False
    nxt = doc[span.end].lower_
    if nxt in _VERSION_NOUNS:
        return True
    if span.start and doc[span.start - 1].lower_ in _COUNTS and nxt in TYPE_NOUNS:
        return True  # "two clinical prediction tasks": the tasks counted are the proposal
    if name_shaped(span.text) or span[0].text[:1].isupper():
        return False
    if not (nxt in _KIND_NOUNS or TYPE_NOUNS.get(nxt) == "method"):
        return False
    if len(span.text.split()) > 2:
        # a long new phrase is more often the contribution itself, unless the text names
        # the contribution next ("a novel tri-branch self-supervised training framework,
        # termed as POA")
        return any(t.lower_ in NAMING_WORDS for t in doc[span.end + 1 : span.end + 4])
    return True


_TRAIN_WORDS = frozenset(
    """train trains trained training finetune finetunes finetuned finetuning pretrain
    pretrains pretrained pretraining""".split()
)
_LIST_GLUE = frozenset({",", "and", "or", "&", "/", "(", ")"})
_INTRO = frozenset({"as", "including", "includes", "like", ":", "e.g.", "namely", "--", "\u2014"})
_DASH_INTRO = frozenset({":", "--", "\u2014"})


def _bracketed_list_type(doc: Doc, span: Span) -> str | None:
    """The data type of the noun before a bracket whose comma-separated items the name
    starts one of, with figures between the items ("evaluation datasets (StrategyQA 58.9
    -> 61.7 acc., IIRC 25.5 -> 27.3 F1)")."""
    if span.start < 2 or doc[span.start - 1].text not in {",", "("}:
        return None
    for j in range(span.start - 1, max(0, span.start - 60), -1):
        text = doc[j].text
        if text == ")" or text in {".", ";"} and doc[j].is_sent_end:
            return None
        if text == "(":
            found = TYPE_NOUNS.get(doc[j - 1].lower_) if j >= 1 else None
            return found if found in DATA_TYPES else None
    return None


def context_type(doc: Doc, span: Span) -> str | None:
    """The type the words next to ``span`` give it, or None.

    The noun right after the name decides ("the MOT17 dataset"), also across a list
    ("MOT17, MOT20 and DanceTrack datasets"); so does a data noun introducing a list
    ("benchmarks such as GLUE and MMLU").
    """
    i = span.end
    while i < len(doc) and i < span.end + 14:
        tok = doc[i]
        if tok.lower_ in TYPE_NOUNS:
            found = TYPE_NOUNS[tok.lower_]
            if found == "metric" and span.text.islower():
                break  # "the importance pruning score" is a score of pruning, not a metric
            if i == span.end or found in DATA_TYPES:
                return found
            break
        if tok.text in _LIST_GLUE or tok.text[:1].isupper() or tok.like_num or tok.text == "-":
            i += 1
            continue
        break
    j = span.start - 1
    while j >= 0 and j > span.start - 14:
        tok = doc[j]
        if tok.lower_ in _INTRO:
            k = j - 1
            if tok.lower_ == "as" and k >= 0 and doc[k].lower_ == "such":
                k -= 1
            if k >= 0 and doc[k].lower_ in TYPE_NOUNS and TYPE_NOUNS[doc[k].lower_] in DATA_TYPES:
                return TYPE_NOUNS[doc[k].lower_]
            if tok.text in _DASH_INTRO:
                # "four benchmarks with diverse tasks and formats -- PromptSource, FLAN": the
                # noun the list stands for may come a few words before the colon or dash
                for w in doc[max(0, j - 8) : j]:
                    if TYPE_NOUNS.get(w.lower_) in DATA_TYPES:
                        return TYPE_NOUNS[w.lower_]
            break
        if tok.text == "(" and j >= 1 and TYPE_NOUNS.get(doc[j - 1].lower_) in DATA_TYPES:
            return TYPE_NOUNS[doc[j - 1].lower_]  # "evaluation datasets (StrategyQA, ...)"
        if tok.text in _LIST_GLUE or tok.text[:1].isupper() or tok.like_num or tok.text == "-":
            j -= 1
            continue
        break
    listed = _bracketed_list_type(doc, span)
    if listed is not None:
        return listed
    if span.start >= 2 and doc[span.start - 1].lower_ == "on":
        k = span.start - 2
        while k > 0 and not doc[k - 1].whitespace_ and k > span.start - 5:
            k -= 1  # the whole hyphenated word: "fine-tuning", "pre-trained"
        if doc[k : span.start - 1].text.lower().replace("-", "") in _TRAIN_WORDS:
            return "dataset"  # "fine-tuned on GSM8K", "pretrained on LAION": data to train on
    defined = defined_type(doc, span)
    if defined is not None:
        return defined
    if span.start >= 2 and doc[span.start - 1].lower_ == "on":
        prev = doc[span.start - 2]
        if prev.lower_ in {"evaluated", "evaluate", "evaluation", "results", "performance"}:
            return "benchmark"
    if names_a_loss(doc, span):
        return "method"  # "cross entropy (CE) loss": the loss trained with, a technique
    return None


_DEFINES = frozenset({",", ":", "is", "are"})
_ENDS_NOUN_PHRASE = frozenset({"of", "for", "that", "which", "with", "to", "and"})


# Measures that also name the loss a model trains with: general knowledge of the field.
_LOSS_MEASURES = frozenset(
    (
        "mean squared error", "mse", "cross-entropy", "cross entropy", "ce",
        "negative log-likelihood", "negative log likelihood", "nll", "kl divergence",
        "kl-divergence", "kullback-leibler divergence", "mean absolute error", "mae",
    )
)  # fmt: skip
_LOSS_NOUNS = frozenset({"loss", "losses"})
_NOT_IN_LOSS_LIST = frozenset(
    {".", ";", ":", "of", "for", "to", "with", "on", "in", "by", "is", "are", "which", "that"}
)


def names_a_loss(doc: Doc, span: Span) -> bool:
    """Whether a measure names the loss a model trains with, a training technique: "the
    mean squared error (MSE) and cross entropy (CE) losses", "cross-entropy (CE) loss";
    not "we report the cross-entropy"."""
    if span.text.lower() not in _LOSS_MEASURES:
        return False
    for tok in doc[span.end : span.end + 10]:
        if tok.lower_ in _LOSS_NOUNS:
            return True
        if tok.lower_ in _NOT_IN_LOSS_LIST or tok.is_sent_start:
            return False
    return False


def scored_on(doc: Doc, span: Span) -> bool:
    """Whether the text reports a figure on ``span``, as one reports results on data:
    "88.5% on Split-CIFAR", "an FID of 5.47 on MJHQ-30K", "repairs 82 bugs on Defects4J".
    It says the name is data, not whether a dataset or a benchmark."""
    if span.start < 2 or doc[span.start - 1].lower_ != "on":
        return False
    before = doc[max(0, span.start - 4) : span.start - 1]
    return any(t.like_num or t.text == "%" for t in before) and not any(
        t.text in {".", ";", "("} for t in before
    )


def defined_type(doc: Doc, span: Span) -> str | None:
    """The type an appositive, a copula or a title's colon says a name has ("CAPYBARA, a
    dataset of ...", "LLM4VG is a benchmark for ...", "Alloprof: a new French
    question-answer dataset"), or None: the text's own word for what the name is. A
    bracket after the name, or closing after its long form, stands between ("MTOB (Machine
    Translation from One Book), a benchmark for ..."). A name whose last word is a data
    noun says so itself ("Yet Another ICU Benchmark (YAIB), a modular framework")."""
    own = TYPE_NOUNS.get(span[-1].lower_) if span[-1].lower_ not in {"data", "collection"} else None
    if len(span) > 1 and own in DATA_TYPES and span[0].text[:1].isupper():
        return own
    k = span.end
    if k < len(doc) and doc[k].text == "(":
        k = next((j + 1 for j in range(k + 1, min(k + 14, len(doc))) if doc[j].text == ")"), k)
    elif k < len(doc) and doc[k].text == ")":
        k += 1
    if k + 1 < len(doc) and doc[k].lower_ in _DEFINES and doc[k + 1].lower_ in {"a", "an", "the"}:
        head = None  # the last type noun of the phrase: "a benchmark dataset" is a dataset
        for tok in doc[k + 2 : k + 9]:
            if tok.is_punct and tok.text != "-" or tok.lower_ in _ENDS_NOUN_PHRASE:
                break
            if tok.lower_ in TYPE_NOUNS:
                head = TYPE_NOUNS[tok.lower_]
        return head
    return None


def name_type(text: str) -> str | None:
    """A type suggested by the shape of a coined name ("...Bench" is a benchmark)."""
    if _BENCH_NAME.search(text):
        return "benchmark"
    if _DATA_NAME.search(text) and not text[-1].isdigit():
        return "dataset"
    return None
