"""Serve: the store as a read-only SPARQL 1.1 Protocol endpoint, run by the Oxigraph server.

The ``oxigraph`` executable (PyPI package ``oxigraph``) runs ``serve-read-only``
on the store folder: queries at ``http://HOST:PORT/query`` (GET or POST), a
query page at ``/``; every update or upload is answered ``403 Forbidden``. The
host is loopback (127.0.0.1) unless the caller asks for another.

:func:`serve` runs it in the foreground (``kgraph serve``); :func:`start_server`
starts it in the background and waits until it answers (tests, notebooks).

Examples
--------
>>> cmd = server_command("output/store", port=7878)
>>> cmd[1:]
['serve-read-only', '--location', 'output/store', '--bind', '127.0.0.1:7878']
>>> endpoint_url("127.0.0.1", 7878)
'http://127.0.0.1:7878/query'
>>> endpoint_url("::1", 7878)
'http://[::1]:7878/query'
"""

from __future__ import annotations

import ipaddress
import logging
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kgraph.errors import StoreError
from kgraph.store import is_store

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_executable() -> str:
    """The path of the ``oxigraph`` server: on PATH or beside this Python (a virtualenv's bin)."""
    found = shutil.which("oxigraph") or shutil.which(
        "oxigraph", path=str(Path(sys.executable).parent)
    )
    if not found:
        raise StoreError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def _host_port(host: str, port: int) -> str:
    if not 0 < int(port) < 65536:
        raise StoreError(f"port {port} is not allowed; use 1-65535")
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def endpoint_url(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    """The SPARQL query endpoint of a server on ``host`` and ``port``."""
    return f"http://{_host_port(host, port)}/query"


def server_command(
    store_dir: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    timeout_s: int | None = None,
) -> list[str]:
    """The command that serves ``store_dir`` read-only on ``host:port``.

    ``timeout_s`` bounds the time of each query, in seconds.
    """
    cmd = [
        oxigraph_executable(),
        "serve-read-only",
        "--location",
        str(store_dir),
        "--bind",
        _host_port(host, port),
    ]
    if timeout_s is not None:
        cmd += ["--timeout-s", str(int(timeout_s))]
    return cmd


def _check(store_dir: str | Path, host: str, port: int) -> None:
    d = Path(store_dir)
    if not d.exists():
        raise StoreError(f"no store at {d}: run `kgraph build` first (it writes output/store/)")
    if not is_store(d):
        raise StoreError(f"{d} is not an Oxigraph store (no CURRENT and OPTIONS files in it)")
    if not is_loopback(host):
        log.warning("serving on %s: the endpoint is reachable from other machines", host)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host.strip("[]"), int(port)))
        except OSError as err:
            raise StoreError(f"cannot listen on {_host_port(host, port)}: {err.strerror}") from None


def serve(
    store_dir: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    timeout_s: int | None = None,
) -> None:
    """Serve the store read-only until interrupted (Ctrl-C); the ``kgraph serve`` command.

    A host other than loopback is allowed (the caller asked for it) and logged
    as a warning. A missing store, a busy port or a server that fails raise
    :class:`~kgraph.errors.StoreError`.
    """
    _check(store_dir, host, port)
    cmd = server_command(store_dir, host, port, timeout_s=timeout_s)
    print(
        f"SPARQL endpoint (read-only) at {endpoint_url(host, port)}, query page at "
        f"http://{_host_port(host, port)}/ ; Ctrl-C stops",
        file=sys.stderr,
        flush=True,
    )
    proc = subprocess.Popen(cmd)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        _stop(proc)
    if code not in (0, -2, 130):
        raise StoreError(f"the Oxigraph server stopped with exit code {code}")


class Server:
    """A running server: ``url`` (the query endpoint), ``update_url``, ``process``, ``stop()``.

    A context manager: leaving the ``with`` block stops it.
    """

    def __init__(self, process: subprocess.Popen, host: str, port: int, log_file) -> None:
        self.process = process
        self.host = host
        self.port = port
        self.url = endpoint_url(host, port)
        self.update_url = self.url.removesuffix("/query") + "/update"
        self._log = log_file

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        _stop(self.process)
        self._log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(
    store_dir: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    ready_timeout: float = 20.0,
    timeout_s: int | None = None,
) -> Server:
    """Start the server in the background; return once it answers a query.

    Raises :class:`~kgraph.errors.StoreError` if it exits or does not answer
    within ``ready_timeout`` seconds (the server is then stopped).
    """
    _check(store_dir, host, port)
    log_file = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        server_command(store_dir, host, port, timeout_s=timeout_s),
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = Server(proc, host, port, log_file)
    probe = server.url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + ready_timeout
    while True:
        if proc.poll() is not None:
            log_file.seek(0)
            output = log_file.read().decode("utf-8", "replace").strip()
            server.stop()
            raise StoreError(f"the Oxigraph server exited with code {proc.returncode}: {output}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise StoreError(f"the Oxigraph server did not answer within {ready_timeout:g} s")
        time.sleep(0.05)


def _stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
