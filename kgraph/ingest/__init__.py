"""Ingest: read paper records from files and merge copies of one paper.

Readers are looked up by file suffix in :data:`READERS`; a folder means every
supported file below it. Copies of one paper (same normalised title, or same id)
become one :class:`~kgraph.model.Paper` that keeps every source.

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.jsonl").write_text('{"title": "T", "abstract": "A."}\\n' * 2)
>>> result = read_papers([d])
>>> result.records, len(result.papers), result.duplicates
(2, 1, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.errors import InputError
from kgraph.ingest import atom, csvfile, jsonl, seed
from kgraph.ingest.record import RawRecord, decode
from kgraph.model import Paper, Source, paper_id, title_key

Reader = Callable[[str, str], Iterator[RawRecord]]

READERS: dict[str, Reader] = {
    ".txt": seed.read,
    ".jsonl": jsonl.read,
    ".ndjson": jsonl.read,
    ".csv": csvfile.read,
    ".xml": atom.read,
    ".atom": atom.read,
}


def reader_for(path: Path) -> Reader:
    """The reader for a file, by its suffix; an unknown suffix fails with the known ones."""
    try:
        return READERS[path.suffix.lower()]
    except KeyError:
        raise InputError(
            str(path),
            f"unknown file type {path.suffix or '(none)'!r}; supported: {', '.join(sorted(READERS))}",
        ) from None


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus every supported file below each folder named, sorted."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in READERS
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                raise InputError(
                    str(p), f"folder has no supported files ({', '.join(sorted(READERS))})"
                )
            files.extend(found)
        elif p.is_file():
            reader_for(p)
            files.append(p)
        elif p.exists():
            raise InputError(str(p), "not a file or folder")
        else:
            raise InputError(str(p), "no such file or folder")
    return files


def read_file(path: Path) -> Iterator[RawRecord]:
    """Every record of one file, checked."""
    reader = reader_for(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None
    text = decode(str(path), data)
    if not text.strip():
        raise InputError(str(path), "file is empty")
    n = 0
    for rec in reader(str(path), text):
        n += 1
        yield rec
    if n == 0:
        raise InputError(str(path), "no paper records found")


@dataclass
class IngestResult:
    """The distinct papers read, sorted by id, and how many records made them."""

    papers: list[Paper] = field(default_factory=list)
    records: int = 0

    @property
    def duplicates(self) -> int:
        """Records that were merged into an earlier copy of the same paper."""
        return self.records - len(self.papers)


def read_papers(paths: Iterable[str | Path]) -> IngestResult:
    """Read every record under ``paths`` and merge copies of one paper.

    The copy whose source sorts first gives the title and abstract, so the result
    does not depend on the order the paths are given in.
    """
    files = expand_paths(paths)
    groups: list[list[tuple[Source, RawRecord]]] = []
    by_key: dict[str, int] = {}
    records = 0
    for path in files:
        for rec in read_file(path):
            records += 1
            src = Source(file=str(path), record=rec.record, line=rec.line)
            keys = ["t:" + title_key(rec.title)]
            if rec.id:
                keys.append("i:" + rec.id)
            hits = sorted({by_key[k] for k in keys if k in by_key})
            if hits:
                gi = hits[0]
                for other in hits[1:]:  # a record that joins two groups merges them
                    groups[gi].extend(groups[other])
                    groups[other] = []
                    for k, v in by_key.items():
                        if v == other:
                            by_key[k] = gi
            else:
                gi = len(groups)
                groups.append([])
            groups[gi].append((src, rec))
            for k in keys:
                by_key[k] = gi
    papers = [_merge(g) for g in groups if g]
    papers.sort(key=lambda p: p.id)
    return IngestResult(papers=papers, records=records)


def _merge(copies: list[tuple[Source, RawRecord]]) -> Paper:
    copies = sorted(copies, key=lambda c: (c[0].file, c[0].record))
    first = copies[0][1]
    ids = sorted({r.id for _, r in copies if r.id})
    return Paper(
        id=ids[0] if ids else paper_id(first.title),
        title=first.title,
        abstract=first.abstract,
        sources=[s for s, _ in copies],
        year=next((r.year for _, r in copies if r.year is not None), None),
        authors=next((r.authors for _, r in copies if r.authors), []),
        url=next((r.url for _, r in copies if r.url), None),
    )
