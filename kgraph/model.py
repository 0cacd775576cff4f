"""The plain data that flows between the stages.

ingest yields :class:`Paper`; extract turns each into a :class:`PaperEntities`
holding :class:`ExtractedEntity` objects with their :class:`Mention` evidence;
resolve fills in :attr:`ExtractedEntity.entity` and returns one :class:`Entity`
per real thing across papers. Nothing here imports spaCy, networkx or rdflib.

Offsets in a :class:`Mention` index :attr:`Paper.text`, the title, a newline and
the abstract.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

ENTITY_TYPES: tuple[str, ...] = ("method", "dataset", "benchmark", "task", "metric")
ROLES: tuple[str, ...] = ("proposed", "used")


def title_key(title: str) -> str:
    """The key two records of one paper share: letters and digits, lower case.

    Examples
    --------
    >>> title_key("LoRA: Low-Rank Adaptation!")
    'loralowrankadaptation'
    """
    return re.sub(r"\W+", "", title.lower()).replace("_", "")


def paper_id(title: str) -> str:
    """A paper's stable id: the first ten hex digits of SHA-1 of its title key.

    Examples
    --------
    >>> paper_id("LoRA: Low-Rank Adaptation") == paper_id("lora -- low rank adaptation")
    True
    >>> len(paper_id("Anything"))
    10
    """
    return hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:10]


def id_bucket(paper_id: str, buckets: int) -> int:
    """A stable bucket (0 to ``buckets`` - 1) of a paper id, for shards and data splits.

    Examples
    --------
    >>> id_bucket("d1dc1d776e", 4) == id_bucket("d1dc1d776e", 4) < 4
    True
    """
    return int(hashlib.sha1(paper_id.encode("utf-8")).hexdigest(), 16) % buckets


@dataclass(frozen=True, order=True)
class Source:
    """Where one copy of a paper was read: the file and the record's number in it (1-based)."""

    file: str
    record: int
    line: int | None = None


@dataclass
class Paper:
    """One distinct paper after ingest, with every source it was read from."""

    id: str
    title: str
    abstract: str
    sources: list[Source] = field(default_factory=list)
    year: int | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None

    @property
    def text(self) -> str:
        """The text mentions index: the title, a newline, the abstract."""
        return f"{self.title}\n{self.abstract}"


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity: character offsets into ``Paper.text`` and its sentence."""

    start: int
    end: int
    text: str
    sentence: str


@dataclass
class ExtractedEntity:
    """One entity of one paper, as the extractor found it."""

    name: str
    type: str
    role: str = "used"
    aliases: list[str] = field(default_factory=list)
    named: bool = False
    confidence: float | None = None
    mentions: list[Mention] = field(default_factory=list)
    entity: str | None = None  # id of the shared graph node, set by resolve

    def forms(self) -> list[str]:
        """The name followed by every alias."""
        return [self.name, *self.aliases]


@dataclass
class PaperEntities:
    """A paper and the entities extracted from it."""

    paper: Paper
    entities: list[ExtractedEntity] = field(default_factory=list)

    @classmethod
    def from_record(cls, rec: dict) -> PaperEntities:
        """The inverse of :meth:`to_record` (``entity`` ids are dropped: resolve sets them anew).

        Examples
        --------
        >>> pe = PaperEntities(Paper("p", "T", "A."), [ExtractedEntity("X", "method")])
        >>> PaperEntities.from_record(pe.to_record()) == pe
        True
        """
        paper = Paper(
            id=str(rec["id"]),
            title=rec["title"],
            abstract=rec["abstract"],
            sources=[Source(**s) for s in rec.get("sources", [])],
            year=rec.get("year"),
            authors=list(rec.get("authors", [])),
            url=rec.get("url"),
        )
        ents = [
            ExtractedEntity(
                name=e["name"],
                type=e["type"],
                role=e.get("role", "used"),
                aliases=list(e.get("aliases", [])),
                named=bool(e.get("named", False)),
                confidence=e.get("confidence"),
                mentions=[Mention(**m) for m in e.get("mentions", [])],
            )
            for e in rec.get("entities", [])
        ]
        return cls(paper=paper, entities=ents)

    def to_record(self) -> dict:
        """The ``papers.jsonl`` record: the gold record format plus sources and evidence."""
        p = self.paper
        rec: dict = {"id": p.id, "title": p.title, "abstract": p.abstract}
        if p.year is not None:
            rec["year"] = p.year
        if p.authors:
            rec["authors"] = p.authors
        if p.url:
            rec["url"] = p.url
        rec["sources"] = [asdict(s) for s in p.sources]
        rec["entities"] = [
            {
                "name": e.name,
                "aliases": e.aliases,
                "type": e.type,
                "role": e.role,
                "named": e.named,
                "confidence": e.confidence,
                "entity": e.entity,
                "mentions": [asdict(m) for m in e.mentions],
            }
            for e in self.entities
        ]
        return rec


@dataclass
class Entity:
    """One graph node: a real thing shared across papers."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    named: bool = False
    papers: list[str] = field(default_factory=list)  # ids of papers that mention it

    @property
    def support(self) -> int:
        """How many papers mention the entity."""
        return len(self.papers)
