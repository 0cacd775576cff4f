"""The command line: exact messages and exit codes, no traceback, earlier output untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

EXAMPLES = ROOT / "examples" / "corpus"
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 14\n\n"


def kgraph(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "kgraph.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "output"
    res = kgraph("build", EXAMPLES, "-o", out)
    assert res.returncode == 0, res.stderr
    return out, res


def test_build_writes_every_output_and_a_summary(built):
    out, res = built
    for name in ("papers.jsonl", "graph.ttl", "graph.json", "graph.html"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "store").is_dir()
    lines = res.stdout.splitlines()
    assert lines[0] == "records read      42"
    assert lines[1] == "distinct papers   39"
    assert lines[2] == "duplicates merged 3"
    assert lines[3].startswith("entities ") and "method" in lines[3]


def test_papers_jsonl_is_the_gold_format_plus_evidence(built):
    out, _ = built
    records = [json.loads(x) for x in (out / "papers.jsonl").read_text().splitlines()]
    assert len(records) == 39
    dup = [r for r in records if len(r["sources"]) == 2]
    assert len(dup) == 3
    for r in records:
        text = r["title"] + "\n" + r["abstract"]
        for e in r["entities"]:
            assert set(e) >= {"name", "aliases", "type", "role", "entity", "mentions"}
            for m in e["mentions"]:
                assert text[m["start"] : m["end"]] == m["text"]
                assert m["text"] in m["sentence"]


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


BAD = [
    ("missing.txt", None, "no such file or folder"),
    ("empty.txt", b"", "file is empty"),
    (
        "notitle.txt",
        (HEADER + "A Title Alone\n").encode(),
        "11: title 'A Title Alone' has no abstract",
    ),
    ("bin.txt", b"\xff\xfe title\n", "1: invalid UTF-8 (byte 0xff at offset 0)"),
    (
        "bad.jsonl",
        b'{"title": "T", "abstract": "A."}\n{oops\n',
        "2: invalid JSON (Expecting property name enclosed in double quotes at column 2)",
    ),
    ("bad.csv", b'title,abstract\n"T,unterminated\n', "2: malformed CSV (unexpected end of data)"),
    (
        "a.docx",
        b"x",
        "unknown file type '.docx'; supported: .atom, .csv, .jsonl, .ndjson, .txt, .xml",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_exit_1_and_output_untouched(built, tmp_path, name, content, message):
    out, _ = built
    before = _snapshot(out)
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    res = kgraph("build", path, "-o", out)
    sep = ":" if message[0].isdigit() else ": "
    assert res.returncode == 1
    assert res.stderr == f"Error: {path}{sep}{message}\n"
    assert res.stdout == ""
    assert _snapshot(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".output.")]


def test_bad_file_among_good_ones_writes_nothing(tmp_path):
    (tmp_path / "bad.jsonl").write_text("{oops\n")
    out = tmp_path / "out"
    res = kgraph("build", EXAMPLES, tmp_path / "bad.jsonl", "-o", out)
    assert res.returncode == 1 and not out.exists()


@pytest.mark.parametrize(
    "command", ["build", "extract", "evaluate", "train", "query", "serve", "export"]
)
def test_every_command_has_help(command):
    res = kgraph(command, "--help")
    assert res.returncode == 0 and res.stdout.startswith("usage: kgraph " + command)


def test_extract_then_evaluate_against_itself(tmp_path):
    pred = tmp_path / "pred.jsonl"
    res = kgraph("extract", EXAMPLES / "extra.jsonl", "-o", pred)
    assert res.returncode == 0, res.stderr
    res = kgraph("evaluate", pred, pred, "--json")
    scores = json.loads(res.stdout)
    assert scores["typed"]["f"] == 100.0 and scores["papers"] == 3


def test_output_cut_short_by_the_reader_is_no_traceback(tmp_path):
    pred = tmp_path / "pred.jsonl"
    assert kgraph("extract", EXAMPLES / "extra.jsonl", "-o", pred).returncode == 0
    with subprocess.Popen(
        [sys.executable, "-m", "kgraph.cli", "evaluate", pred, pred, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        proc.stdout.close()  # like `| head -0`: nobody reads
        assert proc.stderr.read() == b""
        assert proc.wait() == 1


def test_evaluate_bad_file(tmp_path):
    (tmp_path / "g.jsonl").write_text('{"title": "T", "entities": []}\nnot json\n')
    res = kgraph("evaluate", tmp_path / "g.jsonl", tmp_path / "g.jsonl")
    assert res.returncode == 1
    assert res.stderr.startswith(f"Error: {tmp_path / 'g.jsonl'}:2: invalid JSON")


def test_export_unknown_format_lists_known(built):
    out, _ = built
    res = kgraph("export", "--format", "gexf", "--from", out)
    assert res.returncode == 1
    assert (
        res.stderr
        == "Error: unknown export format 'gexf'; known: graphml, html, json, jsonld, nt, ttl\n"
    )


def test_export_graphml_for_gephi(built, tmp_path):
    import networkx as nx

    out, _ = built
    dest = tmp_path / "g.graphml"
    res = kgraph("export", "--format", "graphml", "--from", out, "-o", dest)
    assert res.returncode == 0, res.stderr
    H = nx.read_graphml(dest, force_multigraph=True)
    G = nx.node_link_graph(json.loads((out / "graph.json").read_text()), edges="links")
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()


def test_query_malformed_is_one_line(built):
    out, _ = built
    res = kgraph("query", "SELECT ?x WHERE { ?x", "--store", out / "store")
    assert res.returncode == 1
    assert res.stderr.startswith("Error: ") and res.stderr.count("\n") == 1
    assert "Traceback" not in res.stderr


def test_readme_main_command_is_what_this_test_runs():
    readme = (ROOT / "README.md").read_text()
    assert "kgraph build examples/corpus -o output/" in readme
    assert "bash .ci/run" in readme
    assert os.access(ROOT / ".ci" / "run", os.R_OK)


def test_sharded_extraction_then_build_equals_one_build(built, tmp_path):
    out, _ = built
    for k in (1, 2, 3):
        res = kgraph("extract", EXAMPLES, "--shard", f"{k}/3", "-o", tmp_path / f"part{k}.jsonl")
        assert res.returncode == 0, res.stderr
    parts = [tmp_path / f"part{k}.jsonl" for k in (1, 2, 3)]
    res = kgraph("build", "--extracted", *parts, "-o", tmp_path / "joined", "--no-html")
    assert res.returncode == 0, res.stderr
    one = json.loads((out / "graph.json").read_text())
    joined = json.loads((tmp_path / "joined" / "graph.json").read_text())
    assert one["nodes"] == joined["nodes"]
    assert one["links"] == joined["links"]


@pytest.mark.parametrize("shard", ["0/3", "4/3", "x"])
def test_bad_shard_is_refused(shard, tmp_path):
    res = kgraph("extract", EXAMPLES, "--shard", shard, "-o", tmp_path / "p.jsonl")
    assert res.returncode == 2 and "--shard" in res.stderr
