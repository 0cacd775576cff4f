"""Spans: where a mention starts and ends (``kgraph/extract/spans.py``)."""

from __future__ import annotations

import pytest

from kgraph.extract.pipeline import load_pipeline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We build the Zorb-QA Bench for it.", "Zorb-QA Bench"),
        ("We build the Zorb Quill BenchmarK for it.", "Zorb Quill BenchmarK"),
        ("We build the zorb benchmark for it.", "zorb"),  # a generic noun after common words
    ],
)
def test_a_capitalised_data_head_is_part_of_the_name(text, expected):
    from kgraph.extract.spans import with_name_head

    doc = load_pipeline(model=None).make_doc(text)
    start = next(t.i for t in doc if t.lower_ == "zorb")
    end = start + (3 if doc[start + 1].text == "-" else 2 if doc[start + 1].text == "Quill" else 1)
    assert with_name_head(doc, doc[start:end]).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We evaluate on ImageNet classification today.",
            [("ImageNet", "dataset"), ("classification", "task")],
        ),
        ("We report Big-Bench scores today.", [("Big-Bench", "benchmark")]),
        ("We compare with Llama-2 models today.", [("Llama-2", "method")]),
    ],
)
def test_a_name_run_into_common_words_is_split(text, expected):
    import spacy
    from spacy.tokens import Span

    from kgraph.extract.spans import split_name_and_phrase

    nlp = spacy.blank("en")
    doc = nlp(text)
    start = next(i for i, t in enumerate(doc) if t.text[:1].isupper() and i > 0)
    end = next(i for i in range(len(doc) - 1, 0, -1) if doc[i].text == "today")
    span = Span(doc, start, end, label="task" if "classification" in text else "method")
    got = [(s.text, label) for s, label in split_name_and_phrase(doc, span)]
    assert got == expected


@pytest.mark.parametrize(
    ("phrase", "whole"),
    [
        ("Zorbic Frame-Quill Pre-training", True),  # "Pre-training" is one word
        ("V-cycle training", True),
        ("ZRB-oriented fine-tuning", True),
        ("Zorb-based ranking", False),  # "-based" makes the name a modifier
        ("Zorb-family models", False),
    ],
)
def test_a_name_is_not_split_inside_a_hyphenated_word(phrase, whole):
    from spacy.tokens import Span

    from kgraph.extract.spans import split_name_and_phrase

    doc = load_pipeline(model=None).make_doc(f"We compare {phrase} today.")
    span = Span(doc, 2, len(doc) - 2, label="method")
    assert span.text == phrase
    parts = [s.text for s, _ in split_name_and_phrase(doc, span)]
    assert (parts == [phrase]) is whole
    if not whole:
        assert parts[0].startswith("Zorb") and len(parts) == 2


def test_a_model_size_stays_with_its_name():
    import spacy

    from kgraph.extract.spans import with_size

    doc = spacy.blank("en")("We fine-tune LLaMA 7B and BLOOM here.")
    assert with_size(doc, doc[4:5]).text == "LLaMA 7B"
    assert with_size(doc, doc[7:8]).text == "BLOOM"
    doc = spacy.blank("en")("We compare ERNIE TITAN 3.0 260B and GPT 2.0 here.")
    assert with_size(doc, doc[2:4]).text == "ERNIE TITAN 3.0 260B"
    assert with_size(doc, doc[7:8]).text == "GPT"  # a version alone is not a size
    doc = spacy.blank("en")("We tune Llama-2-70B Chat and Zorb 7B Instruct, not BERT Base.")
    words = [t.text for t in doc]
    llama = words.index("Llama-2")
    assert with_size(doc, doc[llama : llama + 3]).text == "Llama-2-70B Chat"
    zorb = words.index("Zorb")
    assert with_size(doc, doc[zorb : zorb + 1]).text == "Zorb 7B Instruct"
    bert = words.index("BERT")
    assert with_size(doc, doc[bert : bert + 1]).text == "BERT"  # a variant word needs a size


def test_a_size_in_millions_stays_with_its_name_though_the_tokenizer_splits_it():
    from kgraph.extract.spans import with_size

    doc = load_pipeline(model=None).make_doc("We train Zorb 410M and Quux here.")
    words = [t.text for t in doc]
    assert words[3:5] == ["410", "M"]  # spaCy's suffix rules split it
    assert with_size(doc, doc[2:3]).text == "Zorb 410M"
    assert with_size(doc, doc[2:4]).text == "Zorb 410M"  # a span that stops inside it
    assert with_size(doc, doc[6:7]).text == "Quux"


def test_trim_drops_the_unit_of_a_size_before_a_concept():
    from kgraph.extract.spans import _trim

    doc = load_pipeline(model=None).make_doc("It wins for 125M zorb decoder models.")
    assert [t.text for t in doc[3:5]] == ["125", "M"]
    assert _trim(doc, doc[4:8]).text == "zorb decoder models"


def test_a_name_does_not_end_inside_a_hyphenated_word():
    import spacy

    from kgraph.extract.spans import with_compound_end

    doc = spacy.blank("en")("We train OPT-IML 30B and BERT-based models, not OPT - IML.")
    words = [t.text for t in doc]
    opt = words.index("OPT")
    assert with_compound_end(doc, doc[opt : opt + 1]).text == "OPT-IML"
    bert = words.index("BERT")
    assert with_compound_end(doc, doc[bert : bert + 1]).text == "BERT"  # a modifier
    spaced = len(words) - 4
    assert with_compound_end(doc, doc[spaced : spaced + 1]).text == "OPT"  # a free dash


@pytest.mark.parametrize(
    ("text", "first", "whole"),
    [
        ("We compare with Zorb-4o-mini today.", "Zorb-4o", "Zorb-4o-mini"),
        ("We tune ZorbT5-large and ZorbLM-chat now.", "ZorbT5", "ZorbT5-large"),
        ("We tune ZorbT5-large and ZorbLM-chat now.", "ZorbLM", "ZorbLM-chat"),
        ("We tune ZorbLM-base-ro now.", "ZorbLM", "ZorbLM-base"),  # "ro" is no size
        ("We test ZorbNet-based models.", "ZorbNet", "ZorbNet"),  # a modifier still
        ("We test Zorb-large models.", "Zorb", "Zorb"),  # not a coined name before it
        ("We fix bugs on Zorb4J-v1.2 now.", "Zorb4J", "Zorb4J-v1.2"),  # a version
        ("We test on Zorb4D-v2 today.", "Zorb4D", "Zorb4D-v2"),
        ("We test on Zorb-v2 today.", "Zorb", "Zorb"),
    ],
)
def test_a_size_variant_or_version_after_a_hyphen_is_part_of_the_name(text, first, whole):
    import spacy

    from kgraph.extract.spans import with_compound_end

    doc = spacy.blank("en")(text)
    i = [t.text for t in doc].index(first)
    assert with_compound_end(doc, doc[i : i + 1]).text == whole


def test_a_name_does_not_start_inside_a_hyphenated_word():
    import spacy

    from kgraph.extract.spans import with_compound_start

    doc = spacy.blank("en")("We test step-by-step reasoning on MPI-INF-3DHP - and more.")
    words = [t.text for t in doc]
    by = words.index("by")
    assert with_compound_start(doc, doc[by : by + 4]).text == "step-by-step reasoning"
    inf = words.index("INF-3DHP")
    assert with_compound_start(doc, doc[inf : inf + 1]).text == "MPI-INF-3DHP"
    dash = words.index("and")  # a free-standing dash joins nothing
    assert with_compound_start(doc, doc[dash : dash + 1]).text == "and"


def test_a_span_that_starts_at_a_hyphen_starts_at_the_word_before_it():
    from spacy.tokens import Span

    from kgraph.extract.spans import with_compound_start

    doc = load_pipeline(model=None).make_doc("We keep their zero-shot zorb rate.")
    words = [t.text for t in doc]
    dash = words.index("-")
    span = with_compound_start(doc, Span(doc, dash, dash + 3, label="metric"))
    assert (span.text, span.label_) == ("zero-shot zorb", "metric")  # the label travels too


def test_a_name_does_not_start_inside_a_list_the_tokenizer_left_whole():
    from kgraph.extract.spans import with_compound_start

    doc = load_pipeline(model=None).make_doc("It trains Zorb-S/16|Quux-B/16 models.")
    words = [t.text for t in doc]
    assert "S/16|Quux" in words
    last = words.index("B/16")
    assert with_compound_start(doc, doc[last : last + 1]).text == "B/16"
    assert with_compound_start(doc, doc[last - 1 : last + 1]).text == "-B/16"


def test_a_version_after_a_name_is_part_of_it():
    from spacy.tokens import Span

    from kgraph.extract.spans import split_name_and_phrase

    doc = load_pipeline(model=None).make_doc("We beat ZD v2.1 and Zorb v3 today.")
    for start in (2, 5):
        span = Span(doc, start, start + 2, label="method")
        assert split_name_and_phrase(doc, span) == [(span, "method")]


def test_trim_drops_a_stop_word_that_starts_the_sentence():
    from kgraph.extract.spans import _trim

    nlp = load_pipeline(model=None)
    text = "It helps. When fine-tuning helps, it helps. Next-Token Prediction fails."
    doc = nlp.get_pipe("kgraph_sentences")(nlp.make_doc(text))
    when = [t.text for t in doc].index("When")
    assert _trim(doc, doc[when : when + 4]).text == "fine-tuning"
    nxt = [t.text for t in doc].index("Next")
    assert _trim(doc, doc[nxt : nxt + 4]).text == "Next-Token Prediction"


def test_trim_keeps_a_hyphenated_prefix_word():
    import spacy
    from spacy.tokens import Span

    from kgraph.extract.spans import _trim

    doc = spacy.blank("en")("We use in-context learning and the adapters.")
    assert _trim(doc, Span(doc, 2, 6)).text == "in-context learning"
    assert _trim(doc, Span(doc, 7, 9)).text == "adapters"


def test_trim_drops_a_naming_verb_at_the_edge():
    import spacy
    from spacy.tokens import Span

    from kgraph.extract.spans import _trim

    doc = spacy.blank("en")("A scheme termed Zorb Routing, then a dubbed variant.")
    assert _trim(doc, Span(doc, 2, 5)).text == "Zorb Routing"
    assert _trim(doc, Span(doc, 1, 3)).text == "scheme"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("MANTIS: multi-image tuning", "MANTIS"),
        ("Demons in the Detail: on loss", None),
        ("GPT-4 Technical Report", None),
        ("Deep ViT Nets: a study", "Deep ViT Nets"),
    ],
)
def test_title_name(title, expected):
    import spacy

    from kgraph.extract.spans import title_name

    span = title_name(spacy.blank("en")(title + "\nAbstract."))
    assert (span.text if span is not None else None) == expected


def test_a_capitalised_word_and_its_phrase_stay_one_span():
    from kgraph.extract.spans import split_name_and_phrase

    nlp = load_pipeline(model=None)
    for text, expected in [
        ("We fit Gaussian mixture models here.", ["Gaussian mixture models"]),
        ("We fit ZorbNet mixture models here.", ["ZorbNet", "mixture models"]),
    ]:
        doc = nlp.make_doc(text)
        span = doc[2:5]
        span.label_ = "method"
        assert [p.text for p, _ in split_name_and_phrase(doc, span)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We study real-world anomaly detection", "anomaly detection"),
        ("We run multiple pre-training stages", "pre-training stages"),
        ("We test Fast R-CNN", "Fast R-CNN"),
        ("We use novel", "novel"),
        # "large" before "pretrained" says how large; "large language models" is a term
        ("We adapt large pretrained zorb models", "pretrained zorb models"),
        ("We adapt large pre-trained zorb models", "pre-trained zorb models"),
        ("We adapt large zorb models", "large zorb models"),
    ],
)
def test_trim_drops_a_generic_modifier_at_the_start(text, expected):
    from kgraph.extract.spans import _trim

    doc = load_pipeline(model=None).make_doc(text)
    assert _trim(doc, doc[2:]).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We solve 2000 zorb tasks", "zorb tasks"),
        ("We solve 1,616 zorb tasks", "zorb tasks"),
        ("We train 4M models", "4M models"),  # a number joined to a word is a name
        ("We test GPT 4", "GPT 4"),
    ],
)
def test_trim_drops_a_count_at_the_start(text, expected):
    from kgraph.extract.spans import _trim

    doc = load_pipeline(model=None).make_doc(text)
    assert _trim(doc, doc[2:]).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Earlier fine-tuning", "fine-tuning"),  # the capital is the sentence's
        ("Fast R-CNN", "Fast R-CNN"),  # a name's
        ("Novel Zorb Routing", "Novel Zorb Routing"),
    ],
)
def test_trim_drops_a_generic_modifier_that_starts_a_sentence(text, expected):
    from kgraph.extract.spans import _trim

    doc = load_pipeline(model=None).make_doc(text)
    assert _trim(doc, doc[:]).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We use a hybrid reranking algorithm", "hybrid reranking"),
        ("We add a channel attention module", "channel attention"),
        ("We add a Semantic Consistency Module", "Semantic Consistency Module"),  # a name
        ("We compare supervised methods", None),  # an adjective names nothing
        ("We compare regularization-based methods", None),
        ("We compare convolutional network-based methods", None),
        ("We use the method", "method"),
    ],
)
def test_trim_drops_a_generic_head_at_the_end(text, expected):
    from kgraph.extract.spans import _trim

    doc = load_pipeline(model=None).make_doc(text)
    start = 3 if doc[2].lower_ in {"a", "the"} else 2
    trimmed = _trim(doc, doc[start:])
    assert (trimmed.text if trimmed is not None else None) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("multi-image LMM Idefics2-8B", "Idefics2-8B"),  # the words only describe it
        ("domain adaptive Faster R-CNN", "Faster R-CNN"),
        ("finetuned bidirectional BERT-2", "BERT-2"),
        ("code LLMs", "code LLMs"),  # a kind of LLM, a concept of its own
        ("semi-on-policy DPO", "semi-on-policy DPO"),
        ("open domain QA", "open domain QA"),  # a kind of a known task is a task
        ("masked image modeling", "masked image modeling"),
        ("pre-trained language models", "pre-trained language models"),
    ],
)
def test_common_words_before_a_coined_name_are_not_part_of_it(phrase, expected):
    import spacy
    from spacy.tokens import Span

    from kgraph.extract.spans import split_name_and_phrase

    doc = spacy.blank("en")(f"We compare {phrase} today.")
    span = Span(doc, 2, len(doc) - 2, label="method")
    assert span.text == phrase
    assert [s.text for s, _ in split_name_and_phrase(doc, span)] == [expected]


def test_a_capitalised_data_head_word_is_part_of_the_name():
    import spacy

    from kgraph.extract.spans import with_name_head

    doc = spacy.blank("en")("We build ZORB-IML Bench and the ZORB-IML benchmark.")
    assert with_name_head(doc, doc[2:5]).text == "ZORB-IML Bench"
    assert with_name_head(doc, doc[8:11]).text == "ZORB-IML"  # a lower-case noun is not


def test_a_widened_span_keeps_the_recognisers_label():
    from spacy.tokens import Span

    from kgraph.extract.spans import with_compound_end, with_name_head

    doc = load_pipeline(model=None).make_doc("We build Zorb-QA and the Quux Bench today.")
    words = [t.text for t in doc]
    zorb, quux = words.index("Zorb"), words.index("Quux")
    wide = with_compound_end(doc, Span(doc, zorb, zorb + 1, label="dataset"))
    assert (wide.text, wide.label_) == ("Zorb-QA", "dataset")
    wide = with_name_head(doc, Span(doc, quux, quux + 1, label="benchmark"))
    assert (wide.text, wide.label_) == ("Quux Bench", "benchmark")


def test_a_span_that_stops_at_a_hyphen_runs_to_the_end_of_the_name():
    from spacy.tokens import Span

    from kgraph.extract.spans import with_compound_end

    doc = load_pipeline(model=None).make_doc("We use Zorb-NeXT-7B/13B and Quux-based models.")
    words = [t.text for t in doc]
    zorb, quux = words.index("Zorb"), words.index("Quux")
    assert words[zorb + 2] == "NeXT-7B/13B"  # what the tokenizer leaves of the name
    assert with_compound_end(doc, Span(doc, zorb, zorb + 2)).text == "Zorb-NeXT-7B/13B"
    assert with_compound_end(doc, Span(doc, quux, quux + 2)).text == "Quux-"  # a modifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We test ZorbQA-A today", "ZorbQA-A"),  # a variant letter, not the article
        ("We test ZorbQA-Based today", "ZorbQA"),
    ],
)
def test_trim_keeps_a_capital_after_a_hyphen(text, expected):
    from kgraph.extract.spans import _trim

    doc = load_pipeline(model=None).make_doc(text)
    assert _trim(doc, doc[2:-1]).text == expected


def test_a_mention_cut_shorter_than_the_same_words_elsewhere_is_widened():
    from spacy.tokens import Span

    from kgraph.extract.spans import _as_written_elsewhere

    nlp = load_pipeline(model=None)
    text = "Zorb via Stage-wise Quill Sharing and novel glyph routing\nWe use Stage-wise Quill Sharing and novel glyph routing."
    doc = nlp.make_doc(text)
    words = [t.text for t in doc]
    quill = [i for i, w in enumerate(words) if w == "Quill"]
    glyph = [i for i, w in enumerate(words) if w == "glyph"]
    spans = [
        (Span(doc, quill[0], quill[0] + 2), "method", "title"),  # "Quill Sharing"
        (Span(doc, glyph[0], glyph[0] + 2), "method", "ner"),  # "glyph routing"
        (Span(doc, quill[1] - 3, quill[1] + 2), "method", "ner"),  # "Stage-wise Quill Sharing"
        (Span(doc, glyph[1] - 1, glyph[1] + 2), "method", "ner"),  # "novel glyph routing"
    ]

    def widened(spans):
        taken = {i for s, _, _ in spans for i in range(s.start, s.end)}
        return [s.text for s, _, _ in _as_written_elsewhere(doc, spans, taken)]

    got = widened(spans)
    # "novel" is a word spans shed, so the other mention stays as it was cut
    assert got == [
        "Stage-wise Quill Sharing",
        "glyph routing",
        "Stage-wise Quill Sharing",
        "novel glyph routing",
    ]
    taken = [*spans, (Span(doc, quill[0] - 3, quill[0] - 2), "method", "ner")]  # "Stage"
    assert widened(taken)[0] == "Quill Sharing"
