"""Ingest: every input format, duplicates merged, bad input named with file and line."""

from __future__ import annotations

import json

import pytest

from kgraph.errors import InputError
from kgraph.ingest import read_papers
from kgraph.model import paper_id

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 14\n\n"
ABSTRACT = "We study a thing. It works on ImageNet with high accuracy."


def seed_text(*titles: str) -> str:
    return HEADER + "".join(f"{t}\n\n{ABSTRACT} ({t})\n\n" for t in titles)


def test_seed_format_skips_header_and_reads_pairs(tmp_path):
    (tmp_path / "a.txt").write_text(seed_text("First Paper", "Second Paper"))
    result = read_papers([tmp_path / "a.txt"])
    assert [p.title for p in result.papers] == sorted(["First Paper", "Second Paper"], key=paper_id)
    assert result.records == 2
    assert {p.sources[0].line for p in result.papers} == {11, 15}


def test_same_title_in_two_files_is_one_paper_with_both_sources(tmp_path):
    (tmp_path / "a.txt").write_text(seed_text("Shared Paper", "Only A"))
    (tmp_path / "b.txt").write_text(seed_text("shared paper!", "Only B"))
    result = read_papers([tmp_path])
    assert (result.records, len(result.papers), result.duplicates) == (4, 3, 1)
    shared = next(p for p in result.papers if p.title == "Shared Paper")
    assert [s.file for s in shared.sources] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_result_does_not_depend_on_path_order(tmp_path):
    (tmp_path / "a.txt").write_text(seed_text("Shared Paper", "Only A"))
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"title": "Shared paper", "abstract": "Other text."}) + "\n"
    )
    one = read_papers([tmp_path / "a.txt", tmp_path / "b.jsonl"]).papers
    two = read_papers([tmp_path / "b.jsonl", tmp_path / "a.txt"]).papers
    assert one == two


def test_same_id_merges_records_with_different_titles(tmp_path):
    rows = [
        {"id": "x1", "title": "A title", "abstract": "Text."},
        {"id": "x1", "title": "A retitled paper", "abstract": "Text."},
    ]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = read_papers([tmp_path / "a.jsonl"])
    assert len(result.papers) == 1 and result.papers[0].id == "x1"


def test_jsonl_optional_fields(tmp_path):
    rec = {
        "title": "T",
        "abstract": "A.",
        "year": "2021-05-01",
        "authors": ["Ada", "Alan"],
        "url": "https://example.org/t",
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(rec) + "\n\n")
    [p] = read_papers([tmp_path / "a.jsonl"]).papers
    assert (p.year, p.authors, p.url) == (2021, ["Ada", "Alan"], "https://example.org/t")


def test_csv_with_quoted_fields(tmp_path):
    (tmp_path / "a.csv").write_text(
        'id,title,abstract,authors\n7,"A, B","Line one,\nline two.","Ada; Alan"\n'
    )
    [p] = read_papers([tmp_path / "a.csv"]).papers
    assert (p.id, p.title, p.abstract, p.authors) == (
        "7",
        "A, B",
        "Line one, line two.",
        ["Ada", "Alan"],
    )


def test_arxiv_atom(tmp_path):
    feed = """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom">
 <entry><id>http://arxiv.org/abs/2106.09685v2</id><published>2021-06-17T00:00:00Z</published>
  <title>LoRA: Low-Rank
   Adaptation</title><summary>We propose LoRA.</summary>
  <author><name>Edward Hu</name></author><link href="http://arxiv.org/abs/2106.09685v2" rel="alternate"/></entry>
</feed>"""
    (tmp_path / "a.xml").write_text(feed)
    [p] = read_papers([tmp_path / "a.xml"]).papers
    assert (p.id, p.title, p.year, p.authors) == (
        "2106.09685",
        "LoRA: Low-Rank Adaptation",
        2021,
        ["Edward Hu"],
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", "", "empty.txt: file is empty"),
        ("blank.jsonl", "\n  \n", "blank.jsonl: file is empty"),
        (
            "notitle.txt",
            HEADER + "A Title Alone\n",
            "notitle.txt:11: title 'A Title Alone' has no abstract",
        ),
        (
            "bad.jsonl",
            '{"title": "T", "abstract": "A."}\n{"title": \n',
            "bad.jsonl:2: invalid JSON (Expecting value at column 11)",
        ),
        ("list.jsonl", "[1, 2]\n", "list.jsonl:1: expected a JSON object, got list"),
        ("noabs.jsonl", '{"title": "T"}\n', "noabs.jsonl:1: title 'T' has no abstract"),
        ("bad.csv", 'title,abstract\n"T,"unterminated\n', "bad.csv:2: malformed CSV"),
        (
            "cols.csv",
            "name,text\nT,A\n",
            "cols.csv:1: header lacks column title, abstract (has: name, text)",
        ),
        ("bad.xml", "<feed><entry>", "bad.xml:1: malformed XML"),
        (
            "a.docx",
            "x",
            "a.docx: unknown file type '.docx'; supported: .atom, .csv, .jsonl, .ndjson, .txt, .xml",
        ),
    ],
)
def test_bad_input_names_file_line_and_problem(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError) as err:
        read_papers([path])
    assert str(err.value).startswith(f"{tmp_path / name}{message[len(name) :]}")


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        read_papers([tmp_path / "missing.txt"])


def test_invalid_utf8_gives_line_and_byte(tmp_path):
    (tmp_path / "bin.jsonl").write_bytes(b'{"title": "T", "abstract": "A."}\n\xff\xfe\n')
    with pytest.raises(InputError) as err:
        read_papers([tmp_path / "bin.jsonl"])
    assert str(err.value) == f"{tmp_path / 'bin.jsonl'}:2: invalid UTF-8 (byte 0xff at offset 33)"


def test_folder_without_supported_files(tmp_path):
    (tmp_path / "notes.md").write_text("x")
    with pytest.raises(InputError, match="folder has no supported files"):
        read_papers([tmp_path])
