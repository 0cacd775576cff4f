"""What every reader yields, and the checks all of them share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgraph.errors import InputError

_SPACE = re.compile(r"\s+")


@dataclass
class RawRecord:
    """One record as a file holds it, before copies of a paper are merged."""

    title: str
    abstract: str
    record: int
    line: int | None = None
    id: str | None = None
    year: int | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None


def decode(path: str, data: bytes) -> str:
    """UTF-8 text of a file (a BOM is dropped); invalid bytes fail with line and offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


def clean(value: object) -> str:
    """A field's text with runs of white space folded to one space."""
    return _SPACE.sub(" ", str(value)).strip() if value is not None else ""


def parse_year(path: str, line: int | None, value: object) -> int | None:
    """A year field as an int; empty is None, anything else but four digits fails."""
    text = clean(value)
    if not text:
        return None
    m = re.match(r"^(\d{4})", text)
    if not m:
        raise InputError(path, f"year {text!r} is not a year", line=line)
    return int(m.group(1))


def make_record(
    path: str,
    record: int,
    line: int | None,
    fields: dict,
) -> RawRecord:
    """A checked record from a mapping with ``title`` and ``abstract`` (and optional fields)."""
    title = clean(fields.get("title"))
    abstract = clean(fields.get("abstract"))
    if not title:
        raise InputError(path, f"record {record} has no title", line=line)
    if not abstract:
        raise InputError(path, f"title {title!r} has no abstract", line=line)
    authors = fields.get("authors") or []
    if isinstance(authors, str):
        authors = [a.strip() for a in re.split(r";|\band\b|,", authors) if a.strip()]
    elif not isinstance(authors, list):
        raise InputError(path, f"authors must be a list or a string, not {authors!r}", line=line)
    rid = clean(fields.get("id")) or None
    return RawRecord(
        title=title,
        abstract=abstract,
        record=record,
        line=line,
        id=rid,
        year=parse_year(path, line, fields.get("year")),
        authors=[clean(a) for a in authors if clean(a)],
        url=clean(fields.get("url")) or None,
    )
