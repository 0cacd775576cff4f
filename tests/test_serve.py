"""Serve: the Oxigraph server as a read-only SPARQL 1.1 Protocol endpoint."""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kgraph.errors import StoreError
from kgraph.serve import endpoint_url, is_loopback, server_command, start_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(sample_output):
    srv = start_server(sample_output / "store", "127.0.0.1", free_port(), ready_timeout=30)
    yield srv
    srv.stop()
    assert srv.process.poll() is not None


def count(url: str) -> int:
    client = SPARQLWrapper(url)
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    return int(client.query().convert()["results"]["bindings"][0]["n"]["value"])


def test_the_endpoint_answers_sparql_queries(server):
    client = SPARQLWrapper(server.url)
    client.setQuery(
        "PREFIX kg: <https://w3id.org/kgraph/ns#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?name WHERE { ?p kg:usesDataset ?d . ?d skos:prefLabel ?name }"
    )
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [b["name"]["value"] for b in bindings] == ["ImageNet"]
    assert count(server.url) > 300


def test_an_update_is_refused_and_changes_nothing(server):
    before = count(server.url)
    client = SPARQLWrapper(server.url, updateEndpoint=server.update_url)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://ex.org/a> <http://ex.org/b> <http://ex.org/c> }")
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    with info.value as refused:
        assert refused.code == 403 and refused.read() == b"The server is read-only"
    data = urllib.parse.urlencode({"update": "DELETE WHERE { ?s ?p ?o }"}).encode()
    with pytest.raises(urllib.error.HTTPError) as info:  # an update sent to the query endpoint
        urllib.request.urlopen(urllib.request.Request(server.url, data=data), timeout=10)
    with info.value as refused:
        assert refused.code == 400
    assert count(server.url) == before


def test_the_server_listens_on_loopback_only_by_default(sample_output):
    cmd = server_command(sample_output / "store")
    assert cmd[1] == "serve-read-only"
    assert cmd[cmd.index("--bind") + 1] == "127.0.0.1:7878"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")
    assert endpoint_url("::1", 8000) == "http://[::1]:8000/query"


def test_a_missing_store_or_a_busy_port_is_a_store_error(sample_output, tmp_path):
    with pytest.raises(StoreError, match="no store"):
        start_server(tmp_path / "nothing", port=free_port())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(StoreError, match="cannot listen"):
            start_server(sample_output / "store", port=busy.getsockname()[1])
