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
from functools import lru_cache

from kgraph.model import Entity, PaperEntities

_DASHES = re.compile(r"[-_/\u2010-\u2015\u2212]")
_DROP = re.compile(r"[^\w\s.+]")


@lru_cache(maxsize=1 << 16)  # called for the same few strings many times a doc
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

    Two forms are joined when they fold to the same key (spaces and hyphens inside
    a name aside), or when one paper gives them as name and alias of one entity.
    A short form (an abbreviation) joins the long form that most papers give it;
    where papers disagree with no clear majority it stays a node of its own.
    """
    papers = list(papers)
    sets = _Sets()

    def node(etype: str, form: str) -> str:
        # hyphens and spaces inside a word do not matter: pre-training = pretraining
        return f"{etype}\t{fold(form).replace(' ', '')}"

    # What each short form (abbreviation) stands for, counted over the papers.
    expansions: dict[str, Counter[str]] = defaultdict(Counter)
    for pe in papers:
        for e in pe.entities:
            longs = {node(e.type, f) for f in e.forms() if fold(f) and not _is_short(f)}
            for f in e.forms():
                if fold(f) and _is_short(f):
                    for k in longs:
                        expansions[node(e.type, f)][k] += 1
    dominant: dict[str, str | None] = {}
    for short, counts in expansions.items():
        (top, n), *rest = counts.most_common(2) + [("", 0)]
        dominant[short] = top if n > 2 * rest[0][1] else None

    anchor: dict[tuple[int, int], str] = {}
    for pi, pe in enumerate(papers):
        for ei, e in enumerate(pe.entities):
            forms = [f for f in e.forms() if fold(f)] or [e.name]
            longs = [node(e.type, f) for f in forms if not _is_short(f)]
            shorts = [node(e.type, f) for f in forms if _is_short(f)]
            for k in longs[1:]:
                sets.union(longs[0], k)
            for k in shorts:
                sets.find(k)
                if dominant.get(k):
                    # the short form joins what most papers spell it out as; a paper
                    # that spells it out otherwise keeps its own long form apart
                    sets.union(dominant[k], k)
            anchor[(pi, ei)] = longs[0] if longs else shorts[0]

    members: dict[str, list[tuple[PaperEntities, int]]] = defaultdict(list)
    root_of: dict[tuple[int, int], str] = {}
    for pi, pe in enumerate(papers):
        for ei, _ in enumerate(pe.entities):
            root = sets.find(anchor[(pi, ei)])
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
