"""The extraction pipeline: build it, run it over papers.

Without a trained model the pipeline is rule-based (lexicon, abbreviations,
coined names and concept phrases). With the shipped model (``kgraph/extract/model``)
its recogniser replaces the rule candidates.

Examples
--------
>>> from kgraph.model import Paper
>>> nlp = load_pipeline(model=None)
>>> [pe] = extract_papers([Paper("p", "LoRA: Low-Rank Adaptation", "We propose Low-Rank Adaptation (LoRA) and test it on GLUE.")], nlp=nlp)
>>> [(e.name, e.type, e.role) for e in pe.entities]
[('Low-Rank Adaptation', 'method', 'proposed'), ('GLUE', 'benchmark', 'used')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language

import kgraph.extract  # noqa: F401  (registers the components)
import kgraph.extract.entities  # noqa: F401
from kgraph import __version__
from kgraph.errors import ModelError
from kgraph.extract.ops import blas_ops
from kgraph.model import Paper, PaperEntities

COMPONENTS = ("kgraph_sentences", "kgraph_abbreviations", "kgraph_lexicon")


def shipped_model() -> Path | None:
    """The folder of the recogniser that ships in the package, if there is one."""
    path = Path(str(resources.files("kgraph.extract").joinpath("model")))
    return path if (path / "config.cfg").exists() else None


def load_pipeline(model: str | Path | None = "shipped") -> Language:
    """The spaCy pipeline: ``"shipped"`` (the packaged model, else rules), a model folder, or None for rules."""
    if model == "shipped":
        model = shipped_model()
    if model is None:
        nlp = spacy.blank("en")
        for name in (*COMPONENTS, "kgraph_candidates"):
            nlp.add_pipe(name)
    else:
        path = Path(model)
        if not (path / "config.cfg").exists():
            raise ModelError(f"{path}: not a spaCy model folder (no config.cfg)")
        try:
            with blas_ops():
                nlp = spacy.load(path, exclude=["kgraph_entities"])
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: cannot load model ({exc})") from None
        for name in COMPONENTS:
            if name not in nlp.pipe_names:
                nlp.add_pipe(name, before="tok2vec" if "tok2vec" in nlp.pipe_names else None)
    nlp.add_pipe("kgraph_entities")
    return nlp


def extractor_version(nlp: Language) -> str:
    """A string naming the code and model that extracted: goes into the provenance."""
    if "ner" not in nlp.pipe_names:
        return f"kgraph-extractor {__version__} (rules)"
    return f"kgraph-extractor {__version__} ({nlp.meta.get('name')} {nlp.meta.get('version')})"


def extract_papers(
    papers: Iterable[Paper], nlp: Language | None = None, batch_size: int = 64, n_process: int = 1
) -> Iterator[PaperEntities]:
    """The entities of every paper, in input order."""
    nlp = nlp or load_pipeline()
    items = ((p.text, p) for p in papers)
    for doc, paper in nlp.pipe(items, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield PaperEntities(paper=paper, entities=list(doc._.kg_entities))
