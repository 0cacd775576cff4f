"""The recogniser: BILUO tags decoded into entities, best valid tag path, training."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import spacy
from spacy.training import Example

from kgraph.extract.tagger import decode, sequence_loss, transitions, viterbi

LABELS = ("B-method", "I-method", "L-method", "O", "U-method", "U-task")


def test_decode_reads_whole_entities():
    tags = ["U-task", "B-method", "I-method", "L-method", "O", "U-method"]
    assert decode(tags) == [(0, 1, "task"), (1, 4, "method"), (5, 6, "method")]


def test_decode_is_lenient_with_broken_sequences():
    # a stray inside tag opens an entity; a change of type closes one
    assert decode(["O", "I-method", "L-method"]) == [(1, 3, "method")]
    assert decode(["B-method", "I-task", "O"]) == [(0, 1, "method"), (1, 2, "task")]
    assert decode(["B-method", "I-method"]) == [(0, 2, "method")]


def test_transitions_follow_biluo():
    allowed, start, end = transitions(LABELS)
    ix = {t: i for i, t in enumerate(LABELS)}
    assert allowed[ix["B-method"], ix["I-method"]] and allowed[ix["B-method"], ix["L-method"]]
    assert not allowed[ix["B-method"], ix["O"]]
    assert not allowed[ix["O"], ix["I-method"]]
    assert allowed[ix["L-method"], ix["U-task"]]
    assert start[ix["U-task"]] and not start[ix["L-method"]]
    assert end[ix["L-method"]] and not end[ix["B-method"]]


def _valid(path, allowed, start, end):
    return (
        start[path[0]] and end[path[-1]] and all(allowed[a, b] for a, b in itertools.pairwise(path))
    )


def _brute_force(logp, allowed, start, end):
    paths = itertools.product(range(logp.shape[1]), repeat=len(logp))
    ok = [p for p in paths if _valid(p, allowed, start, end)]
    return max(ok, key=lambda p: sum(logp[t, k] for t, k in enumerate(p)))


def test_viterbi_finds_the_best_valid_path():
    allowed, start, end = transitions(LABELS)
    rng = np.random.default_rng(7)
    for _ in range(20):
        docs = [rng.normal(size=(n, len(LABELS))).astype("float32") for n in (4, 1, 3, 0, 5)]
        paths = viterbi(docs, allowed, start, end)
        for scores, path in zip(docs, paths, strict=True):
            assert len(path) == len(scores)
            if len(scores):
                x = scores - scores.max(axis=1, keepdims=True)
                logp = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
                assert tuple(path) == _brute_force(logp, allowed, start, end)


def test_viterbi_repairs_an_entity_left_open():
    allowed, start, end = transitions(LABELS)
    ix = {t: i for i, t in enumerate(LABELS)}
    scores = np.full((2, len(LABELS)), -5.0, dtype="float32")
    scores[0, ix["B-method"]] = 3.0  # alone, B then O is invalid
    scores[1, ix["O"]] = 2.0
    scores[1, ix["L-method"]] = 1.5
    [path] = viterbi([scores], allowed, start, end)
    assert [LABELS[k] for k in path] == ["B-method", "L-method"]


def _valid(path, allowed, start, end) -> bool:
    return (
        start[path[0]] and end[path[-1]] and all(allowed[a, b] for a, b in itertools.pairwise(path))
    )


def test_sequence_loss_is_the_gold_paths_share_of_the_valid_paths_and_its_gradient():
    allowed, start, end = transitions(LABELS)
    rng = np.random.default_rng(3)
    k = len(LABELS)
    probs, permitted = [], []
    for n, gold in ((3, ["B-method", None, "L-method"]), (2, ["O", "U-task"]), (0, [])):
        x = rng.normal(size=(n, k))
        probs.append(np.exp(x) / np.exp(x).sum(axis=1, keepdims=True))
        permitted.append(np.array([[g is None or g == t for t in LABELS] for g in gold], bool))

    def brute(p, ok):
        every, fits = [], []
        for path in itertools.product(range(k), repeat=len(p)):
            if _valid(path, allowed, start, end):
                score = sum(np.log(p[t, y]) for t, y in enumerate(path))
                every.append(score)
                if all(ok[t, y] for t, y in enumerate(path)):
                    fits.append(score)
        return np.log(np.exp(every).sum()) - np.log(np.exp(fits).sum())

    loss, grads = sequence_loss(probs, permitted, allowed, start, end)
    assert loss == pytest.approx(
        sum(brute(p, ok) for p, ok in zip(probs[:2], permitted[:2], strict=True))
    )
    assert grads[2].shape == (0, k)
    for p, ok, grad in zip(probs[:2], permitted[:2], grads[:2], strict=True):
        # the gradient with respect to each log-probability, against finite differences
        for t, y in itertools.product(range(len(p)), range(k)):
            q = p.copy()
            q[t, y] *= np.exp(1e-5)
            assert (brute(q, ok) - brute(p, ok)) / 1e-5 == pytest.approx(grad[t, y], abs=1e-4)
        assert np.allclose(grad.sum(axis=1), 0, atol=1e-6)  # so it is the logits' gradient too


def test_a_tagger_trained_on_the_sequence_loss_learns_entities():
    import kgraph.extract  # noqa: F401  (registers kgraph_tagger)

    nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_tagger", config={"loss": "sequence"})
    random.seed(0)
    examples = []
    for name in ["Zorblax Net", "Quintor Net", "Velmora Net"]:
        text = f"We train {name} on images ."
        start = text.index(name)
        ents = [(start, start + len(name), "method")]
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": ents}))
    optimizer = nlp.initialize(lambda: examples)
    losses = []
    for _ in range(40):
        random.shuffle(examples)
        losses.append(nlp.update(examples, sgd=optimizer, drop=0.0)["kgraph_tagger"])
    assert losses[-1] < losses[0] / 10
    doc = nlp("We train Velmora Net on images .")
    assert [(e.text, e.label_) for e in doc.ents] == [("Velmora Net", "method")]


def test_an_unknown_loss_is_refused():
    import kgraph.extract  # noqa: F401

    with pytest.raises(ValueError, match="loss must be"):
        spacy.blank("en").add_pipe("kgraph_tagger", config={"loss": "crf"})


@pytest.fixture(scope="module")
def trained():
    """A tiny tagger pipeline trained on a handful of sentences of our own."""
    import kgraph.extract  # noqa: F401  (registers kgraph_tagger)

    nlp = spacy.blank("en")
    nlp.add_pipe("kgraph_tagger")
    names = ["Zorblax", "Quintor", "Velmora", "Draxil"]
    random.seed(0)
    examples = []
    for name in names:
        for text in (f"We train {name} on images .", f"Results of {name} are good ."):
            doc = nlp.make_doc(text)
            start = text.index(name)
            ents = [(start, start + len(name), "method")]
            examples.append(Example.from_dict(doc, {"entities": ents}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    return nlp


def test_tagger_learns_entities_and_writes_doc_ents(trained):
    doc = trained("We train Zorblax on images .")
    assert [(e.text, e.label_) for e in doc.ents] == [("Zorblax", "method")]
    tagger = trained.get_pipe("kgraph_tagger")
    assert set(tagger.labels) == {"O", "U-method"}


def test_tagger_scores_entities(trained):
    doc = trained.make_doc("Results of Velmora are good .")
    eg = Example.from_dict(doc, {"entities": [(11, 18, "method")]})
    scores = trained.evaluate([eg])
    assert scores["ents_f"] == 1.0


def test_chosen_probability_is_the_softmax_of_the_path_tag():
    from kgraph.extract.tagger import chosen_probability

    scores = np.log(np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]], dtype="float32"))
    got = chosen_probability(scores, np.array([0, 1]))
    assert np.allclose(got, [0.7, 0.25])


def test_each_entity_carries_the_probability_of_its_least_sure_tag(trained):
    tagger = trained.get_pipe("kgraph_tagger")
    docs = [trained.make_doc("We train Quintor on images ."), trained.make_doc("It is .")]
    [(path, prob), _] = tagger.predict(docs)
    tagger.set_annotations(docs, [(path, prob), _])
    [ent] = docs[0].ents
    assert ent.text == "Quintor"
    assert ent._.kg_score == pytest.approx(float(prob[ent.start : ent.end].min()))
    assert 0.5 < ent._.kg_score <= 1.0  # a name it was trained on
