"""Build: run every stage in order and write the output folder.

ingest -> extract -> resolve -> graph -> export. Everything is read and
extracted before anything is written; files are written into a temporary folder
beside the output and moved into place only when all are complete, so a failed
build leaves an earlier output untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.export import writer
from kgraph.graph import build_graph
from kgraph.ingest import IngestResult, read_papers
from kgraph.model import ENTITY_TYPES, PaperEntities, id_bucket
from kgraph.resolve import resolve

OUTPUTS = ("papers.jsonl", "graph.ttl", "graph.json", "graph.html")


@dataclass
class BuildSummary:
    """What a build read and wrote."""

    records: int
    papers: int
    duplicates: int
    entities: dict[str, int] = field(default_factory=dict)
    links: int = 0
    seconds: float = 0.0
    output: str = ""

    def lines(self) -> list[str]:
        """The summary as the command line prints it."""
        by_type = ", ".join(f"{self.entities.get(t, 0)} {t}" for t in ENTITY_TYPES)
        return [
            f"records read      {self.records}",
            f"distinct papers   {self.papers}",
            f"duplicates merged {self.duplicates}",
            f"entities          {sum(self.entities.values())} ({by_type})",
            f"links             {self.links}",
            f"seconds           {self.seconds:.1f}",
            f"written to        {self.output}",
        ]


def write_papers(papers: Iterable[PaperEntities], dest: Path) -> None:
    """``papers.jsonl``: one record a paper, in the gold record format plus evidence."""
    with open(dest, "w", encoding="utf-8", newline="\n") as f:
        for pe in papers:
            f.write(json.dumps(pe.to_record(), ensure_ascii=False) + "\n")


def in_shard(paper_id: str, shard: tuple[int, int] | None) -> bool:
    """Whether a paper falls in shard ``(k, n)`` (of n shards, k from 0): by a hash of its id."""
    if shard is None:
        return True
    k, n = shard
    return id_bucket(paper_id, n) == k


def extract(
    paths: Iterable[str | Path],
    model: str | Path | None = "shipped",
    progress: bool = True,
    shard: tuple[int, int] | None = None,
):
    """Ingest and extract: the ingest result and every paper's entities (of one shard only, if given)."""
    from tqdm import tqdm

    from kgraph.extract.pipeline import extract_papers, extractor_version, load_pipeline

    result = read_papers(paths)
    result.papers = [p for p in result.papers if in_shard(p.id, shard)]
    nlp = load_pipeline(model)
    bar = tqdm(
        total=len(result.papers),
        unit="paper",
        desc="extracting",
        disable=not progress or len(result.papers) < 100 or None,
        leave=False,
    )
    extracted = []
    for pe in extract_papers(result.papers, nlp=nlp):
        extracted.append(pe)
        bar.update(1)
    bar.close()
    return result, extracted, extractor_version(nlp)


def build(
    paths: Iterable[str | Path],
    output: str | Path = "output",
    *,
    model: str | Path | None = "shipped",
    base_iri: str | None = None,
    html: bool = True,
    store: bool = True,
    progress: bool = True,
    extracted: bool = False,
) -> BuildSummary:
    """Build the knowledge graph of the papers under ``paths`` into ``output``.

    With ``extracted=True`` the paths are ``papers.jsonl`` files from ``kgraph extract``
    (for instance one per shard, from several machines) and extraction is skipped.
    """
    t0 = time.perf_counter()
    if base_iri:
        from kgraph.export.rdf import check_base_iri

        check_base_iri(base_iri)  # fail before the slow part
    if extracted:
        from kgraph import __version__
        from kgraph.ingest.extracted import read_extracted

        n_records, extracted_papers = read_extracted(paths)
        result = IngestResult(papers=[pe.paper for pe in extracted_papers], records=n_records)
        version = f"kgraph-extractor {__version__} (records read from kgraph extract)"
    else:
        result, extracted_papers, version = extract(paths, model=model, progress=progress)
    papers, entities = resolve(extracted_papers)
    G = build_graph(papers, entities)
    G.graph["extractor"] = version
    if base_iri:
        G.graph["base_iri"] = base_iri  # so that a later `kgraph export` keeps the IRIs

    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write_papers(papers, tmp / "papers.jsonl")
        rdf_opts = {"extractor_version": version}
        if base_iri:
            rdf_opts["base_iri"] = base_iri
        writer("ttl")(G, tmp / "graph.ttl", **rdf_opts)
        writer("json")(G, tmp / "graph.json")
        if html:
            writer("html")(G, tmp / "graph.html")
        if store:
            from kgraph.store import write_store

            nt = tmp / "graph.nt"
            writer("nt")(G, nt, **rdf_opts)
            write_store(nt, tmp / "store")
            nt.unlink()
        out.mkdir(exist_ok=True)
        for item in sorted(tmp.iterdir()):
            target = out / item.name
            if item.is_dir():
                old = None
                if target.exists():
                    old = out / f".{item.name}.old"
                    shutil.rmtree(old, ignore_errors=True)
                    os.replace(target, old)
                os.replace(item, target)
                if old is not None:
                    shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(item, target)
        # an output this build did not write would describe an older graph: remove it
        for name, wanted in (("graph.html", html), ("store", store)):
            stale = out / name
            if not wanted and stale.is_dir():
                shutil.rmtree(stale)
            elif not wanted and stale.exists():
                stale.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    counts = Counter(e.type for e in entities)
    return BuildSummary(
        records=result.records,
        papers=len(result.papers),
        duplicates=result.duplicates,
        entities=dict(counts),
        links=sum(1 for _ in G.edges()),
        seconds=time.perf_counter() - t0,
        output=str(out),
    )
