"""Extracted records: ``papers.jsonl`` files written by ``kgraph extract``, read back
so that extraction can run on several machines (``--shard K/N``) and one build
joins the parts.

Examples
--------
>>> import json, pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> rec = {"id": "p", "title": "T", "abstract": "A.", "sources": [], "entities": []}
>>> _ = (d / "a.jsonl").write_text(json.dumps(rec) + "\\n")
>>> _ = (d / "b.jsonl").write_text(json.dumps(rec) + "\\n")
>>> records, papers = read_extracted([d / "a.jsonl", d / "b.jsonl"])
>>> records, [p.paper.id for p in papers]
(2, ['p'])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kgraph.errors import InputError
from kgraph.ingest import expand_paths
from kgraph.ingest.jsonl import json_lines
from kgraph.ingest.record import decode
from kgraph.model import ENTITY_TYPES, ROLES, PaperEntities


def _check(path: str, line: int, rec: object) -> PaperEntities:
    if not isinstance(rec, dict) or not all(k in rec for k in ("id", "title", "abstract")):
        raise InputError(
            path, "not a kgraph extract record (needs id, title, abstract, entities)", line=line
        )
    for e in rec.get("entities", []):
        if e.get("type") not in ENTITY_TYPES:
            raise InputError(
                path,
                f"entity type {e.get('type')!r} is not one of {', '.join(ENTITY_TYPES)}",
                line=line,
            )
        if e.get("role", "used") not in ROLES:
            raise InputError(
                path, f"entity role {e.get('role')!r} is not one of {', '.join(ROLES)}", line=line
            )
    try:
        return PaperEntities.from_record(rec)
    except (KeyError, TypeError) as exc:
        raise InputError(path, f"malformed extract record ({exc})", line=line) from None


def read_extracted(paths: Iterable[str | Path]) -> tuple[int, list[PaperEntities]]:
    """Records read, and the distinct papers (by id) with the sources of every copy, sorted by id."""
    by_id: dict[str, PaperEntities] = {}
    records = 0
    for path in expand_paths(paths):
        if path.suffix.lower() not in (".jsonl", ".ndjson"):
            raise InputError(str(path), "extracted records are JSON Lines (.jsonl)")
        text = decode(str(path), path.read_bytes())
        for n, rec in json_lines(str(path), text):
            records += 1
            pe = _check(str(path), n, rec)
            if pe.paper.id in by_id:
                kept = by_id[pe.paper.id].paper
                kept.sources = sorted(
                    set(kept.sources) | set(pe.paper.sources), key=lambda s: (s.file, s.record)
                )
            else:
                by_id[pe.paper.id] = pe
        if records == 0:
            raise InputError(str(path), "file is empty")
    return records, [by_id[k] for k in sorted(by_id)]
