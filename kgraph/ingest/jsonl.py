"""JSON Lines: one object a line with ``title`` and ``abstract`` (``id``, ``year``,
``authors``, ``url`` optional)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from kgraph.errors import InputError
from kgraph.ingest.record import RawRecord, make_record


def json_lines(path: str, text: str) -> Iterator[tuple[int, object]]:
    """``(line number, value)`` of every non-blank line; invalid JSON fails with its line."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                path, f"invalid JSON ({exc.msg} at column {exc.colno})", line=n
            ) from None


def read(path: str, text: str) -> Iterator[RawRecord]:
    """Records of one JSON Lines file; blank lines are skipped."""
    record = 0
    for n, obj in json_lines(path, text):
        if not isinstance(obj, dict):
            raise InputError(path, f"expected a JSON object, got {type(obj).__name__}", line=n)
        record += 1
        yield make_record(path, record, n, obj)
