"""Resolve: one graph node per real thing across papers.

Surface forms are folded (case, hyphens and dashes, a crude plural, unicode
compatibility forms), and an abbreviation is joined to its long form when some
paper writes both, so "Low-Rank Adaptation", "low-rank adaptations" and "LoRA"
end up in one :class:`~kgraph.model.Entity` with every form kept as an alias.
Entities of different types stay apart.

Examples
--------
>>> from kgraph.model import ExtractedEntity, Paper, PaperEntities
>>> a = PaperEntities(Paper("p1", "T1", "A."), [ExtractedEntity("Low-Rank Adaptation", "method", aliases=["LoRA"])])
>>> b = PaperEntities(Paper("p2", "T2", "B."), [ExtractedEntity("LoRA", "method")])
>>> papers, entities = resolve([a, b])
>>> [(e.id, e.name, e.support) for e in entities]
[('method/low-rank-adaptation', 'Low-Rank Adaptation', 2)]
>>> papers[1].entities[0].entity
'method/low-rank-adaptation'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from kgraph.model import Entity, PaperEntities

_DASHES = re.compile(r"[-_/\u2010-\u2015\u2212]")
_DROP = re.compile(r"[^\w\s.+]")


def fold(form: str) -> str:
    """The key two spellings of one name share.

    Examples
    --------
    >>> fold("Vision-Transformers") == fold("vision transformer")
    True
    >>> fold("ResNet-50")
    'resnet 50'
    """
    s = unicodedata.normalize("NFKC", form).lower().replace("\u2019", "'")
    s = _DASHES.sub(" ", s)
    s = _DROP.sub("", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"(?<=[a-z]{3})s$", "", s)


def slug(text: str) -> str:
    """A readable, IRI-safe id part: folded words joined by hyphens, non-ASCII kept as is.

    Examples
    --------
    >>> slug("GPT-4 (0613)")
    'gpt-4-0613'
    """
    s = fold(text).replace(".", "-").replace("+", "-plus")
    s = re.sub(r"[^\w]+", "-", s, flags=re.UNICODE).strip("-")
    return s or "x"


class _Sets:
    """Union-find over form keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _is_short(form: str) -> bool:
    return len(form) <= 12 and " " not in form and any(c.isupper() for c in form[1:])


def resolve(papers: Iterable[PaperEntities]) -> tuple[list[PaperEntities], list[Entity]]:
    """Assign every extracted entity a shared entity id; return the papers and the entities.

    Two forms are joined when they fold to the same key, or when one paper gives
    them as name and alias of one entity. A short form (an abbreviation) that two
    papers expand differently is not used to join them.
    """
    papers = list(papers)
    sets = _Sets()
    expansions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pe in papers:
        for e in pe.entities:
            pairs = [(f, fold(f)) for f in e.forms() if fold(f)]
            long_keys = {k for f, k in pairs if not _is_short(f)}
            for f, k in pairs:
                if _is_short(f):
                    expansions[(e.type, k)] |= long_keys
    ambiguous = {key for key, longs in expansions.items() if len(longs) > 1}
    for pe in papers:
        for e in pe.entities:
            keys = [
                (e.type, fold(f))
                for f in e.forms()
                if fold(f) and not (((e.type, fold(f)) in ambiguous) and len(e.forms()) > 1)
            ]
            if not keys:
                keys = [(e.type, fold(e.name))]
            for k in keys:
                sets.find(f"{k[0]}\t{k[1]}")
            for k in keys[1:]:
                sets.union(f"{keys[0][0]}\t{keys[0][1]}", f"{k[0]}\t{k[1]}")

    members: dict[str, list[tuple[PaperEntities, int]]] = defaultdict(list)
    root_of: dict[tuple[int, int], str] = {}
    for pi, pe in enumerate(papers):
        for ei, e in enumerate(pe.entities):
            key = f"{e.type}\t{fold(e.name) or e.name}"
            if (e.type, fold(e.name)) in ambiguous and len(e.forms()) > 1:
                key = f"{e.type}\t{fold(e.forms()[1])}"
            root = sets.find(key)
            root_of[(pi, ei)] = root
            members[root].append((pe, ei))

    entities: dict[str, Entity] = {}
    id_of_root: dict[str, str] = {}
    for root in sorted(members):
        group = [pe.entities[ei] for pe, ei in members[root]]
        name = _canonical(group)
        etype = group[0].type
        base = f"{etype}/{slug(name)}"
        eid, n = base, 2
        while eid in entities:
            eid, n = f"{base}-{n}", n + 1
        forms = sorted({f for e in group for f in e.forms()} - {name})
        pids = sorted({pe.paper.id for pe, _ in members[root]})
        entities[eid] = Entity(
            id=eid,
            name=name,
            type=etype,
            aliases=forms,
            named=Counter(e.named for e in group).most_common(1)[0][0],
            papers=pids,
        )
        id_of_root[root] = eid

    out: list[PaperEntities] = []
    for pi, pe in enumerate(papers):
        ents = [
            replace(e, entity=id_of_root[root_of[(pi, ei)]]) for ei, e in enumerate(pe.entities)
        ]
        out.append(PaperEntities(paper=pe.paper, entities=ents))
    return out, sorted(entities.values(), key=lambda e: e.id)


def _canonical(group: list) -> str:
    """The most common long name of a group (ties: the shorter, then alphabetical)."""
    counts = Counter(e.name for e in group)
    return sorted(counts, key=lambda n: (-counts[n], _is_short(n), len(n), n))[0]
