"""arXiv API Atom XML: each ``entry`` gives a title, ``summary``, id, date, authors, link."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from kgraph.errors import InputError
from kgraph.ingest.record import RawRecord, make_record

ATOM = "{http://www.w3.org/2005/Atom}"


def _arxiv_id(raw: str) -> str:
    m = re.search(r"arxiv\.org/abs/([^\s]+?)(v\d+)?$", raw)
    return m.group(1) if m else raw


def read(path: str, text: str) -> Iterator[RawRecord]:
    """Records of one Atom feed."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise InputError(path, "XML with a DOCTYPE or entity declarations is not accepted")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(
            path, f"malformed XML ({exc.msg if hasattr(exc, 'msg') else exc})", line=line
        ) from None
    if root.tag != f"{ATOM}feed":
        raise InputError(path, f"not an Atom feed (root element {root.tag!r})")
    for k, entry in enumerate(root.findall(f"{ATOM}entry"), 1):
        link = next(
            (
                a.get("href")
                for a in entry.findall(f"{ATOM}link")
                if a.get("rel") in (None, "alternate")
            ),
            None,
        )
        yield make_record(
            path,
            k,
            None,
            {
                "title": entry.findtext(f"{ATOM}title"),
                "abstract": entry.findtext(f"{ATOM}summary"),
                "id": _arxiv_id((entry.findtext(f"{ATOM}id") or "").strip()) or None,
                "year": (entry.findtext(f"{ATOM}published") or "")[:4],
                "authors": [
                    a.findtext(f"{ATOM}name") or "" for a in entry.findall(f"{ATOM}author")
                ],
                "url": link,
            },
        )
