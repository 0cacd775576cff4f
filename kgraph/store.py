"""Store: the embedded Oxigraph store a build writes to ``output/store/``, and SPARQL over it.

:func:`write_store` bulk-loads triples (or an RDF file) into a fresh store folder;
:func:`open_store` opens one, read-only by default; :func:`query` runs SPARQL
and gives a :class:`QueryResult`; :func:`format_result` renders it as a table,
SPARQL CSV or SPARQL JSON; :func:`run_query` does all of it for the command line.
The instance data is the default graph; the ontology is the named graph
``https://w3id.org/kgraph/ns``. Queries may use the prefixes of
:data:`kgraph.namespace.PREFIXES` without declaring them.

Examples
--------
>>> import tempfile
>>> from rdflib import Literal, URIRef
>>> d = tempfile.mkdtemp()
>>> s = URIRef("https://w3id.org/kgraph/paper/p1")
>>> write_store([(s, URIRef("http://purl.org/dc/terms/title"), Literal("LoRA"))], d + "/store")
1
>>> print(run_query(d + "/store", "SELECT ?paper ?title WHERE { ?paper dcterms:title ?title }"))
paper    | title
---------+------
paper:p1 | LoRA
(1 row)
>>> run_query(d + "/store", "SELECT ?x WHERE { ?x ?p }")
Traceback (most recent call last):
...
kgraph.errors.QueryError: malformed SPARQL query: error at 1:26: expected one of LATERAL, SERVICE, [_] (line 1: 'SELECT ?x WHERE { ?x ?p }')
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgraph.errors import InputError, QueryError, StoreError, UnknownNameError
from kgraph.export.rdf import Triple, nt_term
from kgraph.namespace import DEFAULT_BASE_IRI, ONTOLOGY_IRI, PREFIXES, instance_prefixes

#: Output formats of :func:`format_result`.
FORMATS: tuple[str, ...] = ("table", "csv", "json")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte", "gYear",
    )
}  # fmt: skip
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_STRING_TYPES = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_POSITION = re.compile(r"error at (\d+):(\d+)")
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


@dataclass
class QueryResult:
    """The answer to a query.

    ``kind`` is ``"select"`` (rows of ``columns``), ``"ask"`` (``boolean``) or
    ``"graph"`` (CONSTRUCT and DESCRIBE: rows of subject, predicate, object).
    Rows hold pyoxigraph terms, ``None`` where a variable is unbound.
    """

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    prefixes: dict[str, str] = field(default_factory=dict, repr=False)

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts of plain Python values (see :func:`to_python`)."""
        return [
            {c: to_python(t) for c, t in zip(self.columns, row, strict=True)} for row in self.rows
        ]


# --- writing and opening ----------------------------------------------------------------------


def is_store(directory: str | Path) -> bool:
    """Whether a folder holds an Oxigraph (RocksDB) store."""
    d = Path(directory)
    return (d / "CURRENT").is_file() and any(d.glob("OPTIONS-*"))


def write_store(
    source: str | Path | bytes | Iterable[Triple],
    directory: str | Path,
    *,
    ontology: bool = True,
) -> int:
    """Bulk-load triples into a new store at ``directory``; return the number of data triples.

    Parameters
    ----------
    source : path, bytes or iterable of triples
        An RDF file (format by extension: ``.nt``, ``.ttl``, ``.jsonld``, ...),
        N-Triples bytes, or rdflib triples such as :func:`kgraph.export.rdf.generate_triples` yields.
    directory : path
        The store folder. It is written beside and swapped in at the end, so a
        failed load leaves the old store; an existing folder that is not a store
        (and not empty) is refused with :class:`~kgraph.errors.StoreError`.
    ontology : bool
        Also load ``ontology/kgraph.ttl`` into the named graph ``https://w3id.org/kgraph/ns``.
    """
    target = Path(directory)
    if target.exists() and not (
        target.is_dir() and (is_store(target) or not any(target.iterdir()))
    ):
        raise StoreError(f"{target} exists and is not a kgraph store; refusing to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        _bulk_load(store, source)
        if ontology:
            _load_ontology(store)
        answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        count = int(next(iter(answer))["n"].value)  # type: ignore[index, union-attr]
        store.flush()
        del store, answer
        gc.collect()  # pyoxigraph closes the database when the Store is freed
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as err:
        raise StoreError(f"cannot write the store {target}: {err}") from err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return count


def memory_store(
    source: str | Path | bytes | Iterable[Triple], *, ontology: bool = False
) -> ox.Store:
    """An in-memory store of ``source`` (as for :func:`write_store`), for tests and notebooks."""
    store = ox.Store()
    _bulk_load(store, source)
    if ontology:
        _load_ontology(store)
    return store


def _load_ontology(store: ox.Store) -> None:
    store.bulk_load(
        path=str(ontology_file("kgraph.ttl")),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(ONTOLOGY_IRI),
    )


def _bulk_load(store: ox.Store, source: str | Path | bytes | Iterable[Triple]) -> None:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InputError(str(path), "no such RDF file")
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise InputError(str(path), "unknown RDF file extension; use .nt, .ttl, .jsonld, ...")
        try:
            store.bulk_load(path=str(path), format=fmt)
        except SyntaxError as err:
            raise InputError(str(path), f"malformed RDF: {err}") from None
        return
    if not isinstance(source, bytes):
        lines = (f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in source)
        source = "".join(lines).encode("utf-8")
    try:
        store.bulk_load(input=source, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as err:
        raise InputError("<N-Triples>", f"malformed RDF: {err}") from None


def open_store(directory: str | Path, read_only: bool = True) -> ox.Store:
    """Open the store at ``directory``; a missing folder or one that is no store is a StoreError."""
    d = Path(directory)
    if not d.exists():
        raise StoreError(f"no store at {d}: run `kgraph build` first (it writes output/store/)")
    if not is_store(d):
        raise StoreError(f"{d} is not an Oxigraph store (no CURRENT and OPTIONS files in it)")
    try:
        return ox.Store.read_only(str(d)) if read_only else ox.Store(str(d))
    except OSError as err:
        raise StoreError(f"cannot open the store {d}: {err}") from err


def ontology_file(name: str) -> Path:
    """A file of the packaged ontology folder: ``kgraph.ttl`` or ``shapes.ttl``."""
    return Path(str(resources.files("kgraph") / "ontology" / name))


def example_queries() -> dict[str, Path]:
    """The example queries shipped in ``queries/``, by name (the file name without ``.rq``)."""
    folder = Path(str(resources.files("kgraph") / "queries"))
    return {p.stem: p for p in sorted(folder.glob("*.rq"))}


# --- querying -----------------------------------------------------------------------------


def query(store: ox.Store | str | Path, sparql: str, *, source: str = "") -> QueryResult:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) on a store or a store folder.

    A malformed query raises :class:`~kgraph.errors.QueryError` with the parser's
    message and position (``line`` and ``column`` attributes); ``source`` names
    the query in messages, e.g. its file.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> query(ox.Store(), "ASK { ?s ?p ?o }").boolean
    False
    >>> err = None
    >>> try:
    ...     query(ox.Store(), "SELECT * WHERE {\\n  ?s ?p ?o .\\n  FILTER( }", source="q.rq")
    ... except QueryError as e:
    ...     err = e
    >>> err.line, err.column
    (3, 12)
    >>> print(err)  # doctest: +ELLIPSIS
    malformed SPARQL query in q.rq: error at 3:12: expected one of ABS, ... (line 3: '  FILTER( }')
    """
    if not isinstance(store, ox.Store):
        store = open_store(store)
    where = f" in {source}" if source else ""
    prefixes = store_prefixes(store)
    try:
        answer = store.query(sparql, prefixes=prefixes)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer), prefixes=prefixes)
        if isinstance(answer, ox.QueryTriples):
            rows = [(t.subject, t.predicate, t.object) for t in answer]
            return QueryResult("graph", ["subject", "predicate", "object"], rows, None, prefixes)
        columns = [v.value for v in answer.variables]
        rows = [tuple(solution) for solution in answer]
        return QueryResult("select", columns, rows, None, prefixes)
    except SyntaxError as err:
        raise _syntax_error(sparql, str(err), where) from None
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(f"SPARQL query{where} failed: {err}") from None


def store_base_iri(store: ox.Store) -> str | None:
    """The base IRI of the instance data in a store (from its entity scheme), or None."""
    found = store.query(
        "SELECT ?s WHERE { ?s a <http://www.w3.org/2004/02/skos/core#ConceptScheme> } LIMIT 1"
    )
    for solution in found:  # type: ignore[union-attr]
        iri = solution["s"].value
        if iri.endswith("entities"):
            return iri[: -len("entities")]
    return None


def store_prefixes(store: ox.Store) -> dict[str, str]:
    """The prefixes queries on a store may use undeclared: the vocabulary's and its data's.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store_prefixes(ox.Store())["paper"]
    'https://w3id.org/kgraph/paper/'
    """
    base = store_base_iri(store) or DEFAULT_BASE_IRI
    return {**PREFIXES, **instance_prefixes(base)}


def _syntax_error(sparql: str, message: str, where: str) -> QueryError:
    if _UPDATE.match(sparql):
        return QueryError(
            f"SPARQL update{where} refused: the store is read-only and answers queries "
            "(SELECT, ASK, CONSTRUCT, DESCRIBE) only"
        )
    line = column = None
    message = " ".join(message.split())  # one line
    if len(message) > 300:
        message = message[:297] + "..."
    text = f"malformed SPARQL query{where}: {message}"
    found = _POSITION.search(message)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        lines = sparql.splitlines()
        if 1 <= line <= len(lines):
            text += f" (line {line}: {lines[line - 1][:120]!r})"
    err = QueryError(text)
    err.line, err.column = line, column  # type: ignore[attr-defined]
    return err


def read_query(query_or_file: str | Path) -> tuple[str, str]:
    """The query text and a name for messages, from a file, an example name or the text itself.

    An existing file is read; a name in :func:`example_queries` (with or without
    ``.rq``) is the shipped example; anything else is taken as SPARQL text, except
    a lone word ending in ``.rq``, which is a missing file.
    """
    text = str(query_or_file)
    path = Path(text)
    try:
        is_file = "\n" not in text and path.is_file()
    except (OSError, ValueError):  # too long, or not a possible file name: query text
        is_file = False
    if is_file:
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(str(path), f"cannot read the query: {err}") from None
    examples = example_queries()
    name = text.removesuffix(".rq")
    if name in examples:
        return examples[name].read_text(encoding="utf-8"), examples[name].name
    if text.endswith(".rq") and not any(c.isspace() for c in text):
        raise InputError(text, f"no such query file; example queries: {', '.join(examples)}")
    return text, ""


def run_query(store_dir: str | Path, query_or_file: str | Path, fmt: str = "table") -> str:
    """Run a query (text, ``.rq`` file or example name) on the store folder; the text to print.

    The CLI's ``kgraph query`` calls this; errors are QueryError, StoreError,
    InputError or UnknownNameError, each a one-line message.
    """
    if fmt not in FORMATS:
        raise UnknownNameError("query output format", fmt, list(FORMATS))
    sparql, source = read_query(query_or_file)
    return format_result(query(open_store(store_dir), sparql, source=source), fmt)


def with_values(sparql: str, variables: str | tuple[str, ...], rows: Iterable[Any]) -> str:
    """The query with its ``VALUES`` block for ``variables`` replaced by ``rows``.

    The example queries take their parameters in such a block. A row is a value,
    or a tuple of values for several variables: str (a literal), int, float, or
    ``("iri", "http://...")`` style pyoxigraph terms.

    Examples
    --------
    >>> q = 'SELECT * WHERE {\\n  VALUES ?name { "GLUE" }\\n}'
    >>> print(with_values(q, "name", ["ImageNet", 'say "hi"']))
    SELECT * WHERE {
      VALUES ?name { "ImageNet" "say \\"hi\\"" }
    }
    """
    names = (variables,) if isinstance(variables, str) else tuple(variables)
    heads = [rf"[?$]{re.escape(n)}" for n in names]
    head = heads[0] if len(names) == 1 else r"\(\s*" + r"\s+".join(heads) + r"\s*\)"
    pattern = re.compile(r"VALUES\s+" + head + r"\s*\{[^}]*\}", re.IGNORECASE)
    if not pattern.search(sparql):
        raise QueryError(f"the query has no VALUES block for {', '.join(names)}")

    def row_text(row: Any) -> str:
        values = row if len(names) > 1 else (row,)
        if len(values) != len(names):
            raise QueryError(f"VALUES row {row!r} does not have {len(names)} values")
        cells = " ".join(_sparql_value(v) for v in values)
        return f"({cells})" if len(names) > 1 else cells

    vars_text = " ".join(f"?{n}" for n in names)
    vars_text = f"({vars_text})" if len(names) > 1 else vars_text
    block = f"VALUES {vars_text} {{ {' '.join(row_text(r) for r in rows)} }}"
    return pattern.sub(lambda _: block, sparql, count=1)


def _sparql_value(value: Any) -> str:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return str(value)
    if value is None:
        return "UNDEF"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return str(ox.Literal(str(value)))


# --- values and formats ---------------------------------------------------------------------


def to_python(term: Any) -> Any:
    """A pyoxigraph term as a plain value.

    IRIs become str, blank nodes ``"_:id"``, integer literals (and xsd:gYear)
    int, decimal and floating point ones float, booleans bool, other literals
    their text; an unbound variable is None.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> xsd = "http://www.w3.org/2001/XMLSchema#"
    >>> [to_python(t) for t in (ox.NamedNode("http://ex.org/a"), ox.Literal("3", datatype=ox.NamedNode(xsd + "integer")), ox.Literal("é", language="fr"), None)]
    ['http://ex.org/a', 3, 'é', None]
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGERS:
                return int(term.value)
            if dt in _FLOATS:
                return float(term.value)
        except ValueError:
            return term.value
        if dt == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """The result as ``table`` (aligned, prefixed IRIs), ``csv`` (SPARQL 1.1 CSV) or ``json``
    (SPARQL 1.1 Query Results JSON)."""
    if fmt == "table":
        return _table(result)
    if fmt == "csv":
        return _csv(result)
    if fmt == "json":
        return _json(result)
    raise UnknownNameError("query output format", fmt, list(FORMATS))


def _short(term: Any, prefixes: list[tuple[str, str]]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for prefix, ns in prefixes:
            if iri.startswith(ns) and not any(c in iri[len(ns) :] for c in "/#?"):
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value.replace("\n", " ")
    return str(term)


def _table(result: QueryResult) -> str:
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    prefixes = result.prefixes or {**PREFIXES, **instance_prefixes(DEFAULT_BASE_IRI)}
    longest_first = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    cells = [[_short(t, longest_first) for t in row] for row in result.rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(result.columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [
        " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    n = len(result.rows)
    lines.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(lines)


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if hasattr(term, "value") else str(term)


def _csv(result: QueryResult) -> str:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        out.writerow(["boolean"])
        out.writerow(["true" if result.boolean else "false"])
    else:
        out.writerow(result.columns)
        out.writerows([_csv_value(t) for t in row] for row in result.rows)
    return buf.getvalue()


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in _STRING_TYPES:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        data: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {c: _json_term(t) for c, t in zip(result.columns, row, strict=True) if t is not None}
            for row in result.rows
        ]
        data = {"head": {"vars": result.columns}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, indent=2)
