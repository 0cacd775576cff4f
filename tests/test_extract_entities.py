"""The entity grouper: one entity per thing, long form as name, evidence kept."""

from __future__ import annotations

import pytest

from kgraph.extract.pipeline import extract_papers, load_pipeline
from kgraph.model import Paper


@pytest.fixture(scope="module")
def rules():
    return load_pipeline(model=None)


def before_recogniser(text):
    """The doc of ``text`` after the rule components that run before the recogniser, so
    that a test can set ``doc.ents`` as the recogniser would."""
    nlp = load_pipeline(model=None)
    doc = nlp.make_doc(text)
    for pipe in ("kgraph_sentences", "kgraph_abbreviations", "kgraph_lexicon"):
        doc = nlp.get_pipe(pipe)(doc)
    return doc


def entities(nlp, title, abstract):
    doc = nlp(Paper("p", title, abstract).text)
    return {e.name: e for e in doc._.kg_entities}, doc


@pytest.mark.parametrize("nlp_name", ["rules", "shipped"])
def test_an_abbreviations_singular_is_a_form_of_its_plural(nlp_name, request):
    nlp = request.getfixturevalue(nlp_name)
    ents, _ = entities(
        nlp, "A title", "Glyph models (GMs) are strong. We prompt the GM with a review."
    )
    [ent] = [e for e in ents.values() if "GMs" in (e.name, *e.aliases)]
    assert "GM" not in ents and "GM" in ent.aliases, {n: e.aliases for n, e in ents.items()}


def test_abbreviation_and_long_form_are_one_entity_named_by_the_long_form(rules):
    ents, _ = entities(
        rules, "A title", "We propose Sparse Mixture Routing (SMR). SMR beats GPT-4."
    )
    smr = ents["Sparse Mixture Routing"]
    assert smr.aliases == ["SMR"] and smr.role == "proposed" and smr.named
    assert [m.text for m in smr.mentions] == ["Sparse Mixture Routing", "SMR", "SMR"]
    assert ents["GPT-4"].role == "used"


def test_a_long_form_written_after_the_short_form_names_the_entity(rules):
    ents, _ = entities(
        rules, "A title", "We train ZSM (short for Zorb Student Model) by distillation. ZSM wins."
    )
    zsm = ents["Zorb Student Model"]
    assert zsm.aliases == ["ZSM"]
    assert [m.text for m in zsm.mentions] == ["ZSM", "Zorb Student Model", "ZSM"]


def test_a_known_name_keeps_a_word_that_would_be_trimmed(rules):
    ents, _ = entities(rules, "A title", "We test ZorbNet on named entity recognition.")
    ner = ents["named entity recognition"]  # not "entity recognition", named by "named"
    assert ner.type == "task" and ner.role == "used"


@pytest.mark.parametrize(
    ("text", "found", "name"),
    [
        ("We study unsupervised glyph segmentation.", ("glyph segmentation", "task"),
         "unsupervised glyph segmentation"),
        ("We study weakly-supervised glyph segmentation.", ("glyph segmentation", "task"),
         "weakly-supervised glyph segmentation"),
        # not a setting; a method, not a task
        ("We study quill-supervised glyph segmentation.", ("glyph segmentation", "task"),
         "glyph segmentation"),
        ("We use few-shot glyph prompting.", ("glyph prompting", "method"), "glyph prompting"),
    ],
)  # fmt: skip
def test_a_recognised_task_keeps_its_learning_setting(text, found, name):
    phrase, label = found
    assert name in recognised_with_score(text, {phrase: (label, 0.9)})


def test_mentions_index_the_text_and_name_their_sentence(rules):
    ents, doc = entities(
        rules, "ZipNet: small nets", "We train on ImageNet. Accuracy on ImageNet rises."
    )
    for e in ents.values():
        for m in e.mentions:
            assert doc.text[m.start : m.end] == m.text
            assert m.text in m.sentence and "\n" not in m.sentence
    assert ents["ZipNet"].role == "proposed"
    assert len(ents["ImageNet"].mentions) == 2 and ents["ImageNet"].type == "dataset"


def test_type_cue_beats_lexicon(rules):
    ents, _ = entities(rules, "A title", "Results on the ImageNet benchmark improve.")
    assert ents["ImageNet"].type == "benchmark"


def test_title_only_name_that_the_title_does_not_propose_is_dropped(rules):
    ents, _ = entities(
        rules, "Better Routing With Mixture Models For Vision", "We study routing. It works well."
    )
    assert not any(n in ents for n in ("Mixture Models", "Better Routing", "Vision"))


@pytest.mark.parametrize("with_model", [False, True])
def test_a_title_task_the_abstract_writes_inside_a_longer_phrase_is_kept(with_model):
    nlp = load_pipeline() if with_model else load_pipeline(model=None)
    title = "Cheap Teachers in Object Detection"
    ents, _ = entities(
        nlp, title, "We train small detectors for semi-supervised object detection in streets."
    )
    assert ents["Object Detection"].type == "task"
    ents, _ = entities(nlp, title, "We train small detectors on street scenes.")
    assert "Object Detection" not in ents  # the abstract never writes it


@pytest.mark.parametrize("with_model", [False, True])
def test_the_task_a_title_applies_its_work_to_is_kept(with_model):
    nlp = load_pipeline() if with_model else load_pipeline(model=None)
    abstract = "We train small detectors on street scenes."
    ents, _ = entities(nlp, "Cheap Teachers for Glyph Detection", abstract)
    assert ents["Glyph Detection"].type == "task"  # "... for <task>"
    ents, _ = entities(nlp, "Cheap Teachers for Glyph Routing", abstract)
    assert "Glyph Routing" not in ents  # not a task's head word


def test_names_never_end_in_the_title_newline():
    nlp = load_pipeline()
    doc = nlp(
        Paper("p", "Pretraining Language Models with Human Preferences", "We pretrain models.").text
    )
    for e in doc._.kg_entities:
        assert all("\n" not in m.text for m in e.mentions)


def test_shipped_pipeline_finds_entities_of_several_types():
    nlp = load_pipeline()
    doc = nlp(
        Paper(
            "p",
            "A title",
            "We fine-tune BERT on the SQuAD dataset for question answering and report F1.",
        ).text
    )
    types = {e.type for e in doc._.kg_entities}
    assert {"method", "task", "metric"} <= types or {"method", "dataset", "metric"} <= types


def test_a_known_name_inside_a_hyphenated_name_takes_the_whole_name():
    ents, _ = entities(
        load_pipeline(), "A title", "We release Flan-UL2 20B, which beats UL2 20B on MMLU."
    )
    assert "Flan-UL2 20B" in ents and "UL2 20B" in ents


def test_a_coined_name_written_twice_is_kept_even_if_the_model_misses_it(rules):
    ents, _ = entities(
        rules, "A title", "We evaluate ZorbNet3 here. ZorbNet3 is small. QuuxKit appears once."
    )
    assert "ZorbNet3" in ents and len(ents["ZorbNet3"].mentions) == 2


def test_field_names_are_a_setting_not_an_entity(rules):
    ents, _ = entities(
        rules, "A title", "Deep learning has changed NLP. We apply knowledge distillation to BERT."
    )
    assert "NLP" not in ents and "Deep learning" not in ents
    assert "BERT" in ents


def test_a_plural_of_a_known_name_takes_the_known_type():
    nlp = load_pipeline()
    ents, _ = entities(nlp, "A title", "Our detector raises the AUCs of every Zorvex baseline.")
    assert "AUCs" in ents, sorted(ents)
    assert ents["AUCs"].type == "metric"


@pytest.mark.parametrize(
    "text, absent",
    [
        ("Training BERT on 8 GPUs takes 40 GB of memory.", {"GPUs", "GB"}),
        (
            "BERT beats SOTA by +12.50 points, as Section 4 shows.",
            {"SOTA", "+12.50", "Section 4"},
        ),
        (
            "Code for BERT is at https://example.org/bert for everyone.",
            {"https://example.org/bert"},
        ),
    ],
)
def test_hardware_units_numbers_urls_and_references_are_not_entities(text, absent):
    ents, _ = entities(load_pipeline(), "A title", text + " BERT is fast.")
    assert "BERT" in ents, sorted(ents)
    assert not absent & set(ents), sorted(ents)


@pytest.mark.parametrize(
    "text",
    [
        "GPU", "GB", "Section 6", "Table 2", "+12.00", "42%", "https://x.org/a",
        "3.44x", "10.2%/11.6", "8-24", "p_i", "C_Phi", "G_{stack}", "x^2", "Psi", "INT8", "FP16",
        "bf16", "OpenAI", "HuggingFace", "Google DeepMind",
    ],
)  # fmt: skip
def test_not_an_entity(text):
    from kgraph.extract.entities import not_an_entity

    nlp = load_pipeline(model=None)
    doc = nlp.make_doc(text)
    assert not_an_entity(text, doc[:])


@pytest.mark.parametrize(
    "text",
    [
        "GPT-4",
        "Tabular learning",
        "ResNet-50",
        "F1",
        "S^3A",
        "BERT_BASE",
        "Micro F_1",
        "FP16-Net",
        "INT8Q",
    ],
)
def test_names_are_entities(text):
    from kgraph.extract.entities import not_an_entity

    doc = load_pipeline(model=None).make_doc(text)
    assert not not_an_entity(text, doc[:])


@pytest.fixture(scope="module")
def shipped():
    return load_pipeline()


def test_a_coined_name_listed_beside_an_entity_is_kept_once_written(shipped):
    ents, _ = entities(shipped, "A title", "Scores rise for BERT and qZx4 alike.")
    assert "qZx4" in ents, sorted(ents)


def test_a_coined_name_with_a_model_size_is_kept_once_written(shipped):
    ents, _ = entities(shipped, "A title", "In tests, Zorb2 12B stays ahead. Later, Quux-7B wins.")
    assert {"Zorb2 12B", "Quux-7B"} <= set(ents), sorted(ents)


def test_a_size_or_version_of_a_proposed_name_is_proposed_too():
    from kgraph.extract.entities import mark_variants
    from kgraph.model import ExtractedEntity

    ents = mark_variants(
        [
            ExtractedEntity("Zorb", "method", "proposed", named=True),
            ExtractedEntity("Zorb-8B", "method", named=True),
            ExtractedEntity("Zorb Large", "method", named=True),
            ExtractedEntity("Zorbit", "method", named=True),
            ExtractedEntity("Zorb tuning", "method", named=False),
            ExtractedEntity("ZORB-2", "method", named=True),
            ExtractedEntity("Zorb Inserts layers", "method", named=True),
            ExtractedEntity("Zorb inserts layers", "method", named=True),
            ExtractedEntity("Flan-Zorb 20B", "method", named=True),  # a tuned version
            ExtractedEntity("Flan-Zorbit 20B", "method", named=True),
        ]
    )
    roles = [e.role for e in ents]
    assert roles == [
        "proposed",
        "proposed",
        "proposed",
        "used",
        "used",
        "proposed",
        "proposed",
        "used",
        "proposed",
        "used",
    ]


@pytest.mark.parametrize(
    "tasks, kept",
    [
        # a one-word task that is the head of a longer task of the paper refers back to it
        (["zorb summarization", "summarization"], ["zorb summarization"]),
        (["multi-hop question answering", "QA"], ["multi-hop question answering"]),
        (["Sketch-to-Zorb Translation", "translation"], ["Sketch-to-Zorb Translation"]),
        # a head that no longer task of the paper ends with stays
        (["zorb summarization", "translation"], ["zorb summarization", "translation"]),
        # a short form whose letters are not the longer task's last words stays
        (["question answering about zorbs", "QA"], ["question answering about zorbs", "QA"]),
        # a phrase of two words is a task of its own, even inside a longer one
        (
            ["zorb question answering", "question answering"],
            ["zorb question answering", "question answering"],
        ),
    ],
)
def test_a_one_word_task_that_heads_a_longer_task_is_left_out(tasks, kept):
    from kgraph.extract.entities import drop_task_heads
    from kgraph.model import ExtractedEntity

    ents = [ExtractedEntity(t, "task") for t in tasks] + [ExtractedEntity("Zorb", "method")]
    out = drop_task_heads(ents)
    assert [e.name for e in out if e.type == "task"] == kept
    assert any(e.name == "Zorb" for e in out)  # other types are left alone


@pytest.mark.parametrize("with_model", [False, True])
def test_a_paper_s_task_and_its_bare_head_are_one_task(with_model):
    nlp = load_pipeline("shipped" if with_model else None)
    [pe] = extract_papers(
        [
            Paper(
                "p",
                "Zorbing for Meeting Summarization",
                "We study meeting summarization with long transcripts. Our Zorb model improves "
                "summarization quality, and open-domain question answering where QA systems fail.",
            )
        ],
        nlp=nlp,
    )
    tasks = [e.name.lower() for e in pe.entities if e.type == "task"]
    assert tasks == ["meeting summarization", "open-domain question answering"]


def test_a_task_head_that_names_a_method_or_is_proposed_is_kept():
    from kgraph.extract.entities import drop_task_heads
    from kgraph.model import ExtractedEntity

    ents = [
        ExtractedEntity("zorb summarization", "task"),
        ExtractedEntity("summarization", "task", "proposed"),
        ExtractedEntity("distillation", "method"),
        ExtractedEntity("zorb distillation", "task"),
    ]
    assert drop_task_heads(ents) == ents


def test_a_capitalised_word_we_propose_is_a_proposed_name(rules):
    ents, _ = entities(
        rules,
        "A title",
        "Attention is slow. We thus propose Hedgehog, a learnable attention. "
        "Hedgehog is fast. We present Results in two tables.",
    )
    assert ents["Hedgehog"].role == "proposed" and len(ents["Hedgehog"].mentions) == 2, sorted(ents)
    assert "Results" not in ents


def test_a_title_name_the_recogniser_calls_a_dataset_is_kept_without_data_evidence():
    from spacy.tokens import Span

    from kgraph.extract.entities import group_entities

    doc = before_recogniser(Paper("p", "ZORB: Tuning at Scale", "We tune models.").text)
    doc.ents = [Span(doc, 0, 1, label="dataset")]
    ents = {e.name: e for e in group_entities(doc)}
    assert ents["ZORB"].role == "proposed" and ents["ZORB"].type == "method", ents


def recognised_as_dataset(text: str, name: str) -> dict[str, str]:
    """The grouper's entity types for ``text`` when the recogniser labelled every
    occurrence of the word ``name``, and nothing else, a dataset."""
    from spacy.tokens import Span

    from kgraph.extract.entities import group_entities

    doc = before_recogniser(Paper("p", "A title", text).text)
    doc.ents = [Span(doc, t.i, t.i + 1, label="dataset") for t in doc if t.text == name]
    return {e.name: e.type for e in group_entities(doc)}


@pytest.mark.parametrize(
    ("text", "name", "kept"),
    [
        ("We train Zorbix on Quuxor today.", "Quuxor", False),
        ("We train Zorbix on the Quuxor dataset today.", "Quuxor", True),
        ("We train Zorbix on ImageNet today.", "ImageNet", True),
        # a figure reported on it: results on data
        ("Zorbix reaches 88.5% on Quuxor.", "Quuxor", True),
        ("Zorbix has an FID of 5.47 on Quuxor.", "Quuxor", True),
        ("Zorbix repairs 82 bugs on Quuxor.", "Quuxor", True),
        ("We ran 3 seeds. On Quuxor it fails.", "Quuxor", False),  # a sentence apart
    ],
)
def test_a_dataset_needs_more_than_the_recogniser_label(text, name, kept):
    names = recognised_as_dataset(text, name)
    assert (names.get(name) == "dataset") is kept, names


def recognised_as_data(text: str, names: set[str]) -> dict[str, str]:
    """The grouper's entity types for ``text`` when the recogniser labelled every word of
    ``names``, and nothing else, a dataset."""
    from spacy.tokens import Span

    from kgraph.extract.entities import group_entities

    doc = before_recogniser(Paper("p", "A title", text).text)
    doc.ents = [Span(doc, t.i, t.i + 1, label="dataset") for t in doc if t.text in names]
    return {e.name: e.type for e in group_entities(doc)}


@pytest.mark.parametrize(
    "text",
    [
        "We test on Quuxor, Zorblat, ImageNet and Plimf.",  # a chain through the list
        "We test on Quuxor, Zorblat, and ImageNet.",  # the serial comma
        "Scores on Quuxor/Zorblat/ImageNet rise.",
    ],
)
def test_a_name_listed_with_known_data_is_data(text):
    found = recognised_as_data(text, {"Quuxor", "Zorblat", "ImageNet", "Plimf"})
    assert {n for n, t in found.items() if t == "dataset"} >= {"Quuxor", "Zorblat"}, found


@pytest.mark.parametrize(
    "text",
    [
        "We test on Quuxor, Zorblat and Plimf.",  # nothing in the list is vouched for
        "We test on Quuxor with the help of ImageNet.",  # beside it, but not listed with it
    ],
)
def test_a_list_of_names_the_recogniser_alone_calls_data_is_not_kept(text):
    found = recognised_as_data(text, {"Quuxor", "Zorblat", "ImageNet", "Plimf"})
    assert not {"Quuxor", "Zorblat", "Plimf"} & set(found), found


def test_a_known_measure_a_model_trains_with_is_a_method(shipped):
    ents, _ = entities(
        shipped,
        "A title",
        "We fit ZorbNet with the cross-entropy (CE) loss and report its accuracy.",
    )
    assert ents["cross-entropy"].type == "method", {n: e.type for n, e in ents.items()}
    assert ents["accuracy"].type == "metric"


def test_a_coined_name_written_twice_keeps_a_place_without_data_evidence():
    names = recognised_as_dataset("We train ZorbNet2 now. ZorbNet2 is small.", "ZorbNet2")
    assert names.get("ZorbNet2") == "method", names


def test_data_for_a_known_task_does_not_make_the_task_a_dataset(shipped):
    ents, _ = entities(
        shipped, "A title", "We gather VQA datasets and test BERT on NER benchmarks."
    )
    assert ents["VQA"].type == "task" and ents["NER"].type == "task", {
        n: e.type for n, e in ents.items()
    }


def test_a_known_name_around_a_recognised_span_wins():
    from spacy.tokens import Span

    from kgraph.extract.spans import collect_spans

    doc = before_recogniser("THOR beats the Switch Transformer on translation.")
    doc.ents = [Span(doc, 4, 5, label="method")]  # "Transformer" alone
    assert [s.text for s, _, _ in collect_spans(doc)] == ["Switch Transformer"]


def test_a_method_noun_after_a_task_does_not_make_it_a_method():
    from spacy.tokens import Span

    from kgraph.extract.entities import group_entities

    text = "We beat zorb extraction methods and ZorbNet models on speed."
    doc = before_recogniser(Paper("p", "A title", text).text)
    start = next(t.i for t in doc if t.text == "zorb")
    net = next(t.i for t in doc if t.text == "ZorbNet")
    doc.ents = [
        Span(doc, start, start + 2, label="method"),
        Span(doc, net, net + 1, label="method"),
    ]
    types = {e.name: e.type for e in group_entities(doc)}
    assert types == {"zorb extraction": "task", "ZorbNet": "method"}, types


def recognised_with_score(text: str, spans: dict[str, tuple[str, float]]) -> dict[str, str]:
    """The grouper's entity types for ``text`` when the recogniser found each phrase of
    ``spans`` with its label and the probability of its least sure tag."""
    from kgraph.extract.entities import group_entities

    doc = before_recogniser(Paper("p", "A title", text).text)
    ents = []
    for phrase, (label, _) in spans.items():
        start = doc.text.index(phrase)
        ents.append(doc.char_span(start, start + len(phrase), label=label))
    doc.ents = ents
    for ent in doc.ents:
        ent._.kg_score = spans[ent.text][1]
    return {e.name: e.type for e in group_entities(doc)}


def test_a_span_the_recogniser_was_unsure_of_and_found_once_is_dropped():
    text = "The Zorvex engine drives pose mapping for glyph segmentation."
    found = recognised_with_score(
        text,
        {"Zorvex engine": ("method", 0.9), "pose mapping": ("task", 0.1),
         "glyph segmentation": ("task", 0.1)},
    )  # fmt: skip
    assert "Zorvex engine" in found  # sure
    assert "pose mapping" not in found  # unsure, once
    assert found.get("glyph segmentation") == "task"  # a task head word says what it is


def test_an_unsure_span_written_twice_is_kept():
    text = "Pose mapping helps. We study pose mapping."
    doc_spans = {"Pose mapping": ("task", 0.1), "pose mapping": ("task", 0.1)}
    assert "Pose mapping" in recognised_with_score(text, doc_spans)


def test_a_phrase_in_common_words_needs_a_surer_recogniser_than_a_name():
    text = "The Zorvex engine uses glyph warping. We score it by glyph error rate."
    found = recognised_with_score(
        text,
        {"Zorvex engine": ("method", 0.4), "glyph warping": ("method", 0.4),
         "glyph error rate": ("metric", 0.4)},
    )  # fmt: skip
    assert "Zorvex engine" in found  # a name at this score is kept
    assert "glyph warping" not in found  # a phrase at the same score is not
    assert found.get("glyph error rate") == "metric"  # the recogniser's metrics are kept


def test_the_texts_own_word_for_a_name_outvotes_the_recogniser():
    text = "We build Zorpa, a dataset of tables. Zorpa helps. Zorpa wins. Zorpa grows."
    doc = before_recogniser(Paper("p", "A title", text).text)
    from spacy.tokens import Span

    from kgraph.extract.entities import group_entities

    doc.ents = [Span(doc, t.i, t.i + 1, label="method") for t in doc if t.text == "Zorpa"]
    assert {e.name: e.type for e in group_entities(doc)}["Zorpa"] == "dataset"


def test_a_coined_name_written_once_is_kept_when_the_text_says_what_it_is():
    from kgraph.extract.entities import group_entities

    def found(text):  # with no recogniser spans: the coined-name pass alone
        return {e.name: e.type for e in group_entities(before_recogniser(text))}

    assert found("A title\nWe test on ReZorpQ, a benchmark dataset for tables.") == {
        "ReZorpQ": "dataset"
    }
    assert found("A title\nWe test on ReZorpQ today.") == {}


def test_a_variant_written_onto_a_short_form_is_a_name_of_its_own(rules):
    text = "We propose Zorbic Tensor Routing (ZTR) in two variants, deep (ZTR-D) and wide."
    ents, _ = entities(rules, "A title", text)
    assert ents["ZTR-D"].role == "proposed"
    assert ents["Zorbic Tensor Routing"].aliases == ["ZTR"]


def test_an_abbreviation_sets_the_extent_of_the_name_it_stands_for():
    from kgraph.extract.entities import group_entities

    text = "We tune two frozen zorbic tensor routers (ZTRs) and two Zorbic Hash Maps (ZHMs)."
    doc = before_recogniser(Paper("p", "A title", text).text)

    def span(phrase):
        start = doc.text.index(phrase)
        return doc.char_span(start, start + len(phrase), label="method")

    doc.ents = [
        span("frozen zorbic tensor routers"), span("ZTRs"),
        span("two Zorbic Hash Maps"), span("ZHMs"),
    ]  # fmt: skip
    found = {e.name: e.aliases for e in group_entities(doc)}
    # a lower-case word before the long form is a modifier
    assert found == {"zorbic tensor routers": ["ZTRs"], "Zorbic Hash Maps": ["ZHMs"]}


def test_a_recognised_span_inside_a_long_form_grows_to_it():
    from kgraph.extract.entities import _long_form, group_entities

    doc = before_recogniser(Paper("p", "A title", "We train Zorbic Reward Models (ZRMs).").text)
    start = doc.text.index("Reward Models")
    doc.ents = [
        doc.char_span(start - 7, start - 1, label="method"),  # "Zorbic", a piece of it
        doc.char_span(start, start + len("Reward Models"), label="method"),
        doc.char_span(doc.text.index("ZRMs"), doc.text.index("ZRMs") + 4, label="method"),
    ]
    assert {e.name: e.aliases for e in group_entities(doc)} == {"Zorbic Reward Models": ["ZRMs"]}
    # not to a clause whose letters happen to fit
    clause = load_pipeline(model=None).make_doc("propose a new method named Tree Routing")
    assert not _long_form(clause[:]) and _long_form(clause[5:])


def test_a_version_written_on_or_apart_from_its_name_is_one_entity(rules):
    ents, _ = entities(rules, "A title", "We compare ZorbNet-4 and ZorbNet4 with Zorb 2.")
    assert sorted([ents["ZorbNet-4"].name, *ents["ZorbNet-4"].aliases]) == [
        "ZorbNet-4",
        "ZorbNet4",
    ]


def recognised(text: str, phrases: dict[str, str]) -> dict[str, object]:
    """The grouper's entities for ``text`` when the recogniser labelled every occurrence
    of each phrase with its label, and nothing else."""

    from kgraph.extract.entities import group_entities

    doc = before_recogniser(Paper("p", "A title", text).text)
    spans = []
    for phrase, label in phrases.items():
        start = 0
        while (at := doc.text.find(phrase, start)) >= 0:
            spans.append(doc.char_span(at, at + len(phrase), label=label))
            start = at + len(phrase)
    doc.ents = sorted(spans, key=lambda s: s.start)
    return {e.name: e for e in group_entities(doc)}


def test_an_undefined_short_form_joins_the_one_entity_its_initials_spell():
    ents = recognised(
        "Glyph routers fail on scans. We make GRs robust with glyph dropout.",
        {"Glyph routers": "method", "GRs": "method", "glyph dropout": "method"},
    )
    assert ents["Glyph routers"].aliases == ["GRs"], ents
    assert "GRs" not in ents


def test_an_undefined_short_form_two_entities_spell_stays_apart():
    ents = recognised(
        "Glyph routing and glyph retrieval both help. GR is cheap.",
        {"Glyph routing": "method", "glyph retrieval": "task", "GR": "method"},
    )
    assert "GR" in ents and ents["Glyph routing"].aliases == [], ents


def test_a_score_after_a_name_is_not_part_of_it_but_a_version_is():
    ents = recognised(
        "We test ZorbNet 58.9 and QuillNet 3.0 here.",
        {"ZorbNet 58.9": "method", "QuillNet 3.0": "method"},
    )
    assert "ZorbNet" in ents and "QuillNet 3.0" in ents, ents


def test_a_known_name_runs_to_the_end_of_its_hyphenated_variant(rules):
    ents, _ = entities(rules, "A title", "We evaluate on ARC-DA and on ImageNet.")
    assert "ARC-DA" in ents and "ARC" not in ents, ents


@pytest.mark.parametrize(
    ("text", "recognised", "names"),
    [
        # a list of variant letters after a name counts item by item, as the guidelines say
        ("We test on Zorb-C, R, S and A.", "Zorb-C", ["Zorb-C", "Zorb-R", "Zorb-S", "Zorb-A"]),
        ("We test on Zorb-C,R,S,A sets.", "Zorb-C", ["Zorb-C", "Zorb-R", "Zorb-S", "Zorb-A"]),
        ("We compare Zorb-J, T5 and BART.", "Zorb-J", ["Zorb-J"]),  # other names, not letters
        # a slash form is one name a number
        ("We test on Zorb-10/100 today.", "Zorb-10/100", ["Zorb-10", "Zorb-100"]),
        # a list of sizes is left as written: the annotations name its first item only
        ("We train Zorb-7B and 13B.", "Zorb-7B", ["Zorb-7B"]),
    ],
)
def test_a_short_written_list_of_variants_names_each_variant(text, recognised, names):
    from kgraph.extract.entities import group_entities

    doc = before_recogniser(Paper("p", "A title", text).text)
    start = doc.text.index(recognised)
    doc.ents = [doc.char_span(start, start + len(recognised), label="method")]
    doc.ents[0]._.kg_score = 0.9
    ents = group_entities(doc)
    got = [e.name for e in ents if e.name.startswith("Zorb")]
    assert got == names
    for e in ents:
        assert not set(e.aliases) & {"R", "S", "A", "100"}  # the letters are not names
        for m in e.mentions:
            assert doc.text[m.start : m.end] == m.text


def test_a_slash_form_of_known_names_is_found_without_the_recogniser(rules):
    ents, doc = entities(rules, "A title", "We evaluate on CIFAR-10/100 and SST-2/5 here.")
    assert {"CIFAR-10", "CIFAR-100", "SST-2", "SST-5"} <= set(ents)
    mention = ents["CIFAR-100"].mentions[0]
    assert doc.text[mention.start : mention.end] == "CIFAR-10/100"
