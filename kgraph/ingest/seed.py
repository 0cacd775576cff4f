"""The seed listing format: five header lines, then title and abstract lines.

Lines are blank-line separated. A file whose first line is ``new`` has the five
header lines of a listing page (``new``, a banner, ``Subscribe``, a byline and a
date); any other ``.txt`` file is read as title/abstract pairs from the start.
"""

from __future__ import annotations

from collections.abc import Iterator

from kgraph.errors import InputError
from kgraph.ingest.record import RawRecord, make_record

HEADER_LINES = 5


def _looks_like_title(line: str) -> bool:
    return len(line.split()) <= 30 and not line.rstrip().endswith((".", "!", "?"))


def read(path: str, text: str) -> Iterator[RawRecord]:
    """Title/abstract records of one seed-format file."""
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), 1) if raw.strip()]
    if lines and lines[0][1].lower() == "new":
        lines = lines[HEADER_LINES:]
    if len(lines) % 2:
        # Some title lacks its abstract: blame the first title followed by a title.
        for i in range(0, len(lines) - 1, 2):
            if _looks_like_title(lines[i + 1][1]) and not _looks_like_title(lines[i + 2][1]):
                n, title = lines[i]
                break
        else:
            n, title = lines[-1]
        raise InputError(path, f"title {title!r} has no abstract", line=n)
    for k in range(0, len(lines), 2):
        (n, title), (_, abstract) = lines[k], lines[k + 1]
        yield make_record(path, k // 2 + 1, n, {"title": title, "abstract": abstract})
