"""Open a path or pass through an open file, for the thin writers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def open_text(dest: str | Path | IO[str]) -> Iterator[IO[str]]:
    """A text file to write: ``dest`` itself if it is open, else the path opened as UTF-8."""
    if hasattr(dest, "write"):
        yield dest  # type: ignore[misc]
    else:
        with open(dest, "w", encoding="utf-8", newline="\n") as f:
            yield f
