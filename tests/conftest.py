"""Fixtures shared by the test modules: a small resolved corpus and its graph,
and the path to ../shared (tests that need it skip with a reason where it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.graph import build_graph
from kgraph.model import ExtractedEntity, Mention, Paper, PaperEntities, Source
from kgraph.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
SCIERC = SHARED / "data" / "scierc"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test, with the reason, when a ../shared path is absent."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent")


def _entity(paper: Paper, name: str, etype: str, role: str = "used", aliases=(), named=False):
    text = paper.text
    mentions = []
    for form in (name, *aliases):
        start = text.find(form)
        if start >= 0:
            end = start + len(form)
            s0 = max(text.rfind(". ", 0, start) + 2, text.find("\n") + 1 if start > len(paper.title) else 0)
            s1 = text.find(".", end)
            mentions.append(Mention(start, end, form, text[s0 : (s1 + 1 if s1 >= 0 else len(text))]))
    return ExtractedEntity(
        name=name, type=etype, role=role, aliases=list(aliases), named=named,
        confidence=0.9, mentions=mentions,
    )


def sample_corpus() -> list[PaperEntities]:
    """Three papers sharing a dataset, a benchmark, a metric and a method."""
    p1 = Paper(
        "p1", "LoRA: Low-Rank Adaptation of Large Language Models",
        "We propose Low-Rank Adaptation (LoRA), which freezes GPT-3 weights. "
        "On the GLUE benchmark LoRA matches full fine-tuning in accuracy.",
        sources=[Source("a.txt", 1, 6)], year=2021,
    )
    p2 = Paper(
        "p2", "Vision adapters for \"image classification\" <fast>",
        "We apply LoRA to a ViT and train on ImageNet. Accuracy on ImageNet improves over "
        "full fine-tuning for image classification.",
        sources=[Source("a.txt", 2, 9), Source("b.jsonl", 1, 1)],
    )
    p3 = Paper(
        "p3", "The Caf\u00e9 benchmark for $\\alpha$-robust QA",
        "We introduce Caf\u00e9-QA, a benchmark for question answering. GPT-3 reaches 41% accuracy "
        "and we evaluate on GLUE too.",
        sources=[Source("c.csv", 1, 2)],
    )
    return [
        PaperEntities(p1, [
            _entity(p1, "Low-Rank Adaptation", "method", "proposed", ["LoRA"], named=True),
            _entity(p1, "GPT-3", "method", named=True),
            _entity(p1, "GLUE", "benchmark", named=True),
            _entity(p1, "fine-tuning", "method"),
            _entity(p1, "accuracy", "metric"),
        ]),
        PaperEntities(p2, [
            _entity(p2, "LoRA", "method", named=True),
            _entity(p2, "ViT", "method", named=True),
            _entity(p2, "ImageNet", "dataset", named=True),
            _entity(p2, "Accuracy", "metric"),
            _entity(p2, "image classification", "task"),
            _entity(p2, "full fine-tuning", "method"),
        ]),
        PaperEntities(p3, [
            _entity(p3, "Caf\u00e9-QA", "benchmark", "proposed", named=True),
            _entity(p3, "question answering", "task"),
            _entity(p3, "GPT-3", "method", named=True),
            _entity(p3, "accuracy", "metric"),
            _entity(p3, "GLUE", "benchmark", named=True),
        ]),
    ]


@pytest.fixture
def corpus() -> list[PaperEntities]:
    """The sample corpus, resolved."""
    papers, _ = resolve(sample_corpus())
    return papers


@pytest.fixture
def entities():
    """The entities of the resolved sample corpus."""
    return resolve(sample_corpus())[1]


@pytest.fixture
def graph():
    """The networkx graph of the sample corpus."""
    papers, ents = resolve(sample_corpus())
    return build_graph(papers, ents)
