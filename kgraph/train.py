"""Train: reproduce a shipped statistical model from data in the repository plus ../shared.

The config's ``[paths] corpus`` names the training data:

- ``seeds``: ``training/annotations.jsonl`` (paper ids and character offsets)
  over the texts in ``../shared/seeds``; a tenth of the papers, chosen by id, is
  the development split used to pick the best model.
- ``scierc``: the SciERC train and dev splits in ``../shared/data/scierc``.

The best model is written to ``OUTPUT/model-best`` (spaCy's layout).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kgraph.errors import InputError, KgraphError
from kgraph.model import id_bucket

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = ROOT / "training" / "annotations.jsonl"


def default_shared() -> Path:
    """``../shared`` beside the repository."""
    return ROOT.parent / "shared"


def _is_dev(paper_id: str) -> bool:
    return id_bucket(paper_id, 10) == 0


def seed_docs(nlp, annotations: Path, seeds: Path) -> Iterator[tuple[bool, object]]:
    """``(is_dev, Doc)`` for every annotated seed paper, entities set from the offsets."""
    from spacy.util import filter_spans

    from kgraph.ingest import read_papers

    texts = {p.id: p.text for p in read_papers([seeds]).papers}
    for n, line in enumerate(annotations.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec["id"] not in texts:
            raise InputError(str(annotations), f"paper {rec['id']} is not in {seeds}", line=n)
        doc = nlp.make_doc(texts[rec["id"]])
        spans = []
        for ent in rec["entities"]:
            for s, e in ent["mentions"]:
                span = doc.char_span(s, e, label=ent["type"], alignment_mode="contract")
                if span is not None and len(span):
                    spans.append(span)
        doc.ents = filter_spans(spans)
        yield _is_dev(rec["id"]), doc


def scierc_docs(nlp, path: Path) -> Iterator[object]:
    """SciERC documents as Docs with their (flat) entity spans."""
    from spacy.tokens import Doc, Span
    from spacy.util import filter_spans

    unescape = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        words = [unescape.get(w, w) for s in rec["sentences"] for w in s]
        starts = []
        k = 0
        for s in rec["sentences"]:
            starts.append(k)
            k += len(s)
        sent_starts = [i in set(starts) for i in range(len(words))]
        doc = Doc(nlp.vocab, words=words, sent_starts=sent_starts)
        spans = [Span(doc, s, e + 1, label=t) for sent in rec["ner"] for s, e, t in sent]
        doc.ents = filter_spans(spans)
        yield doc


def make_corpus(config_path: Path, work: Path, shared: Path) -> tuple[Path, Path]:
    """Write ``train.spacy`` and ``dev.spacy`` for the config's corpus; return their paths."""
    import spacy
    from spacy.tokens import DocBin

    cfg = spacy.util.load_config(config_path)
    corpus = cfg["paths"].get("corpus", "seeds")
    nlp = spacy.blank("en")
    train_bin, dev_bin = DocBin(), DocBin()
    if corpus == "seeds":
        seeds = shared / "seeds"
        if not seeds.is_dir():
            raise InputError(
                str(seeds), "seed corpus not found (the annotations hold offsets into it)"
            )
        for is_dev, doc in seed_docs(nlp, ANNOTATIONS, seeds):
            (dev_bin if is_dev else train_bin).add(doc)
    elif corpus == "scierc":
        base = shared / "data" / "scierc"
        for split, dbin in (("train", train_bin), ("dev", dev_bin)):
            path = base / f"{split}.json"
            if not path.exists():
                raise InputError(str(path), "SciERC split not found")
            for doc in scierc_docs(nlp, path):
                dbin.add(doc)
    else:
        raise KgraphError(f"{config_path}: unknown corpus {corpus!r}; known: scierc, seeds")
    work.mkdir(parents=True, exist_ok=True)
    train_bin.to_disk(work / "train.spacy")
    dev_bin.to_disk(work / "dev.spacy")
    return work / "train.spacy", work / "dev.spacy"


def train(
    config: str | Path, output: str | Path, shared: str | Path | None = None, seed: int = 0
) -> str:
    """Train the model of ``config`` into ``output``; return a one-line summary."""
    from spacy.cli.train import train as spacy_train

    config = Path(config)
    if not config.exists():
        raise InputError(str(config), "no such config file")
    shared = Path(shared) if shared else default_shared()
    output = Path(output)
    with tempfile.TemporaryDirectory() as tmp:
        train_path, dev_path = make_corpus(config, Path(tmp), shared)
        spacy_train(
            config,
            output,
            overrides={
                "paths.train": str(train_path),
                "paths.dev": str(dev_path),
                "system.seed": seed,
            },
        )
    from kgraph import __version__

    for folder in ("model-best", "model-last"):
        path = output / folder / "meta.json"
        meta = json.loads(path.read_text())
        meta.update(name=f"kgraph_{config.stem}", version=__version__)
        path.write_text(json.dumps(meta, indent=2) + "\n")
    meta = json.loads((output / "model-best" / "meta.json").read_text())
    f = meta.get("performance", {}).get("ents_f", 0.0)
    return f"trained {config.name}: best dev entity F1 {100 * f:.1f} -> {output / 'model-best'}"
