"""The command line: each command parses its options, calls one library function,
and turns kgraph's errors into ``Error: ...`` and exit code 1, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kgraph import __version__
from kgraph.errors import KgraphError


def _build(args: argparse.Namespace) -> None:
    from kgraph.build import build

    summary = build(
        args.paths,
        args.output,
        model=None if args.rules else (args.model or "shipped"),
        base_iri=args.base_iri,
        html=not args.no_html,
        progress=not args.quiet,
        extracted=args.extracted,
    )
    if not args.quiet:
        print("\n".join(summary.lines()))


def _extract(args: argparse.Namespace) -> None:
    import os
    import tempfile

    from kgraph.build import extract, write_papers

    result, papers, _ = extract(
        args.paths,
        model=None if args.rules else (args.model or "shipped"),
        progress=not args.quiet,
        shard=args.shard,
    )
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(fd)
    try:
        write_papers(papers, Path(tmp))
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    if not args.quiet:
        n = sum(len(p.entities) for p in papers)
        print(f"{result.records} records, {len(papers)} papers, {n} entities -> {out}")


def _evaluate(args: argparse.Namespace) -> None:
    from kgraph.evaluate import evaluate_files, format_table

    res = evaluate_files(args.gold, args.pred)
    print(json.dumps(res, indent=2) if args.json else format_table(res))


def _train(args: argparse.Namespace) -> None:
    from kgraph.train import train

    print(train(args.config, args.output, shared=args.shared, seed=args.seed))


def _query(args: argparse.Namespace) -> None:
    from kgraph.store import run_query

    sys.stdout.write(run_query(args.store, args.query, args.format))


def _serve(args: argparse.Namespace) -> None:
    from kgraph.serve import serve

    serve(args.store, args.host, args.port)


def _export(args: argparse.Namespace) -> None:
    from kgraph.export import FORMATS, writer
    from kgraph.knowledge_graph import KnowledgeGraph

    fmt = FORMATS.get(args.format)
    write = writer(args.format)
    G = KnowledgeGraph.load(args.source).graph
    dest = Path(args.output) if args.output else Path(args.source) / fmt.filename
    write(G, dest)
    print(f"wrote {dest}")


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N, e.g. 1/4") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"shard {text!r}: K must be from 1 to N")
    return k - 1, n


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    p = argparse.ArgumentParser(prog="kgraph", description=__doc__.split("\n")[0])
    p.add_argument("--version", action="version", version=f"kgraph {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def model_opts(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--model", help="a trained model folder (default: the shipped model)")
        sp.add_argument("--rules", action="store_true", help="rule-based extraction only, no model")
        sp.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")

    b = sub.add_parser(
        "build", help="papers to a knowledge graph: papers.jsonl, RDF, JSON, HTML, store"
    )
    b.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of papers")
    b.add_argument("-o", "--output", default="output", help="output folder (default: output/)")
    b.add_argument(
        "--base-iri", help="base IRI of papers and entities (default https://w3id.org/kgraph/)"
    )
    b.add_argument("--no-html", action="store_true", help="do not write graph.html")
    b.add_argument(
        "--extracted",
        action="store_true",
        help="PATHs are papers.jsonl files from kgraph extract (e.g. one per shard); skip extraction",
    )
    model_opts(b)
    b.set_defaults(func=_build)

    e = sub.add_parser("extract", help="the extraction alone, as papers.jsonl records")
    e.add_argument("paths", nargs="+", metavar="PATH")
    e.add_argument("-o", "--output", required=True, help="the JSON Lines file to write")
    e.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="only the papers of shard K of N (K from 1), to spread extraction over machines",
    )
    model_opts(e)
    e.set_defaults(func=_extract)

    v = sub.add_parser("evaluate", help="score predictions against gold annotations")
    v.add_argument("gold", help="gold JSON Lines (the guidelines' record format)")
    v.add_argument("pred", help="predicted JSON Lines (e.g. from kgraph extract)")
    v.add_argument("--json", action="store_true", help="print the scores as JSON")
    v.set_defaults(func=_evaluate)

    t = sub.add_parser("train", help="train the extraction model from a spaCy config")
    t.add_argument("config", help="the spaCy training config (configs/extractor.cfg)")
    t.add_argument("-o", "--output", required=True, help="folder for the trained model")
    t.add_argument("--shared", default=None, help="the shared folder (default: ../shared)")
    t.add_argument("--seed", type=int, default=0, help="random seed")
    t.set_defaults(func=_train)

    q = sub.add_parser("query", help="run a SPARQL query against the store")
    q.add_argument("query", help="a SPARQL query, or a .rq file")
    q.add_argument("--store", default="output/store", help="store folder (default: output/store)")
    q.add_argument("--format", default="table", choices=["table", "csv", "json"])
    q.set_defaults(func=_query)

    s = sub.add_parser("serve", help="serve the store as a read-only SPARQL endpoint")
    s.add_argument("--store", default="output/store", help="store folder (default: output/store)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    s.set_defaults(func=_serve)

    x = sub.add_parser("export", help="write a built graph in another format")
    x.add_argument("--format", required=True, help="ttl, nt, jsonld, graphml, json or html")
    x.add_argument("--from", dest="source", default="output", help="a build's output folder")
    x.add_argument("-o", "--output", help="file to write (default: in the output folder)")
    x.set_defaults(func=_export)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code is 0 on success, 1 on a kgraph error."""
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except KgraphError as exc:
        message = " ".join(line.strip() for line in str(exc).splitlines())
        print(f"Error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`kgraph query ... | head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
