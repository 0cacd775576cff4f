"""Fixtures shared by the test modules: a small resolved corpus and its graph,
and the path to ../shared (tests that need it skip with a reason where it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.graph import build_graph
from kgraph.model import ExtractedEntity, Mention, Paper, PaperEntities, Source
from kgraph.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
SCIERC = SHARED / "data" / "scierc"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test, with the reason, when a ../shared path is absent."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent")


def _entity(paper: Paper, name: str, etype: str, role: str = "used", aliases=(), named=False):
    text = paper.text
    mentions = []
    for form in (name, *aliases):
        start = text.find(form)
        if start >= 0:
            end = start + len(form)
            stop = text.rfind(". ", 0, start)
            s0 = max(
                stop + 2 if stop >= 0 else 0,
                text.find("\n") + 1 if start > len(paper.title) else 0,
            )
            s1 = text.find(".", end)
            mentions.append(
                Mention(start, end, form, text[s0 : (s1 + 1 if s1 >= 0 else len(text))])
            )
    return ExtractedEntity(
        name=name,
        type=etype,
        role=role,
        aliases=list(aliases),
        named=named,
        confidence=0.9,
        mentions=mentions,
    )


def sample_corpus() -> list[PaperEntities]:
    """Three papers sharing a dataset, a benchmark, a metric and a method."""
    p1 = Paper(
        "p1",
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "We propose Low-Rank Adaptation (LoRA), which freezes GPT-3 weights. "
        "On the GLUE benchmark LoRA matches full fine-tuning in accuracy.",
        sources=[Source("a.txt", 1, 6)],
        year=2021,
    )
    p2 = Paper(
        "p2",
        'Vision adapters for "image classification" <fast>',
        "We apply LoRA to a ViT and train on ImageNet. Accuracy on ImageNet improves over "
        "full fine-tuning for image classification.",
        sources=[Source("a.txt", 2, 9), Source("b.jsonl", 1, 1)],
    )
    p3 = Paper(
        "p3",
        "The Caf\u00e9 benchmark for $\\alpha$-robust QA",
        "We introduce Caf\u00e9-QA, a benchmark for question answering. GPT-3 reaches 41% accuracy "
        "and we evaluate on GLUE too.",
        sources=[Source("c.csv", 1, 2)],
    )
    return [
        PaperEntities(
            p1,
            [
                _entity(p1, "Low-Rank Adaptation", "method", "proposed", ["LoRA"], named=True),
                _entity(p1, "GPT-3", "method", named=True),
                _entity(p1, "GLUE", "benchmark", named=True),
                _entity(p1, "fine-tuning", "method"),
                _entity(p1, "accuracy", "metric"),
            ],
        ),
        PaperEntities(
            p2,
            [
                _entity(p2, "LoRA", "method", named=True),
                _entity(p2, "ViT", "method", named=True),
                _entity(p2, "ImageNet", "dataset", named=True),
                _entity(p2, "Accuracy", "metric"),
                _entity(p2, "image classification", "task"),
                _entity(p2, "full fine-tuning", "method"),
            ],
        ),
        PaperEntities(
            p3,
            [
                _entity(p3, "Caf\u00e9-QA", "benchmark", "proposed", named=True),
                _entity(p3, "question answering", "task"),
                _entity(p3, "GPT-3", "method", named=True),
                _entity(p3, "accuracy", "metric"),
                _entity(p3, "GLUE", "benchmark", named=True),
            ],
        ),
    ]


@pytest.fixture
def corpus() -> list[PaperEntities]:
    """The sample corpus, resolved."""
    papers, _ = resolve(sample_corpus())
    return papers


@pytest.fixture
def entities():
    """The entities of the resolved sample corpus."""
    return resolve(sample_corpus())[1]


@pytest.fixture
def graph():
    """The networkx graph of the sample corpus."""
    papers, ents = resolve(sample_corpus())
    return build_graph(papers, ents)


# --- Headless Chromium, for the tests marked ``browser`` ----------------------
# A self-contained section: a DevTools Protocol client over a stdlib WebSocket
# (no extra dependency) and a fixture that opens pages with the network cut off.

import base64  # noqa: E402
import http.client  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--window-size=1200,800",
    # Cut off the network: every proxied request and every host name fails.
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


class DevToolsPage:
    """One page target driven over the Chrome DevTools Protocol (text frames only)."""

    def __init__(self, ws_url: str, timeout: float = 60.0) -> None:
        url = urllib.parse.urlsplit(ws_url)
        self.sock = socket.create_connection((url.hostname, url.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"DevTools refused the WebSocket: {head[:200]!r}")
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def _recv(self) -> bytes:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("DevTools closed the connection")
        return chunk

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            self.buf += self._recv()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _send(self, opcode: int, payload: bytes) -> None:
        n, mask = len(payload), os.urandom(4)
        if n < 126:
            head = bytes([0x80 | opcode, 0x80 | n])
        elif n < 1 << 16:
            head = bytes([0x80 | opcode, 0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head = bytes([0x80 | opcode, 0x80 | 127]) + n.to_bytes(8, "big")
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _message(self) -> dict:
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n >= 126:
                n = int.from_bytes(self._read(2 if n == 126 else 8), "big")
            mask = self._read(4) if b1 & 0x80 else b""
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = b0 & 0x0F
            if opcode == 8:
                raise ConnectionError("DevTools closed the connection")
            if opcode == 9:
                self._send(0xA, payload)
            elif opcode in (0, 1):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)

    def call(self, method: str, **params) -> dict:
        """Send a command and return its result; events that arrive meanwhile are kept."""
        i = next(self.ids)
        self._send(1, json.dumps({"id": i, "method": method, "params": params}).encode())
        while True:
            msg = self._message()
            if msg.get("id") == i:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, event: str) -> dict:
        """The first event of that name, waiting for it if it has not come yet."""
        for msg in self.events:
            if msg.get("method") == event:
                return msg
        while True:
            msg = self._message()
            self.events.append(msg)
            if msg.get("method") == event:
                return msg

    def evaluate(self, expression: str):
        """The value of a JavaScript expression, awaited if it is a promise."""
        res = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in res:
            raise RuntimeError(f"page script failed: {res['exceptionDetails']}")
        return res["result"].get("value")

    @property
    def errors(self) -> list[str]:
        """Uncaught exceptions, console errors and browser errors (failed loads) so far."""
        out = []
        for msg in self.events:
            method, p = msg.get("method"), msg.get("params", {})
            if method == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                out.append(d.get("exception", {}).get("description") or d.get("text", ""))
            elif method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
                out.append(f"{p['entry']['text']} {p['entry'].get('url', '')}".strip())
        return out

    @property
    def requests(self) -> list[str]:
        """The URL of every request the page made, the page itself included."""
        return [
            m["params"]["request"]["url"]
            for m in self.events
            if m.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def chromium(tmp_path):
    """Open pages in headless Chromium with the network cut off, for tests marked ``browser``.

    ``chromium(path)`` loads a local file, waits for its load event and returns a
    :class:`DevToolsPage`; skips with the reason when Chromium is not installed.
    """
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    profile = tmp_path / "chromium-profile"
    log = open(tmp_path / "chromium.log", "wb")
    proc = subprocess.Popen(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    pages: list[DevToolsPage] = []

    def open_page(path: Path) -> DevToolsPage:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if proc.poll() is not None or time.monotonic() > deadline:
                log_text = (tmp_path / "chromium.log").read_text(errors="replace")
                raise RuntimeError(f"chromium did not start: {log_text}")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("PUT", "/json/new?about:blank")
        target = json.loads(conn.getresponse().read())
        conn.close()
        page = DevToolsPage(target["webSocketDebuggerUrl"])
        pages.append(page)
        for domain in ("Page", "Network", "Runtime", "Log"):
            page.call(f"{domain}.enable")
        page.call(
            "Network.emulateNetworkConditions",
            offline=True,
            latency=0,
            downloadThroughput=-1,
            uploadThroughput=-1,
        )
        page.events.clear()  # what came before is about:blank
        page.call("Page.navigate", url=Path(path).resolve().as_uri())
        page.wait_for("Page.loadEventFired")
        return page

    yield open_page
    for page in pages:
        page.close()
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


# --- RDF, store and SPARQL endpoint ---------------------------------------------
# Names that stress IRIs and literals: quotes, angle brackets, braces, backslashes,
# unicode, LaTeX, percent signs, slashes and dot segments.

AWKWARD_NAMES = [
    'Q&A "quoted" <tag>',
    "Caf\u00e9-Net \u65e5\u672c\u8a9e",
    "$\\alpha$-Net",
    "back\\slash {braces} |pipe| ^caret^ `tick`",
    "a/b test 50%",
    "tab\tand\nnewline",
]


ENTITY_TYPES_CYCLE = ["dataset", "benchmark", "task", "metric", "method"]


def awkward_corpus() -> list[PaperEntities]:
    """Two papers whose entity names and titles hold every awkward character."""
    names = [n.replace("\t", " ").replace("\n", " ") for n in AWKWARD_NAMES]
    p1 = Paper(
        "q/1 <x>",
        'A "paper" on <things> & \\LaTeX{} $x^2$ \u00e9t\u00e9',
        "We propose " + names[0] + ". We use " + ", ".join(names[1:]) + ".",
        sources=[Source("we\u00efrd file.txt", 1)],
        year=999,
        authors=['Ann "A" <ann>', "B\u00f8b"],
        url="https://example.org/a b",
    )
    p2 = Paper(
        "p2",
        "Second",
        "We use " + names[1] + " and " + names[2] + ".",
        sources=[Source("b.txt", 3)],
    )
    used = [_entity(p1, n, t) for n, t in zip(names[1:], ENTITY_TYPES_CYCLE, strict=True)]
    return [
        PaperEntities(p1, [_entity(p1, names[0], "method", "proposed", named=True), *used]),
        PaperEntities(p2, [_entity(p2, names[1], "dataset"), _entity(p2, names[2], "benchmark")]),
    ]


@pytest.fixture
def awkward_graph():
    """The networkx graph of :func:`awkward_corpus`."""
    papers, ents = resolve(awkward_corpus())
    return build_graph(papers, ents)


@pytest.fixture(scope="session")
def shapes_graph():
    """``ontology/shapes.ttl`` as an rdflib Graph."""
    import rdflib

    return rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")


@pytest.fixture
def sample_output(tmp_path, graph):
    """An output folder of the sample graph as a build writes it: graph.json and store/."""
    from kgraph.export.node_link import write_node_link
    from kgraph.export.rdf import generate_triples
    from kgraph.store import write_store

    out = tmp_path / "output"
    out.mkdir()
    write_node_link(graph, out / "graph.json")
    write_store(generate_triples(graph), out / "store")
    return out
