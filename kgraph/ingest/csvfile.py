"""CSV with a header row naming ``title`` and ``abstract`` (``id``, ``year``,
``authors``, ``url`` optional)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from kgraph.errors import InputError
from kgraph.ingest.record import RawRecord, make_record

REQUIRED = ("title", "abstract")


def read(path: str, text: str) -> Iterator[RawRecord]:
    """Records of one CSV file."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        names = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise InputError(
                path, f"header lacks column {', '.join(missing)} (has: {', '.join(names)})", line=1
            )
        record = 0
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                raise InputError(
                    path,
                    f"row has {len(row)} fields, header has {len(names)}",
                    line=reader.line_num,
                )
            record += 1
            yield make_record(path, record, reader.line_num, dict(zip(names, row, strict=True)))
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV ({exc})", line=reader.line_num) from None
