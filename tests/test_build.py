"""Build: the stages in order, a summary, and output written only when complete."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from kgraph.build import build
from kgraph.errors import InputError

EXAMPLES = ROOT / "examples" / "corpus"


def test_summary_counts_records_papers_and_types(tmp_path):
    s = build([EXAMPLES], tmp_path / "out", html=False, progress=False)
    assert (s.records, s.papers, s.duplicates) == (42, 39, 3)
    assert set(s.entities) <= {"method", "dataset", "benchmark", "task", "metric"}
    assert s.links >= sum(s.entities.values())
    assert s.lines()[0] == "records read      42"


def test_rules_only_build_needs_no_model(tmp_path):
    s = build(
        [EXAMPLES / "extra.jsonl"],
        tmp_path / "out",
        model=None,
        html=False,
        store=False,
        progress=False,
    )
    recs = [json.loads(x) for x in (tmp_path / "out" / "papers.jsonl").read_text().splitlines()]
    assert s.papers == 3 and all(r["entities"] for r in recs)


def test_failed_build_leaves_earlier_output_and_no_temporary_folder(tmp_path):
    out = tmp_path / "out"
    build([EXAMPLES / "extra.jsonl"], out, html=False, progress=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (tmp_path / "bad.jsonl").write_text("{nope\n")
    with pytest.raises(InputError):
        build([EXAMPLES, tmp_path / "bad.jsonl"], out, progress=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "out"]


def test_rebuild_replaces_outputs_and_keeps_other_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine")
    build([EXAMPLES / "extra.jsonl"], out, html=False, progress=False)
    build([EXAMPLES / "listing_a.txt"], out, html=False, progress=False)
    assert (out / "notes.md").read_text() == "mine"
    assert len((out / "papers.jsonl").read_text().splitlines()) == 20
    assert sorted(p.name for p in out.iterdir()) == [
        "graph.json",
        "graph.ttl",
        "notes.md",
        "papers.jsonl",
        "store",
    ]


def test_rebuild_without_html_or_store_removes_the_stale_ones(tmp_path):
    out = tmp_path / "out"
    build([EXAMPLES / "extra.jsonl"], out, progress=False)
    assert (out / "graph.html").exists() and (out / "store").is_dir()
    build([EXAMPLES / "listing_a.txt"], out, html=False, store=False, progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["graph.json", "graph.ttl", "papers.jsonl"]
