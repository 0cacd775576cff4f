"""The data model: stable ids and the papers.jsonl record format."""

from __future__ import annotations

import json

import pytest

from kgraph.model import ExtractedEntity, Mention, Paper, PaperEntities, Source, paper_id, title_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("LoRA: Low-Rank Adaptation", "lora low rank adaptation"),
        ("GPT-4  Technical Report!", "gpt4 technical report"),
    ],
)
def test_copies_of_a_title_share_key_and_id(a, b):
    assert title_key(a) == title_key(b)
    assert paper_id(a) == paper_id(b)


def test_id_is_ten_hex_digits_of_sha1_of_the_title_key():
    import hashlib

    expected = hashlib.sha1(b"attentionisallyouneed").hexdigest()[:10]
    assert paper_id("Attention Is All You Need") == expected
    assert len(paper_id("x")) == 10 and int(paper_id("x"), 16) >= 0


def test_text_is_title_newline_abstract():
    assert Paper("p", "T", "A b.").text == "T\nA b."


def test_record_is_the_gold_format_plus_sources_and_evidence():
    p = Paper("p", "T", "We use ImageNet.", sources=[Source("a.txt", 3, 11)], year=2020)
    e = ExtractedEntity(
        "ImageNet",
        "dataset",
        mentions=[Mention(9, 17, "ImageNet", "We use ImageNet.")],
        entity="dataset/imagenet",
    )
    rec = json.loads(json.dumps(PaperEntities(p, [e]).to_record()))
    assert rec["sources"] == [{"file": "a.txt", "record": 3, "line": 11}]
    assert rec["entities"][0] == {
        "name": "ImageNet",
        "aliases": [],
        "type": "dataset",
        "role": "used",
        "named": False,
        "confidence": None,
        "entity": "dataset/imagenet",
        "mentions": [{"start": 9, "end": 17, "text": "ImageNet", "sentence": "We use ImageNet."}],
    }
    assert rec["year"] == 2020 and "url" not in rec
