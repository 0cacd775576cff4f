"""Resolve: one node per real thing across papers, every surface form kept."""

from __future__ import annotations

import pytest

from kgraph.model import ExtractedEntity, Paper, PaperEntities
from kgraph.resolve import fold, resolve, slug


def corpus(*entity_lists):
    return [
        PaperEntities(Paper(f"p{i}", f"T{i}", "."), list(ents))
        for i, ents in enumerate(entity_lists)
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Vision Transformer", "vision transformers"),
        ("fine-tuning", "fine tuning"),
        ("Fine\u2010Tuning", "fine-tuning"),
        ("GPT\u20114", "GPT-4"),
        ("\uff21\uff24\uff21\uff2d", "Adam"),
    ],
)
def test_spellings_of_one_name_fold_together(a, b):
    assert fold(a) == fold(b)


def test_abbreviation_in_one_paper_joins_long_form_in_another():
    papers, entities = resolve(
        corpus(
            [ExtractedEntity("Low-Rank Adaptation", "method", aliases=["LoRA"])],
            [ExtractedEntity("LoRA", "method")],
            [ExtractedEntity("low-rank adaptations", "method")],
        )
    )
    assert [(e.name, e.papers) for e in entities] == [("Low-Rank Adaptation", ["p0", "p1", "p2"])]
    assert entities[0].aliases == ["LoRA", "low-rank adaptations"]
    assert {e.entity for p in papers for e in p.entities} == {"method/low-rank-adaptation"}


def test_types_stay_apart():
    _, entities = resolve(
        corpus([ExtractedEntity("ImageNet", "dataset")], [ExtractedEntity("ImageNet", "benchmark")])
    )
    assert sorted(e.id for e in entities) == ["benchmark/imagenet", "dataset/imagenet"]


def test_ambiguous_abbreviation_does_not_merge_two_long_forms():
    _, entities = resolve(
        corpus(
            [ExtractedEntity("masked autoencoder", "method", aliases=["MAE"])],
            [ExtractedEntity("model-agnostic explanation", "method", aliases=["MAE"])],
        )
    )
    assert sorted(e.name for e in entities) == ["masked autoencoder", "model-agnostic explanation"]


def test_ids_are_deterministic_and_unique():
    c = corpus(
        [ExtractedEntity("GPT 4", "method")],
        [ExtractedEntity("GPT-4!", "method", aliases=["GPT4x"])],
    )
    assert [e.id for e in resolve(c)[1]] == [e.id for e in resolve(c)[1]]
    assert len({e.id for e in resolve(c)[1]}) == len(resolve(c)[1])


@pytest.mark.parametrize(
    "name", ['a "quoted" <name>', "$\\alpha$-net", "caf\u00e9 \u4e2d\u6587", "   "]
)
def test_slug_is_iri_safe(name):
    s = slug(name)
    assert s and not any(c in s for c in ' "<>\\{}|^`')


def test_hyphen_inside_a_word_does_not_split_nodes():
    _, entities = resolve(
        corpus(
            [ExtractedEntity("pre-training", "method")], [ExtractedEntity("pretraining", "method")]
        )
    )
    assert [e.support for e in entities] == [2]


def test_short_form_joins_the_majority_expansion():
    _, entities = resolve(
        corpus(
            [ExtractedEntity("large language models", "method", aliases=["LLMs"])],
            [ExtractedEntity("Large Language Model", "method", aliases=["LLM"])],
            [ExtractedEntity("LLMs", "method")],
            [ExtractedEntity("legal language model", "method", aliases=["LLM"])],
            [ExtractedEntity("large language models", "method", aliases=["LLM"])],
        )
    )
    by_name = {e.name: e.papers for e in entities}
    assert by_name["large language models"] == ["p0", "p1", "p2", "p4"]
    assert by_name["legal language model"] == ["p3"]
