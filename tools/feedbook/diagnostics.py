"""Errors and warnings: every message names the feed and, where known, the entry.

Policy (after WeasyPrint's): an *error* stops the command (bad input that leaves
nothing to convert, a failed build); a *warning* is something the user should
know about but that still produces a complete book (an image that could not be
fetched, an HTML tag without a rule whose text was kept, an entry kept from an
older run). Warnings never change the exit status.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from dataclasses import dataclass


class Kind(enum.Enum):
    """What a warning is about; shown as ``[feedbook.<value>]``."""

    FEED_RECOVERED = "feed_recovered"
    ENTRY_SKIPPED = "entry_skipped"
    ENTRY_FAILED = "entry_failed"
    ENTRY_KEPT = "entry_kept"
    ENTRY_MISSING_FIELD = "entry_missing_field"
    UNKNOWN_TAG = "unknown_tag"
    DEEP_NESTING = "deep_nesting"  # HTML or XML nested too deep to keep its tags: flattened, words kept
    IMAGE_UNAVAILABLE = "image_unavailable"
    UNSAFE_URL = "unsafe_url"
    HAND_EDITED = "hand_edited"
    DUPLICATE_ID = "duplicate_id"


class FeedbookError(Exception):
    """A failure the CLI reports as one ``feedbook: error:`` line (exit 1)."""


@dataclass(frozen=True)
class Diagnostic:
    """One located warning."""

    kind: Kind
    message: str
    feed: str = ""
    entry: str = ""

    def __str__(self) -> str:
        where = self.feed
        if self.entry:
            where = f"{where} entry {self.entry}" if where else f"entry {self.entry}"
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.message} [feedbook.{self.kind.value}]"


Sink = Callable[[Diagnostic], None]


class Reporter:
    """Collects warnings; the CLI prints them, tests inspect them."""

    def __init__(self, sink: Sink | None = None) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._sink = sink

    def warn(self, kind: Kind, message: str, *, feed: str = "", entry: str = "") -> None:
        diagnostic = Diagnostic(kind, message, feed, entry)
        self.diagnostics.append(diagnostic)
        if self._sink is not None:
            self._sink(diagnostic)

    def of_kind(self, kind: Kind) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.kind is kind]


def print_to_stderr(diagnostic: Diagnostic) -> None:
    print(f"feedbook: warning: {diagnostic}", file=sys.stderr)
