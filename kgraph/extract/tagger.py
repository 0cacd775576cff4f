"""The recogniser: a token tagger over BILUO entity tags, decoded into ``doc.ents``.

spaCy's transition-based NER spends most of its time checking which moves are
valid at each token (``TransitionSystem.set_valid``), not in its network. A
softmax over the shared tok2vec features gives every token a BILUO tag
("B-method", "I-method", "L-method", "U-dataset", "O") at the cost of one small
matrix product, and a lenient decoder turns the tags into spans. It trains from
the same gold ``doc.ents`` as spaCy's NER does. At prediction the tag sequence
is the best valid one under the model's scores (Viterbi over the BILUO
transitions, all docs of a batch at once), so an entity cannot be left open or
change type midway. Training minimises each token's cross-entropy (``loss = "token"``,
the shipped extractor's) or the gold path's negative log-probability among the valid
paths (``loss = "sequence"``, :func:`sequence_loss`; the SciERC benchmark's).

Examples
--------
>>> decode(["O", "B-method", "L-method", "U-task", "I-metric", "O"])
[(1, 3, 'method'), (3, 4, 'task'), (4, 5, 'metric')]
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice

import numpy as np
from spacy.language import Language
from spacy.pipeline.tagger import DEFAULT_TAGGER_MODEL, Tagger
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, Span
from spacy.training import validate_examples
from thinc.api import Model, SequenceCategoricalCrossentropy


def decode(tags: list[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` spans of a BILUO tag sequence, read leniently: a stray
    inside or last tag opens an entity, and an entity ends at L, U, O, or a change of type."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate(tags):
        move, _, lab = tag.partition("-")
        if start >= 0 and (move in ("B", "U", "O") or lab != label):
            spans.append((start, i, label))
            start = -1
        if move == "O":
            continue
        if start < 0:
            start, label = i, lab
        if move in ("L", "U"):
            spans.append((start, i + 1, label))
            start = -1
    if start >= 0:
        spans.append((start, len(tags), label))
    return spans


# The log-score of a barred transition, start or end: far below any real path's.
NEVER = -1e9


@lru_cache(maxsize=16)
def transitions(labels: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which BILUO tag may follow which (``allowed[prev, cur]``), and which may start and end
    a doc. Computed once per label set (every batch asks); the arrays are read-only."""
    moves = [(t.partition("-")[0], t.partition("-")[2]) for t in labels]
    inside = np.array([m in ("B", "I") for m, _ in moves])
    opens = np.array([m in ("O", "B", "U") for m, _ in moves])
    allowed = np.zeros((len(labels), len(labels)), dtype=bool)
    for i, (m, lab) in enumerate(moves):
        if m in ("B", "I"):
            allowed[i] = [c in ("I", "L") and lb == lab for c, lb in moves]
        else:
            allowed[i] = opens
    out = (allowed, opens, ~inside)
    for a in out:
        a.setflags(write=False)
    return out


def viterbi(
    scores: list[np.ndarray], allowed: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[np.ndarray]:
    """The best tag sequence of each doc's ``(tokens, tags)`` score matrix under the allowed
    transitions. The docs advance together, longest first, one token position at a time,
    each step one max over every (previous tag, tag) pair, barred pairs scoring :data:`NEVER`."""
    k = allowed.shape[0]
    order = sorted(range(len(scores)), key=lambda b: -len(scores[b]))
    lengths = [len(scores[b]) for b in order]
    out: list[np.ndarray] = [np.zeros(len(s), dtype=int) for s in scores]
    if not lengths or not lengths[0]:
        return out
    size, n = lengths[0], len(order)
    logp = np.zeros((n, size, k), dtype="float32")
    for row, b in enumerate(order):
        x = scores[b] - scores[b].max(axis=1, keepdims=True)
        logp[row, : len(x)] = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    never = np.float32(NEVER)
    barred = np.where(allowed, 0, never).astype("float32")  # [prev, cur]
    best = logp[:, 0] + np.where(start, 0, never).astype("float32")
    back = np.zeros((n, size, k), dtype=np.int32)
    live = n
    for t in range(1, size):
        while lengths[live - 1] <= t:
            live -= 1
        cand = best[:live, :, None] + barred  # [doc, prev, cur]
        j = cand.argmax(axis=1)
        back[:live, t] = j
        best[:live] = np.take_along_axis(cand, j[:, None, :], axis=1)[:, 0] + logp[:live, t]
    last = (best + np.where(end, 0, never)).argmax(axis=1)
    paths = np.zeros((n, size), dtype=np.int32)
    tags = np.zeros(n, dtype=np.int32)
    live = 0
    for t in range(size - 1, -1, -1):
        begin = live
        while live < n and lengths[live] > t:
            live += 1
        tags[begin:live] = last[begin:live]  # docs whose last token is t start here
        paths[:live, t] = tags[:live]
        tags[:live] = back[np.arange(live), t, tags[:live]]
    for row, b in enumerate(order):
        out[b] = paths[row, : lengths[row]]
    return out


def _log_sum_exp(x: np.ndarray, axis: int) -> np.ndarray:
    top = x.max(axis=axis, keepdims=True)
    return (top + np.log(np.exp(x - top).sum(axis=axis, keepdims=True))).squeeze(axis)


def sequence_loss(
    probs: list[np.ndarray],
    permitted: list[np.ndarray],
    allowed: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> tuple[float, list[np.ndarray]]:
    """The negative log-probability of the gold tag paths among the valid paths, and its
    gradient with respect to each token's tag scores.

    A doc's valid tag paths (those :func:`viterbi` chooses among) are scored by the sum of
    their tags' log-probabilities, ``probs`` being each doc's ``(tokens, tags)`` softmax
    output; ``permitted`` marks, per token, the tags the gold allows (every tag where the
    gold says nothing). The gradient is each token's tag marginal over all valid paths less
    its marginal over the gold ones (forward-backward over every doc of a batch at once,
    padded to the longest); it sums to zero over a token's tags, so it is the gradient with
    respect to the softmax's inputs too."""
    k = allowed.shape[0]
    grads = [np.zeros((len(p), k), dtype="float32") for p in probs]
    used = [b for b, p in enumerate(probs) if len(p)]
    if not used:
        return 0.0, grads
    probs = [probs[b] for b in used]
    permitted = [permitted[b] for b in used]
    n = len(probs)
    size = max(len(p) for p in probs)
    # rows 0..n-1: every valid path; rows n..2n-1: the valid paths the gold permits
    pot = np.full((2 * n, size, k), NEVER)
    length = np.zeros(2 * n, dtype=int)
    for b, (p, ok) in enumerate(zip(probs, permitted, strict=True)):
        logp = np.log(np.maximum(np.asarray(p, dtype="float64"), 1e-12))
        pot[b, : len(p)] = logp
        pot[n + b, : len(p)] = np.where(ok, logp, NEVER)
        length[b] = length[n + b] = len(p)
    trans = np.where(allowed, 0.0, NEVER)  # [prev, cur]
    first = np.where(start, 0.0, NEVER)
    last = np.where(end, 0.0, NEVER)
    alpha = np.full((2 * n, size, k), NEVER)
    alpha[:, 0] = pot[:, 0] + first
    for t in range(1, size):
        alpha[:, t] = _log_sum_exp(alpha[:, t - 1, :, None] + trans, axis=1) + pot[:, t]
    beta = np.full((2 * n, size, k), NEVER)
    rows = np.arange(2 * n)
    beta[rows, length - 1] = last
    for t in range(size - 2, -1, -1):
        inner = t < length - 1
        step = _log_sum_exp(trans + (pot[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
        beta[inner, t] = step[inner]
    log_z = _log_sum_exp(alpha[rows, length - 1] + last, axis=1)
    marg = np.exp(alpha + beta - log_z[:, None, None])
    loss = 0.0
    for row, b in enumerate(used):
        if log_z[n + row] < NEVER / 2:
            continue  # no valid path fits the gold (it cannot happen with BILUO gold): no signal
        loss += float(log_z[row] - log_z[n + row])
        grads[b] = (marg[row, : length[row]] - marg[n + row, : length[row]]).astype("float32")
    return loss, grads


def chosen_probability(scores: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Each token's softmax probability of the tag the path gives it."""
    x = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(x)
    p /= p.sum(axis=1, keepdims=True)
    return p[np.arange(len(path)), path]


if not Span.has_extension("kg_score"):
    Span.set_extension("kg_score", default=None)


def _gold_tags(example) -> list[str | None]:
    return [t if t not in (None, "", "-") else None for t in example.get_aligned_ner()]


def _permitted(gold: list[str | None], labels: tuple[str, ...]) -> np.ndarray:
    """``(tokens, tags)``: the tags the gold allows at each token, every tag where it has none."""
    index = {t: k for k, t in enumerate(labels)}
    out = np.ones((len(gold), len(labels)), dtype=bool)
    for i, g in enumerate(gold):
        if g is not None:
            out[i] = False
            if g in index:
                out[i, index[g]] = True
    return out


def score_entities(examples, **kwargs) -> dict:
    """Entity P/R/F1 (``ents_f`` and friends), so that training picks the best model by them."""
    return get_ner_prf(examples)


class EntityTagger(Tagger):
    """spaCy's Tagger, trained on BILUO tags of the gold entities; it writes ``doc.ents``."""

    def predict(self, docs):
        scores = [self.model.ops.to_numpy(s) for s in self.model.predict(docs)]
        allowed, start, end = transitions(self.labels)
        paths = viterbi(scores, allowed, start, end)
        return [(path, chosen_probability(s, path)) for s, path in zip(scores, paths, strict=True)]

    def set_annotations(self, docs, batch_tag_ids) -> None:
        if isinstance(docs, Doc):
            docs = [docs]
        labels = self.labels
        for doc, (tag_ids, prob) in zip(docs, batch_tag_ids, strict=True):
            tags = [labels[k] for k in tag_ids.tolist()]
            spans = [Span(doc, s, e, label=lab) for s, e, lab in decode(tags)]
            doc.set_ents(spans)
            for span in spans:
                span._.kg_score = float(prob[span.start : span.end].min())

    def get_loss(self, examples, scores):
        validate_examples(examples, "EntityTagger.get_loss")
        if self.cfg.get("loss", "token") == "sequence":
            labels = self.labels
            permitted = [_permitted(_gold_tags(eg), labels) for eg in examples]
            probs = [self.model.ops.to_numpy(s) for s in scores]
            loss, grads = sequence_loss(probs, permitted, *transitions(labels))
            return loss, [self.model.ops.asarray(g) for g in grads]
        loss_func = SequenceCategoricalCrossentropy(
            names=self.labels, normalize=False, label_smoothing=self.cfg["label_smoothing"]
        )
        d_scores, loss = loss_func(scores, [_gold_tags(eg) for eg in examples])
        return float(loss), d_scores

    def initialize(self, get_examples, *, nlp=None, labels=None) -> None:
        if labels is None:
            labels = sorted({t for eg in get_examples() for t in _gold_tags(eg) if t})
        for tag in labels:
            self.add_label(tag)
        docs, truths = [], []
        for eg in islice(get_examples(), 10):
            docs.append(eg.x)
            gold = _gold_tags(eg)
            truths.append(
                self.model.ops.asarray(
                    [[float(t == g) for t in self.labels] for g in gold], dtype="float32"
                )
            )
        self._require_labels()
        self.model.initialize(X=docs, Y=truths)


@Language.factory(
    "kgraph_tagger",
    assigns=["doc.ents"],
    default_config={"model": DEFAULT_TAGGER_MODEL, "label_smoothing": 0.0, "loss": "token"},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0},
)
def make_entity_tagger(
    nlp: Language, name: str, model: Model, label_smoothing: float, loss: str
) -> EntityTagger:
    """The spaCy component ``kgraph_tagger``: entities from per-token BILUO tags.

    ``loss`` is what training minimises: ``"token"``, each token's cross-entropy (with
    ``label_smoothing``), or ``"sequence"``, the gold path's negative log-probability among
    the valid paths (:func:`sequence_loss`), which is how the tags are decoded."""
    if loss not in ("token", "sequence"):
        raise ValueError(f"kgraph_tagger: loss must be 'token' or 'sequence', not {loss!r}")
    tagger = EntityTagger(
        nlp.vocab, model, name, scorer=score_entities, label_smoothing=label_smoothing
    )
    tagger.cfg["loss"] = loss
    return tagger
