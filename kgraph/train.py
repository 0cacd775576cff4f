"""Train: reproduce a shipped statistical model from data in the repository plus ../shared.

The config's ``[paths] corpus`` names the training data:

- ``seeds``: ``training/annotations.jsonl`` (paper ids and character offsets)
  over the texts in ``../shared/seeds``; a tenth of the papers, chosen by id, is
  the development split used to pick the best model.
- ``seeds+gold``: the same, plus the people-annotated dev papers of
  ``../shared/gold/dev.jsonl`` (names located in the text, as
  ``training/from_names.py`` does), each repeated ``[paths] gold_weight`` times.
  ``holdout`` ids are left out, for cross-validation (``benchmarks/dev_cv.py``).
- ``scierc``: the SciERC train and dev splits in ``../shared/data/scierc``, with
  SciERC's own labels (for the benchmark of ``benchmarks/scierc.py``).
- ``seeds+scierc-text`` (may join ``gold`` too): adds the SciERC train abstracts
  annotated by our guidelines, ``training/scierc_annotations.jsonl`` (document keys
  and character offsets into :func:`scierc_text`), each repeated
  ``[paths] scierc_text_weight`` times (default 1).

The best model is written to ``OUTPUT/model-best`` (spaCy's layout). Its ``meta.json``
records, under ``kgraph_training``, the seed and the processor, numeric libraries and
BLIS kernels the run used. Training multiplies its matrices with BLIS's Haswell kernels
wherever they can run (:class:`kgraph.extract.ops.HaswellBlisOps`), not with the kernels
BLIS would pick for the processor. With the same config, data, seed and library
versions, a run gives the same weights wherever NumPy also runs the same SIMD level and
OpenBLAS the same core (recorded too; neither can be switched inside a running process):
it gives back the shipped weights here. Elsewhere a run ends somewhere else
(``benchmarks/retrain.py`` measures how far).
"""

from __future__ import annotations

import json
import platform
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

from kgraph.errors import InputError, KgraphError
from kgraph.model import id_bucket

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = ROOT / "training" / "annotations.jsonl"
SCIERC_ANNOTATIONS = ROOT / "training" / "scierc_annotations.jsonl"


def training_host() -> dict[str, str | None]:
    """The processor, Python and numeric libraries of this machine: what a trained model's
    exact weights depend on besides its config, data and seed."""
    from importlib import metadata

    from kgraph.extract.ops import blis_kernels, cpu_fields

    cpu = platform.processor() or platform.machine()
    fields = cpu_fields()
    if "model name" in fields:
        cpu = fields["model name"]
        if "cpu family" in fields and "model" in fields:
            cpu += f" (family {fields['cpu family']}, model {fields['model']})"
    host: dict[str, str | None] = {"cpu": cpu, "python": platform.python_version()}
    for name in ("spacy", "thinc", "numpy", "blis"):
        try:
            host[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            host[name] = None
    host["blis_detected"] = blis_kernels()
    host["numpy_simd"] = numpy_simd()
    host["openblas_core"] = openblas_core()
    return host


def numpy_simd() -> str | None:
    """The SIMD levels NumPy dispatches to on this processor ("X86_V3 X86_V4 AVX512_ICL").

    Training's reductions and element-wise functions run NumPy's loops for the highest
    level the processor has, and levels sum in different orders: on the AMD EPYC here,
    NumPy held to X86_V3 (``NPY_DISABLE_CPU_FEATURES``) trained other weights.
    """
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:
        return None
    return " ".join(f for f in __cpu_dispatch__ if __cpu_features__.get(f))


def openblas_core() -> str | None:
    """The kernel set of NumPy's bundled OpenBLAS ("SkylakeX", "Haswell", ...), with which
    training's gradient clipping (thinc's ``clip_gradient``: ``numpy.linalg.norm``) takes
    its norms; another core gave other weights here (``OPENBLAS_CORETYPE=Haswell`` on the
    AMD EPYC, whose own is SkylakeX)."""
    import ctypes

    import numpy

    libs = Path(numpy.__file__).parent.parent / "numpy.libs"
    for path in sorted(libs.glob("*openblas*")):
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename"):
            if hasattr(lib, name):
                corename = getattr(lib, name)
                corename.restype = ctypes.c_char_p
                return corename().decode()
    return None


def default_shared() -> Path:
    """``../shared`` beside the repository."""
    return ROOT.parent / "shared"


def _is_dev(paper_id: str) -> bool:
    return id_bucket(paper_id, 10) == 0


def occurrences(text: str, form: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``form`` in ``text``."""
    pat = re.compile(r"(?<![\w])" + re.escape(form) + r"(?![\w])")
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def offsets_from_names(record: dict, text: str) -> dict:
    """A record written as names (the gold format) with the offsets of every mention:
    each form found as a whole word, case as written, longest form first."""
    taken: list[tuple[int, int]] = []
    forms = []
    for k, e in enumerate(record["entities"]):
        for form in dict.fromkeys([e["name"], *e.get("aliases", [])]):
            forms.append((len(form), k, form))
    ents = [
        {"type": e["type"], "role": e["role"], "named": bool(e.get("named")), "mentions": []}
        for e in record["entities"]
    ]
    for _, k, form in sorted(forms, key=lambda f: -f[0]):
        for s, t in occurrences(text, form):
            if any(s < b and a < t for a, b in taken):
                continue
            taken.append((s, t))
            ents[k]["mentions"].append([s, t])
    for e in ents:
        e["mentions"].sort()
    return {"id": record["id"], "title": record["title"], "entities": ents}


def _doc(nlp, text: str, rec: dict):
    from spacy.util import filter_spans

    doc = nlp.make_doc(text)
    spans = []
    for ent in rec["entities"]:
        for s, e in ent["mentions"]:
            span = doc.char_span(s, e, label=ent["type"], alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def seed_texts(seeds: Path) -> dict[str, str]:
    """The text of every seed paper, by id."""
    from kgraph.ingest import read_papers

    return {p.id: p.text for p in read_papers([seeds]).papers}


def gold_docs(
    nlp, gold: Path, texts: dict[str, str], seeds: Path, holdout: frozenset[str] = frozenset()
):
    """A Doc for every gold record of ``gold`` (names, as ``../shared/gold`` writes them)
    whose paper is in ``seeds`` and not in ``holdout``."""
    from kgraph.evaluate import load_records

    for n, rec in enumerate(load_records(gold), 1):
        if rec.get("id") in holdout:
            continue
        if rec.get("id") not in texts:
            raise InputError(str(gold), f"paper {rec.get('id')} is not in {seeds}", line=n)
        yield _doc(nlp, texts[rec["id"]], offsets_from_names(rec, texts[rec["id"]]))


_PTB = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "``": '"',
    "''": '"',
}
_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", ")", "]", "}", "?", "!", "'s", "n't", "%"})


def scierc_text(rec: dict) -> str:
    """The text of a SciERC document, its tokens joined as prose ("( LoRA )" -> "(LoRA)").

    >>> scierc_text({"sentences": [["We", "use", "-LRB-", "HMMs", "-RRB-", "."]]})
    'We use (HMMs).'
    """
    out: list[str] = []
    for w in (_PTB.get(w, w) for s in rec["sentences"] for w in s):
        if out and w not in _NO_SPACE_BEFORE and out[-1] not in "([{":
            out.append(" ")
        out.append(w)
    return "".join(out)


def scierc_texts(path: Path) -> dict[str, str]:
    """The text of every document of a SciERC split, by ``doc_key``."""
    if not path.exists():
        raise InputError(str(path), "SciERC split not found")
    recs = (json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip())
    return {r["doc_key"]: scierc_text(r) for r in recs}


def annotated_docs(
    nlp, annotations: Path, texts: dict[str, str], key: str, where: Path, noun: str = ""
) -> Iterator[tuple[str, object]]:
    """``(record[key], Doc)`` for every record of ``annotations``: character offsets into
    ``texts[record[key]]`` (the seed papers by ``id``, SciERC documents by ``doc_key``)."""
    for n, line in enumerate(annotations.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec[key] not in texts:
            raise InputError(str(annotations), f"{noun}{rec[key]} is not in {where}", line=n)
        yield rec[key], _doc(nlp, texts[rec[key]], rec)


def scierc_docs(nlp, path: Path) -> Iterator[object]:
    """SciERC documents as Docs with their (flat) entity spans."""
    from spacy.tokens import Doc, Span
    from spacy.util import filter_spans

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        words = [_PTB.get(w, w) for s in rec["sentences"] for w in s]
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


def make_corpus(
    config_path: Path, work: Path, shared: Path, holdout: frozenset[str] = frozenset()
) -> tuple[Path, Path]:
    """Write ``train.spacy`` and ``dev.spacy`` for the config's corpus; return their paths."""
    import spacy
    from spacy.tokens import DocBin

    cfg = spacy.util.load_config(config_path)
    corpus = cfg["paths"].get("corpus", "seeds")
    import kgraph.extract  # noqa: F401  (registers the tokenizer a config may name)

    # gold docs are tokenized as the model will tokenize, so entity offsets align
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": cfg["nlp"]["tokenizer"]}})
    train_bin, dev_bin = DocBin(), DocBin()

    def weight(name: str) -> int:
        return int(cfg["paths"].get(name, 1))

    sources = corpus.split("+")
    if sources != ["scierc"] and (
        sources[0] != "seeds" or not set(sources[1:]) <= {"gold", "scierc-text"}
    ):
        raise KgraphError(
            f"{config_path}: unknown corpus {corpus!r}; known: scierc, or seeds joined "
            "with gold and scierc-text by '+'"
        )
    if "seeds" in sources:
        seeds = shared / "seeds"
        if not seeds.is_dir():
            raise InputError(
                str(seeds), "seed corpus not found (the annotations hold offsets into it)"
            )
        texts = seed_texts(seeds)
        for paper_id, doc in annotated_docs(nlp, ANNOTATIONS, texts, "id", seeds, "paper "):
            (dev_bin if _is_dev(paper_id) else train_bin).add(doc)
    if "gold" in sources:
        gold = shared / "gold" / "dev.jsonl"
        if not gold.exists():
            raise InputError(str(gold), "gold annotations not found")
        for doc in gold_docs(nlp, gold, texts, seeds, holdout):
            for _ in range(weight("gold_weight")):
                train_bin.add(doc)
    if "scierc-text" in sources:
        path = shared / "data" / "scierc" / "train.json"
        scierc = scierc_texts(path)
        for _, doc in annotated_docs(nlp, SCIERC_ANNOTATIONS, scierc, "doc_key", path):
            for _ in range(weight("scierc_text_weight")):
                train_bin.add(doc)
    if sources == ["scierc"]:
        base = shared / "data" / "scierc"
        for split, dbin in (("train", train_bin), ("dev", dev_bin)):
            path = base / f"{split}.json"
            if not path.exists():
                raise InputError(str(path), "SciERC split not found")
            for doc in scierc_docs(nlp, path):
                dbin.add(doc)
    work.mkdir(parents=True, exist_ok=True)
    train_bin.to_disk(work / "train.spacy")
    dev_bin.to_disk(work / "dev.spacy")
    return work / "train.spacy", work / "dev.spacy"


def check_config(config: Path) -> None:
    """Build the config's pipeline once, untrained, so that a setting it cannot be built
    with fails in one line naming the config, before a corpus is made or training starts."""
    import spacy
    from confection import ConfigValidationError

    import kgraph.extract  # noqa: F401  (registers the components a config may name)

    try:
        spacy.util.load_model_from_config(spacy.util.load_config(config), auto_fill=True)
    except ConfigValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors or [])
        raise InputError(str(config), f"{exc.title}: {where}" if where else exc.title) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(str(config), str(exc).strip().splitlines()[0]) from None


def train(
    config: str | Path,
    output: str | Path,
    shared: str | Path | None = None,
    seed: int = 0,
    holdout: frozenset[str] = frozenset(),
) -> str:
    """Train the model of ``config`` into ``output``; return a one-line summary.
    ``holdout``: gold paper ids to leave out of training."""
    from spacy.cli.train import train as spacy_train

    import kgraph.extract  # noqa: F401  (registers the components a config may name)
    from kgraph.extract.ops import HaswellBlisOps, blis_kernels, haswell_context, using_ops

    config = Path(config)
    if not config.exists():
        raise InputError(str(config), "no such config file")
    check_config(config)
    shared = Path(shared) if shared else default_shared()
    output = Path(output)
    pinned = haswell_context() is not None
    kernels = "haswell" if pinned else (blis_kernels() or "unknown")
    with tempfile.TemporaryDirectory() as tmp:
        train_path, dev_path = make_corpus(config, Path(tmp), shared, holdout)
        if not pinned:
            print(
                f"Warning: {config}: BLIS's Haswell kernels cannot be used here (they need "
                f"x86-64 Linux with AVX2 and FMA); training with BLIS's {kernels} kernels, "
                "whose weights may differ from the shipped model's",
                file=sys.stderr,
            )
        with using_ops(HaswellBlisOps()) if pinned else nullcontext():
            spacy_train(
                config,
                output,
                overrides={
                    "paths.train": str(train_path),
                    "paths.dev": str(dev_path),
                    "system.seed": seed,
                },
            )
    import spacy

    from kgraph import __version__

    record = {"seed": seed, **training_host(), "blis_kernels": kernels}
    for folder in ("model-best", "model-last"):
        # the corpus files were temporary: a saved config should not point at them
        cfg = spacy.util.load_config(output / folder / "config.cfg")
        cfg["paths"]["train"] = cfg["paths"]["dev"] = None
        cfg.to_disk(output / folder / "config.cfg")
        path = output / folder / "meta.json"
        meta = json.loads(path.read_text())
        meta.update(
            name=f"kgraph_{config.stem}",
            version=__version__,
            kgraph_training=record,
        )
        path.write_text(json.dumps(meta, indent=2) + "\n")
    meta = json.loads((output / "model-best" / "meta.json").read_text())
    f = meta.get("performance", {}).get("ents_f", 0.0)
    return f"trained {config.name}: best dev entity F1 {100 * f:.1f} -> {output / 'model-best'}"
