"""Train: the shipped model is what configs/extractor.cfg makes, and training runs."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
import spacy
from conftest import ROOT, SEEDS, needs_shared
from thinc.api import NumpyOps

from kgraph.extract.ops import HaswellBlisOps, blis_kernels, haswell_context
from kgraph.extract.pipeline import load_pipeline, shipped_model
from kgraph.train import (
    ANNOTATIONS,
    make_corpus,
    numpy_simd,
    openblas_core,
    train,
    training_host,
)

CONFIG = ROOT / "configs" / "extractor.cfg"


def test_model_ships_inside_the_package_and_is_small():
    path = shipped_model()
    assert path is not None and path.is_relative_to(ROOT / "kgraph")
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    assert size < 30 * 2**20


def _layers(node, path=""):
    """Every factory and architecture of a config's components, by where it sits."""
    out = {}
    for key, value in node.items():
        if isinstance(value, dict):
            out.update(_layers(value, f"{path}.{key}"))
        elif key in ("factory", "@architectures"):
            out[f"{path}.{key}"] = value
    return out


def test_scierc_benchmark_trains_the_extractors_architecture():
    # SciERC is the public check of our recogniser: its config may change sizes and
    # training settings, not the layers or the pipeline
    scierc = spacy.util.load_config(ROOT / "configs" / "scierc.cfg")
    ours = spacy.util.load_config(CONFIG)
    assert _layers(scierc["components"]) == _layers(ours["components"])
    assert scierc["nlp"]["pipeline"] == ours["nlp"]["pipeline"]
    assert scierc["nlp"]["tokenizer"] == ours["nlp"]["tokenizer"]


def test_shipped_model_was_trained_with_the_repository_config():
    shipped = spacy.util.load_config(shipped_model() / "config.cfg")
    ours = spacy.util.load_config(CONFIG)

    def dump(x):
        return json.dumps(x, sort_keys=True, default=str)

    assert dump(shipped["components"]) == dump(ours["components"])
    assert shipped["nlp"]["pipeline"] == ours["nlp"]["pipeline"]
    labels = load_pipeline().get_pipe("ner").labels
    assert {t.partition("-")[2] for t in labels} - {""} == {
        "benchmark",
        "dataset",
        "method",
        "metric",
        "task",
    }
    assert {t.partition("-")[0] for t in labels} == set("BILUO")


def test_default_pipeline_uses_the_shipped_model():
    assert "ner" in load_pipeline().pipe_names


def test_annotations_hold_offsets_not_text():
    for line in ANNOTATIONS.read_text().splitlines()[:50]:
        rec = json.loads(line)
        assert set(rec) == {"id", "title", "entities"}
        for e in rec["entities"]:
            assert set(e) == {"type", "role", "named", "mentions"}
            assert all(
                isinstance(s, int) and isinstance(t, int) and s < t for s, t in e["mentions"]
            )


@needs_shared(SEEDS)
def test_corpus_splits_by_id_and_aligns_offsets(tmp_path):
    from spacy.tokens import DocBin

    cfg = spacy.util.load_config(CONFIG)
    cfg["paths"]["corpus"] = "seeds"
    cfg.to_disk(tmp_path / "seeds.cfg")
    train_path, dev_path = make_corpus(tmp_path / "seeds.cfg", tmp_path, SEEDS.parent)
    nlp = spacy.blank("en")
    train_docs = list(DocBin().from_disk(train_path).get_docs(nlp.vocab))
    dev_docs = list(DocBin().from_disk(dev_path).get_docs(nlp.vocab))
    assert 250 < len(train_docs) < 310 and 15 < len(dev_docs) < 60
    assert sum(len(d.ents) for d in train_docs) > 3000


@pytest.mark.slow
@needs_shared(SEEDS)
@needs_shared(SEEDS.parent / "data" / "scierc" / "train.json")
def test_short_training_run_writes_a_loadable_model(tmp_path, monkeypatch):
    cfg = spacy.util.load_config(CONFIG)
    cfg["training"]["max_steps"] = 20
    cfg["training"]["eval_frequency"] = 10
    short = tmp_path / "short.cfg"
    cfg.to_disk(short)
    products = []
    gemm = HaswellBlisOps.gemm

    def counted(self, *args, **kwargs):
        products.append(1)
        return gemm(self, *args, **kwargs)

    monkeypatch.setattr(HaswellBlisOps, "gemm", counted)
    summary = train(short, tmp_path / "model", shared=SEEDS.parent)
    # the network's matrices were multiplied by the pinned kernels wherever they can run
    assert bool(products) == (haswell_context() is not None)
    assert summary.startswith("trained short.cfg: best dev entity F1")
    nlp = load_pipeline(tmp_path / "model" / "model-best")
    assert "ner" in nlp.pipe_names
    # what the exact weights depend on besides config, data and seed is recorded
    trained = nlp.meta["kgraph_training"]
    assert trained["seed"] == 0
    assert trained["spacy"] == spacy.__version__ and trained["cpu"]
    # and which kernels multiplied the matrices, beside the ones BLIS would have picked
    assert trained["blis_kernels"] == ("haswell" if products else blis_kernels())
    assert trained["blis_detected"] == blis_kernels()
    assert trained["numpy_simd"] == numpy_simd() and trained["openblas_core"] == openblas_core()


@pytest.mark.slow
@needs_shared(SEEDS)
@needs_shared(SEEDS.parent / "data" / "scierc" / "train.json")
def test_without_haswell_kernels_training_says_so_and_uses_blis_own(tmp_path, monkeypatch, capsys):
    import kgraph.extract.ops

    monkeypatch.setattr(kgraph.extract.ops, "haswell_context", lambda: None)
    cfg = spacy.util.load_config(CONFIG)
    cfg["training"]["max_steps"] = 10
    cfg["training"]["eval_frequency"] = 10
    short = tmp_path / "short.cfg"
    cfg.to_disk(short)
    train(short, tmp_path / "model", shared=SEEDS.parent)
    warning = [line for line in capsys.readouterr().err.splitlines() if "Warning" in line]
    assert len(warning) == 1 and "short.cfg" in warning[0] and "AVX2" in warning[0]
    meta = json.loads((tmp_path / "model" / "model-best" / "meta.json").read_text())
    assert meta["kgraph_training"]["blis_kernels"] == (blis_kernels() or "unknown")


@pytest.mark.slow
@needs_shared(SEEDS)
@needs_shared(SEEDS.parent / "data" / "scierc" / "train.json")
def test_kgraph_train_gives_back_the_shipped_weights_byte_for_byte(tmp_path):
    # the promise: `kgraph train CONFIG` reproduces the model that ships
    shipped = shipped_model()
    made_with = json.loads((shipped / "meta.json").read_text())["kgraph_training"]
    here = {**training_host(), "blis_kernels": "haswell" if haswell_context() else blis_kernels()}
    depends_on = ("spacy", "thinc", "numpy", "blis", "blis_kernels", "numpy_simd", "openblas_core")
    differs = [k for k in depends_on if made_with[k] != here[k]]
    if differs:
        pytest.skip("the shipped model was trained with other " + ", ".join(
            f"{k} ({made_with[k]}, here {here[k]})" for k in differs))  # fmt: skip
    train(CONFIG, tmp_path / "model", shared=SEEDS.parent, seed=made_with["seed"])
    for weights in ("tok2vec/model", "ner/model"):
        retrained = (tmp_path / "model" / "model-best" / weights).read_bytes()
        assert retrained == (shipped / weights).read_bytes(), weights


needs_haswell = pytest.mark.skipif(
    haswell_context() is None, reason="BLIS's Haswell kernels cannot be used on this machine"
)


@needs_haswell
@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
@pytest.mark.parametrize("m,k,n", [(37, 53, 29), (300, 513, 257)])  # the second is packed
def test_haswell_ops_multiply_with_haswell_kernels(m, k, n, trans1, trans2):
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((k, m) if trans1 else (m, k)).astype("f")
    y = rng.standard_normal((n, k) if trans2 else (k, n)).astype("f")
    got = HaswellBlisOps().gemm(x, y, trans1=trans1, trans2=trans2)
    exact = (x.T if trans1 else x).astype("d") @ (y.T if trans2 else y).astype("d")
    assert got.dtype == numpy.float32 and numpy.allclose(got, exact, atol=1e-4)
    thincs = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    if blis_kernels() in ("haswell", "zen", "zen2"):  # kernels that multiply alike
        assert numpy.array_equal(got, thincs)
    elif k > 100:
        # BLIS's own kernels here sum in another order: had the Haswell context not
        # reached BLIS, the products would be thinc's to the bit
        assert not numpy.array_equal(got, thincs)


@needs_haswell
def test_haswell_ops_write_into_out_and_refuse_a_wrong_one():
    ops = HaswellBlisOps()
    x, y = numpy.ones((2, 3), "f"), numpy.ones((3, 4), "f")
    out = numpy.full((2, 4), numpy.nan, "f")
    assert ops.gemm(x, y, out=out) is out and (out == 3).all()
    with pytest.raises(ValueError, match="Shape mismatch"):
        ops.gemm(x, x)
    for bad in (numpy.ones((4, 2), "f"), numpy.ones((2, 4), "d"), numpy.ones((4, 2), "f").T):
        with pytest.raises(ValueError, match="writeable C-contiguous float32"):
            ops.gemm(x, y, out=bad)
    frozen = numpy.ones((2, 4), "f")
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        ops.gemm(x, y, out=frozen)


@pytest.mark.parametrize(
    "env,reads,expected",
    [
        ({"OPENBLAS_CORETYPE": "Haswell"}, "openblas_core()", "Haswell"),
        ({"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"}, "numpy_simd()", ""),
    ],
)
def test_training_host_reads_the_kernels_numpy_runs_not_the_ones_it_could(env, reads, expected):
    # what these report must follow what NumPy and its OpenBLAS were told to run
    if platform.machine().lower() not in ("x86_64", "amd64") or openblas_core() is None:
        pytest.skip("needs x86-64 NumPy with its bundled OpenBLAS")
    code = f"from kgraph.train import numpy_simd, openblas_core; print(repr({reads}))"
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == repr(expected)


def test_blis_kernels_names_a_kernel_set_blis_has():
    from blis import cy

    kernels = blis_kernels()
    assert kernels and f"bli_cntx_init_{kernels}".encode() in Path(cy.__file__).read_bytes()


def test_offsets_from_names_finds_whole_words_longest_first():
    from kgraph.train import offsets_from_names

    text = "Tiny-BERT beats BERT.\nWe distil BERT into Tiny-BERT on GLUE; GLUEY is not GLUE."
    rec = {
        "id": "x",
        "title": "Tiny-BERT beats BERT.",
        "entities": [
            {"name": "BERT", "aliases": [], "type": "method", "role": "used", "named": True},
            {"name": "Tiny-BERT", "aliases": [], "type": "method", "role": "proposed"},
            {"name": "GLUE", "aliases": [], "type": "benchmark", "role": "used", "named": True},
        ],
    }
    bert, tiny, glue = offsets_from_names(rec, text)["entities"]
    assert [text[s:e] for s, e in tiny["mentions"]] == ["Tiny-BERT", "Tiny-BERT"]
    assert len(bert["mentions"]) == 2  # not inside "Tiny-BERT"
    assert len(glue["mentions"]) == 2  # not inside "GLUEY"
    assert tiny["named"] is False and tiny["role"] == "proposed"


@needs_shared(SEEDS.parent / "gold" / "dev.jsonl")
def test_gold_corpus_adds_weighted_dev_papers_and_leaves_out_the_holdout(tmp_path):
    from spacy.tokens import DocBin

    gold = [json.loads(x) for x in (SEEDS.parent / "gold" / "dev.jsonl").read_text().splitlines()]
    cfg = spacy.util.load_config(CONFIG)
    cfg["paths"]["corpus"] = "seeds+scierc-text+gold"
    cfg["paths"]["gold_weight"] = 2
    path = tmp_path / "gold.cfg"
    cfg.to_disk(path)
    nlp = spacy.blank("en")

    def count(holdout):
        train_path, _ = make_corpus(path, tmp_path / str(len(holdout)), SEEDS.parent, holdout)
        return len(list(DocBin().from_disk(train_path).get_docs(nlp.vocab)))

    plain, _ = make_corpus(CONFIG, tmp_path / "plain", SEEDS.parent)
    n_plain = len(list(DocBin().from_disk(plain).get_docs(nlp.vocab)))
    held = frozenset(r["id"] for r in gold[:10])
    assert count(frozenset()) == n_plain + 2 * len(gold)
    assert count(held) == n_plain + 2 * (len(gold) - 10)


@pytest.mark.parametrize("corpus", ["gold", "seeds+nope", "scierc+seeds", "seeds+scierc"])
def test_an_unknown_corpus_is_refused_with_the_config_named(tmp_path, corpus):
    from kgraph.errors import KgraphError

    cfg = spacy.util.load_config(CONFIG)
    cfg["paths"]["corpus"] = corpus
    path = tmp_path / "odd.cfg"
    cfg.to_disk(path)
    with pytest.raises(KgraphError, match=r"odd\.cfg: unknown corpus"):
        make_corpus(path, tmp_path / "work", SEEDS.parent)


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        (("components", "ner", "loss"), "crf", "loss must be 'token' or 'sequence'"),
        (("components", "tok2vec", "model", "encode", "depth"), "deep", "depth"),
        (("components", "ner", "factory"), "no_such_component", "no_such_component"),
    ],
)
def test_a_config_its_pipeline_cannot_be_built_from_fails_in_one_line(
    tmp_path, setting, value, says
):
    cfg = spacy.util.load_config(ROOT / "configs" / "scierc.cfg")
    *path, last = setting
    section = cfg
    for key in path:
        section = section[key]
    section[last] = value
    bad = tmp_path / "bad.cfg"
    cfg.to_disk(bad)
    out = tmp_path / "model"
    run = subprocess.run(
        [sys.executable, "-m", "kgraph.cli", "train", str(bad), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert str(bad) in lines[0] and says in lines[0]
    assert not out.exists()  # nothing written


@needs_shared(SEEDS.parent / "data" / "scierc" / "train.json")
def test_scierc_text_corpus_adds_every_annotated_abstract_weighted(tmp_path):
    from spacy.tokens import DocBin

    from kgraph.train import SCIERC_ANNOTATIONS

    n_ann = len(SCIERC_ANNOTATIONS.read_text().splitlines())
    nlp = spacy.blank("en")

    def docs(corpus, weight):
        cfg = spacy.util.load_config(CONFIG)
        cfg["paths"]["corpus"] = corpus
        cfg["paths"]["scierc_text_weight"] = weight
        path = tmp_path / f"{corpus}{weight}.cfg"
        cfg.to_disk(path)
        train_path, _ = make_corpus(path, tmp_path / f"{corpus}{weight}", SEEDS.parent)
        return list(DocBin().from_disk(train_path).get_docs(nlp.vocab))

    seeds_only = docs("seeds", 1)
    once, twice = docs("seeds+scierc-text", 1), docs("seeds+scierc-text", 2)
    assert len(once) == len(seeds_only) + n_ann
    assert len(twice) == len(seeds_only) + 2 * n_ann
    added = once[len(seeds_only) :]
    # the offsets land on whole tokens: nearly every annotated abstract keeps entities
    assert sum(bool(d.ents) for d in added) >= 0.95 * n_ann
    assert {e.label_ for d in added for e in d.ents} <= {
        "method",
        "dataset",
        "benchmark",
        "task",
        "metric",
    }
