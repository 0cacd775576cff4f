"""The exceptions kgraph raises: one base class and a few specific ones.

Every message names the input, the offending value and what is allowed, so the
command line can print it as one line.
"""

from __future__ import annotations


class KgraphError(Exception):
    """Base class of every error kgraph raises on purpose."""


class InputError(KgraphError):
    """An input file is missing, unreadable or malformed."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class UnknownNameError(KgraphError):
    """A format, backend or option name is not one kgraph knows."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = sorted(known)
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(self.known)}")


class QueryError(KgraphError):
    """A SPARQL query is malformed or cannot run against the store."""


class StoreError(KgraphError):
    """The store folder is missing, unreadable or not a kgraph store."""


class ModelError(KgraphError):
    """The extraction model is missing, corrupt or was trained with another config."""


class OptionError(KgraphError, ValueError):
    """An option has a value kgraph cannot use (a base IRI that is not absolute, say)."""
