"""Evaluate: score predicted paper entities against gold, by the rules of the
annotation guidelines (``../shared/gold/GUIDELINES.md``).

Papers are matched by title key (or by id where a gold record has no title);
a prediction hits a gold entity of the same paper when any normalised form of
one equals any of the other, one to one and greedy in gold order.

Examples
--------
>>> gold = [{"id": "1", "title": "T", "entities": [
...     {"name": "Low-Rank Adaptation", "aliases": ["LoRA"], "type": "method", "role": "proposed", "named": True},
...     {"name": "accuracy", "aliases": [], "type": "metric", "role": "used", "named": False}]}]
>>> pred = [{"id": "1", "title": "T", "entities": [
...     {"name": "LoRA", "aliases": [], "type": "method", "role": "proposed"},
...     {"name": "GLUE", "aliases": [], "type": "benchmark", "role": "used"}]}]
>>> s = score(gold, pred)
>>> s["typed"], s["named_recall"], s["proposed"]
({'p': 50.0, 'r': 50.0, 'f': 50.0}, 100.0, {'p': 100.0, 'r': 100.0, 'f': 100.0})
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from kgraph.errors import InputError
from kgraph.model import ENTITY_TYPES


def norm(form: str) -> str:
    """A surface form as the scoring rules compare it."""
    s = form.lower().replace("\u2019", "'")
    s = re.sub(r"[-_/\u2010-\u2015]", " ", s)
    s = re.sub(r"[^\w\s.+]", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"(?<=[a-z]{3})s$", "", s)


def _forms(e: dict) -> set[str]:
    return {norm(x) for x in [e.get("name", ""), *(e.get("aliases") or [])] if x and norm(x)}


def _key(title: str | None) -> str:
    return re.sub(r"\W+", "", (title or "").lower())


def load_records(path: str | Path) -> list[dict]:
    """The records of a JSON Lines file of papers; a bad line fails with its number."""
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"invalid UTF-8 ({exc.reason})") from None
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(str(path), f"invalid JSON ({exc.msg})", line=n) from None
            if not isinstance(rec, dict) or not isinstance(rec.get("entities", []), list):
                raise InputError(str(path), "expected an object with an 'entities' list", line=n)
            out.append(rec)
    return out


def align(gold: list[dict], pred: list[dict]) -> list[tuple[list[dict], list[dict]]]:
    """Each gold paper's entities with the predicted entities of the same paper."""
    by_title = {_key(r["title"]): r.get("entities") or [] for r in pred if r.get("title")}
    by_id = {str(r["id"]): r.get("entities") or [] for r in pred if r.get("id") is not None}
    out = []
    for g in gold:
        if g.get("title"):
            p = by_title.get(_key(g["title"]))
            if p is None and g.get("id") is not None:
                p = by_id.get(str(g["id"]))
        else:
            p = by_id.get(str(g.get("id")))
        out.append((g.get("entities") or [], p or []))
    return out


def _match(gold: list[dict], pred: list[dict], same: Callable[[dict, dict], bool]) -> list:
    pairs, used = [], set()
    for g in gold:
        gf = _forms(g)
        for j, p in enumerate(pred):
            if j not in used and same(g, p) and gf & _forms(p):
                pairs.append((g, p))
                used.add(j)
                break
    return pairs


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f": round(100 * f, 1)}


def _data(t: str) -> str:
    return "data" if t in ("dataset", "benchmark") else t


def _untyped_prf(pairs: list[tuple[list[dict], list[dict]]], keep: Callable[[dict], bool]) -> dict:
    """P/R/F1 of the gold and predicted entities that ``keep`` selects, matched by form."""
    kept = [([e for e in g if keep(e)], [e for e in p if keep(e)]) for g, p in pairs]
    tp = sum(len(_match(g, p, lambda a, b: True)) for g, p in kept)
    return _prf(tp, sum(len(p) for _, p in kept), sum(len(g) for g, _ in kept))


def score(gold: list[dict], pred: list[dict]) -> dict:
    """Every score of the guidelines: typed, data-merged, untyped, per type, named recall,
    role accuracy on matched entities, and P/R/F1 of proposed entities; and the F1 of
    datasets and benchmarks as one type (``data_class``)."""
    pairs = align(gold, pred)
    res: dict = {}
    rules = {
        "typed": lambda g, p: g.get("type") == p.get("type"),
        "data_merged": lambda g, p: _data(g.get("type", "")) == _data(p.get("type", "")),
        "untyped": lambda g, p: True,
    }
    for name, same in rules.items():
        tp = sum(len(_match(g, p, same)) for g, p in pairs)
        res[name] = _prf(tp, sum(len(p) for _, p in pairs), sum(len(g) for g, _ in pairs))
    res["per_type"] = {
        t: _untyped_prf(pairs, lambda e, t=t: e.get("type") == t) for t in ENTITY_TYPES
    }
    # datasets and benchmarks as one type, scored alone (``data_merged`` above is the typed
    # score over every type with the merge)
    res["data_class"] = _untyped_prf(pairs, lambda e: _data(e.get("type", "")) == "data")
    named = [([e for e in g if e.get("named")], p) for g, p in pairs]
    hit = sum(len(_match(g, p, lambda a, b: True)) for g, p in named)
    n_named = sum(len(g) for g, _ in named)
    res["named_recall"] = round(100 * hit / n_named, 1) if n_named else 0.0
    matched = [m for g, p in pairs for m in _match(g, p, lambda a, b: True)]
    agree = sum(g.get("role") == p.get("role") for g, p in matched)
    res["role_accuracy"] = round(100 * agree / len(matched), 1) if matched else 0.0
    res["proposed"] = _untyped_prf(pairs, lambda e: e.get("role") == "proposed")
    res["papers"] = len(pairs)
    res["gold_entities"] = sum(len(g) for g, _ in pairs)
    res["predicted_entities"] = sum(len(p) for _, p in pairs)
    return res


def format_table(res: dict) -> str:
    """The scores as a plain-text table."""
    rows = [("score", "P", "R", "F1")]
    for name in ("typed", "data_merged", "untyped"):
        r = res[name]
        rows.append((name, f"{r['p']:.1f}", f"{r['r']:.1f}", f"{r['f']:.1f}"))
    for t, r in res["per_type"].items():
        rows.append((f"  {t}", f"{r['p']:.1f}", f"{r['r']:.1f}", f"{r['f']:.1f}"))
    r = res["data_class"]
    rows.append(("  dataset+benchmark", f"{r['p']:.1f}", f"{r['r']:.1f}", f"{r['f']:.1f}"))
    r = res["proposed"]
    rows.append(("proposed", f"{r['p']:.1f}", f"{r['r']:.1f}", f"{r['f']:.1f}"))
    width = max(len(r[0]) for r in rows)
    lines = [f"{a:<{width}}  {b:>6}  {c:>6}  {d:>6}" for a, b, c, d in rows]
    lines.append(f"named recall  {res['named_recall']:.1f}")
    lines.append(f"role accuracy {res['role_accuracy']:.1f}")
    lines.append(
        f"papers {res['papers']}, gold entities {res['gold_entities']}, "
        f"predicted {res['predicted_entities']}"
    )
    return "\n".join(lines)


def evaluate_files(gold_path: str | Path, pred_path: str | Path) -> dict:
    """Scores of a predictions file against a gold file."""
    return score(load_records(gold_path), load_records(pred_path))
