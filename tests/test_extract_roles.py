"""Roles and type cues, from sentences of our own."""

from __future__ import annotations

import pytest
import spacy

from kgraph.extract.roles import context_type, name_type, proposes


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_sentences")
    return nlp


def find(doc, text):
    for i in range(len(doc)):
        for j in range(i + 1, min(len(doc), i + 6) + 1):
            if doc[i:j].text == text:
                return doc[i:j]
    raise AssertionError(text)


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Title here\nWe propose FlashKV, a cache for decoding.", "FlashKV", True),
        ("Title here\nIn this work we introduce a benchmark called TabArena.", "TabArena", True),
        ("ZipNet: small nets\nIt works.", "ZipNet", True),
        (
            "Zorb Routing meets Quill Nets: small nets\nIt works.",
            "Zorb Routing meets Quill Nets",
            False,
        ),  # two things side by side, not a name
        ("Title here\nWe propose a method that uses BERT features.", "BERT", False),
        ("Title here\nWe fine-tune BERT on GLUE.", "GLUE", False),
        ("Title here\nWe present results on MNIST.", "MNIST", False),
        ("Title here\nTests show that our ZorbNet wins.", "ZorbNet", True),
        ("Title here\nTests show that our proposed ZorbNet wins.", "ZorbNet", True),
        ("Title here\nTests show that our attention layer wins.", "attention layer", False),
        # the subject "we" may stand further back than the verb
        ("Title here\nNext, we tune T5 on the data to create ZorbT5.", "ZorbT5", True),
        ("Title here\nTo solve this issue, past studies have built ZorbT5.", "ZorbT5", False),
        (
            "Title here\nThis data lets others develop question answering.",
            "question answering",
            False,
        ),
        # "a proposed X" is ours, "the recently proposed X" is not
        ("Title here\nIt uses a proposed pose alignment module.", "pose alignment", True),
        ("Title here\nIt uses the recently proposed pose alignment.", "pose alignment", False),
        # a concept that only names the kind of a new methodology is not the proposal
        ("Title here\nWe introduce a novel glyph tuning methodology.", "glyph tuning", False),
        # another paper's naming, told in the past passive
        ("Title here\nThey have been called Zorb Models.", "Zorb Models", False),
        ("Title here\nA paradigm was presented for it, called ZorbCL.", "ZorbCL", False),
        ("Title here\nOur paradigm, called ZorbCL, helps.", "ZorbCL", True),
        # the object of a proposed gerund, or of a clause after the proposal, is not proposed
        ("Title here\nWe propose calculating ZLB over a global batch.", "ZLB", False),
        (
            "Title here\nWe introduce zorb switching, wherein glyph tuning helps.",
            "glyph tuning",
            False,
        ),
        # the items of a list that a proposing clause puts forward after its colon
        (
            "Title here\nThis framework introduces two parts: (1) ZorbNet for x; (2) QuillNet.",
            "QuillNet",
            True,
        ),
        ("Title here\nWe propose two modules: ZorbNet and others.", "ZorbNet", True),
        (
            "Title here\nWe introduce a method for this and test two domains: glyph parsing.",
            "glyph parsing",
            False,
        ),
        ("Title here\nPrior work has two parts: (1) ZorbNet; (2) QuillNet.", "QuillNet", False),
        # an appositive that names our own thing
        ("Title here\nWe put both in ZorbDA, a simple framework for it.", "ZorbDA", True),
        ("Title here\nResults beat ZorbDA, a simple framework for it.", "ZorbDA", False),
        # the description of a proposed name, and a concept that only modifies a noun
        ("Title here\nWe propose Zorb, a learnable linear attention.", "linear attention", False),
        ("Title here\nWe propose a novel self-training framework.", "self-training", False),
        ("Title here\nWe propose a novel self-training scheme.", "self-training", False),
        # a long phrase before the noun is the proposal, unless the text names it next
        (
            "Title here\nWe propose a new two-branch glyph distillation framework here.",
            "two-branch glyph distillation",
            True,
        ),
        (
            "Title here\nWe propose a new two-branch glyph distillation framework, termed ZGD.",
            "two-branch glyph distillation",
            False,
        ),
        # the items after a proposal of so many things, not the concept that counts them
        (
            "Title here\nWe propose two glyph tasks, outcome-specific zorb counting and quill sorting.",
            "quill sorting",
            True,
        ),
        (
            "Title here\nWe propose two glyph parsing tasks, zorb counting and quill sorting.",
            "zorb counting",
            True,
        ),
        (
            "Title here\nWe propose two glyph parsing tasks, zorb counting and quill sorting.",
            "glyph parsing",
            False,
        ),
        (
            "Title here\nWe propose two glyph parsing tasks, and solve them with zorb counting.",
            "zorb counting",
            False,
        ),
        # what the paper studies or adds to is not what it proposes
        (
            "Title here\nWe present insights about glyph-tuning decisions for nets.",
            "glyph-tuning",
            False,
        ),
        (
            "Title here\nThis work offers a first look at zorb sorting of data.",
            "zorb sorting",
            False,
        ),
        ("Title here\nWe introduce the glyph model into prompt zorbing.", "prompt zorbing", False),
        # what a proposed method makes, or makes possible, is not the proposal
        (
            "Title here\nThis paper proposes a method for constructing glyph-tuned ZLMs.",
            "ZLMs",
            False,
        ),
        ("Title here\nWith it, we can easily create glyph-tuned ZLMs.", "ZLMs", False),
        ("Title here\nWe solve it by constructing ZorbBench for finance.", "ZorbBench", True),
        # a name a new implementation or variant is of is not the proposal
        ("Title here\nWe propose a memory-lean ZKM implementation, eZKM.", "ZKM", False),
        ("Title here\nWe propose a sparse ZorbNet variant for phones.", "ZorbNet", False),
        (
            "Title here\nWe propose masked cross-view contrastive learning, which helps.",
            "masked cross-view contrastive learning",
            True,
        ),
        # "-based" inside a description, a gerund, a name given after "we call"
        ("Title here\nWe propose a new graph-based model, ZorbG (graph zorb).", "ZorbG", True),
        ("Title here\nWe propose a model based on ZorbG here.", "ZorbG", False),
        (
            "Title here\nThis paper solves it by developing a pose alignment net.",
            "pose alignment",
            True,
        ),
        ('Title here\nWe call the averaged weights "weight stews" here.', "weight stews", True),
        # the present passive puts forward this paper's own, the past with "by" another's
        ("Title here\nThen a glyph mixing strategy is designed to help.", "glyph mixing", True),
        ("Title here\nNext, glyph mixing is introduced for the decoder.", "glyph mixing", True),
        ("Title here\nGlyph mixing was proposed by earlier work.", "Glyph mixing", False),
        ("Title here\nGlyph mixing is proposed by Smith and Lee.", "Glyph mixing", False),
        # past the short form in brackets after the name
        ("Title here\nA Glyph Mixing Loss (GML) is devised to help.", "Glyph Mixing Loss", True),
        ("Title here\nA Glyph Mixing Loss (GML) was devised by Lee.", "Glyph Mixing Loss", False),
        # a name beside the kind of thing proposed, however long its description
        (
            "Title here\nWe propose a new plug-and-play sparse training framework, Zorb-Drop, to help.",
            "Zorb-Drop",
            True,
        ),
        (
            "Title here\nWe propose a new plug-and-play sparse training framework using Zorb-Drop, to help.",
            "Zorb-Drop",
            False,
        ),
        ("Title here\nThe resulting model, Zorb-7B, beats GPT-4.", "Zorb-7B", True),
        ("Title here\nThe resulting model, Zorb-7B, beats GPT-4.", "GPT-4", False),
    ],
)
def test_proposes(nlp, text, name, expected):
    doc = nlp(text)
    assert proposes(doc, find(doc, name)) is expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("We train with the mean squared error (MSE) and cross entropy (CE) losses.", "mean squared error", True),
        ("We train with the mean squared error (MSE) and cross entropy (CE) losses.", "cross entropy", True),
        ("Training with cross-entropy loss helps.", "cross-entropy", True),
        ("We report the cross-entropy of each model on held-out text.", "cross-entropy", False),
        ("We report the cross-entropy. The loss falls.", "cross-entropy", False),
        ("We see no accuracy loss.", "accuracy", False),  # a drop, not a loss trained with
    ],
)  # fmt: skip
def test_a_measure_named_before_loss_is_the_loss_trained_with(nlp, text, name, expected):
    from kgraph.extract.roles import names_a_loss

    doc = nlp(text)
    assert names_a_loss(doc, find(doc, name)) is expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("We use the MOT17 dataset.", "MOT17", "dataset"),
        ("Scores on the GLUE benchmark rise.", "GLUE", "benchmark"),
        ("The ZipNet model is small.", "ZipNet", "method"),
        ("We report the MAUVE score.", "MAUVE", "metric"),
        ("We rank weights by their pruning score.", "pruning", None),  # a score of pruning
        ("We use ZipNet today.", "ZipNet", None),
        ("We build ZORBA, a dataset of 2K pairs.", "ZORBA", "dataset"),
        ("We build ZORBA, a new large benchmark for tests.", "ZORBA", "benchmark"),
        ("ZORBA is a simple method.", "ZORBA", "method"),
        ("We build ZORBA, a tool for data sets.", "ZORBA", None),
        ("Gains on evaluation datasets (ZorbQA 58.9, QuuxQA 61.2).", "QuuxQA", "dataset"),
        ("Gains on evaluation benchmarks (ZorbQA 58.9).", "ZorbQA", "benchmark"),
        ("A model fine-tuned on Zorbix wins.", "Zorbix", "dataset"),
        ("A model pretrained on Zorbix wins.", "Zorbix", "dataset"),
        ("A model fine-tuned with Zorbix wins.", "Zorbix", None),
        # results on a name are results on a test bed; the performance of one is a model's
        ("We report results on ZorbEval today.", "ZorbEval", "benchmark"),
        ("It triples the performance of Zorbix-XL on it.", "Zorbix-XL", None),
    ],
)
def test_context_type(nlp, text, name, expected):
    doc = nlp(text)
    assert context_type(doc, find(doc, name)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("TabBench", "benchmark"),
        ("CodeArena", "benchmark"),
        ("WikiCorpus", "dataset"),
        ("ZipNet", None),
    ],
)
def test_name_type(name, expected):
    assert name_type(name) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("We use MOT17, MOT20 and DanceTrack datasets.", "MOT17", "dataset"),
        ("We use MOT17, MOT20 and DanceTrack datasets.", "DanceTrack", "dataset"),
        ("On benchmarks such as GLUE and MMLU it wins.", "MMLU", "benchmark"),
        ("Datasets including CIFAR-10 and SVHN are used.", "SVHN", "dataset"),
        # an appositive says what the name is; a noun further on does not
        ("We compare ZipNet, a model, with others.", "ZipNet", "method"),
        ("We compare ZipNet with a model of others.", "ZipNet", None),
        # a dash or colon before the list, the data noun a few words before it
        (
            "It wins on four benchmarks with many formats -- ZorbQA, QuillSet.",
            "QuillSet",
            "benchmark",
        ),
        ("We gather corpora of three kinds: ZorbText and QuillText.", "ZorbText", "dataset"),
        ("It helps many models of all sizes -- ZorbNet and QuillNet.", "QuillNet", None),
        # items of a bracketed list after a data noun, with figures between them
        (
            "It gains on test datasets (ZorbQA 58.9 to 61.7 acc., QuillQA 31.6 to 52.1 F1).",
            "QuillQA",
            "dataset",
        ),
        ("It gains on test datasets (ZorbQA 58.9 to 61.7 acc.) and on QuillQA.", "QuillQA", None),
    ],
)
def test_context_type_reaches_across_lists(nlp, text, name, expected):
    doc = nlp(text)
    assert context_type(doc, find(doc, name)) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("We build Zorpa, a dataset of 9K tables.", "Zorpa", "dataset"),
        ("Quxa is a benchmark for table reasoning.", "Quxa", "benchmark"),
        ("Vexo: a new Welsh question-answer education dataset\nWe use it.", "Vexo", "dataset"),
        ("Vexo: a study of tables and other things\nWe use it.", "Vexo", None),
        ("We compare Zorpa, a popular tool for tables.", "Zorpa", None),
        # the head noun decides: a benchmark dataset is a dataset
        ("Results on ReZorp, a benchmark dataset for tables.", "ReZorp", "dataset"),
        ("Quxa, a data augmentation method, helps.", "Quxa", "method"),
        # a bracket between the name and its appositive
        ("We build ZTB (Zorb Translation from Books), a benchmark for it.", "ZTB", "benchmark"),
        (
            "We build ZTB (Zorb Translation from Books), a benchmark for it.",
            "Zorb Translation from Books",
            "benchmark",
        ),
        # a name whose last word is a data noun says what it is, but "data" does not
        (
            "We build Yet Another Glyph Benchmark (YAGB), a modular framework.",
            "Yet Another Glyph Benchmark",
            "benchmark",
        ),
        ("We train on Synthetic Glyph Data here.", "Synthetic Glyph Data", None),
    ],
)
def test_defined_type(nlp, text, name, expected):
    from kgraph.extract.roles import defined_type

    doc = nlp(text)
    assert defined_type(doc, find(doc, name)) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Title here\nWe study losses, an approach we term SquareHead here.", "SquareHead", True),
        ("Title here\nWe refer to the model as ZipNet here.", "ZipNet", True),
        ("Title here\nWe propose a new tracker for MOT17 scenes.", "MOT17", False),
        ("Compressing LLMs: the truth\nWe study it.", "LLMs", False),
        ("Neural Collapse in Deep Nets: a study\nWe study it.", "Neural Collapse", False),
    ],
)
def test_proposes_naming_phrases_and_whole_title_names(nlp, text, name, expected):
    doc = nlp(text)
    assert proposes(doc, find(doc, name)) is expected
