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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO


class Kind(enum.Enum):
    """What a warning is about; shown as ``[feedbook.<value>]`` and silenced by ``--suppress-warnings <value>``."""

    FEED_RECOVERED = "feed_recovered"
    ENTRY_SKIPPED = "entry_skipped"
    ENTRY_FAILED = "entry_failed"
    ENTRY_KEPT = "entry_kept"
    ENTRY_MISSING_FIELD = "entry_missing_field"
    UNKNOWN_TAG = "unknown_tag"
    DEEP_NESTING = "deep_nesting"
    IMAGE_UNAVAILABLE = "image_unavailable"
    UNSAFE_URL = "unsafe_url"
    HAND_EDITED = "hand_edited"
    DUPLICATE_ID = "duplicate_id"
    FORMULA_AS_TEXT = "formula_as_text"
    SUMMARY_ONLY = "summary_only"
    MISSING_GLYPH = "missing_glyph"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Kind.FEED_RECOVERED: "the feed was broken (encoding, forbidden characters, ill-formed XML) and was read anyway",
    Kind.ENTRY_SKIPPED: "items that are not posts (WordPress drafts, attachments, menus) were left out",
    Kind.ENTRY_FAILED: "an entry could not be converted: the others are written, and the command exits 1",
    Kind.ENTRY_KEPT: "posts from earlier runs that the feed no longer lists are kept in the book",
    Kind.ENTRY_MISSING_FIELD: "an entry has no id, title or date; one was made up",
    Kind.UNKNOWN_TAG: "HTML with no conversion rule: its text is kept, its markup dropped",
    Kind.DEEP_NESTING: "HTML or XML nested too deep to keep its tags was flattened, its words kept",
    Kind.IMAGE_UNAVAILABLE: "an image was not included (not fetched, refused, or not decodable): the chapter links it",
    Kind.UNSAFE_URL: "a link or image URL that is not safe to keep was dropped",
    Kind.HAND_EDITED: "a chapter edited by hand was left alone (--force overwrites it)",
    Kind.DUPLICATE_ID: "two entries share an id: the later one gets an id of its own",
    Kind.SUMMARY_ONLY: "the feed gives only summaries of its posts: those chapters end with a link to the whole post",
    Kind.FORMULA_AS_TEXT: "a formula no renderer can set (an unknown TeX command) is kept as its TeX, as text",
    Kind.MISSING_GLYPH: "the PDF has characters no installed font draws (a blank box each): install the package named",
}


def parse_kinds(values: list[str] | None) -> frozenset[Kind]:
    """Warning kinds named on the command line ("image_unavailable", "unknown_tag,hand_edited")."""
    kinds = set()
    for name in (part.strip() for value in values or () for part in value.split(",")):
        if not name:
            continue
        try:
            kinds.add(Kind(name.removeprefix("feedbook.")))
        except ValueError:
            known = ", ".join(kind.value for kind in Kind)
            raise FeedbookError(f"--suppress-warnings {name!r}: not a warning kind (kinds: {known})") from None
    return frozenset(kinds)


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

    def __init__(self, sink: Sink | None = None, *, suppressed: frozenset[Kind] = frozenset()) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._sink = sink
        self.suppressed = suppressed

    def warn(self, kind: Kind, message: str, *, feed: str = "", entry: str = "") -> None:
        if kind in self.suppressed:
            return
        diagnostic = Diagnostic(kind, message, feed, entry)
        self.diagnostics.append(diagnostic)
        if self._sink is not None:
            self._sink(diagnostic)

    def of_kind(self, kind: Kind) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.kind is kind]


class StatusLine:
    """One line of progress on a terminal, rewritten in place; nothing at all when stderr is a log.

    Anything else printed meanwhile goes through ``above``: the line is cleared first and
    drawn again after, so a warning never lands glued onto the progress text.
    """

    def __init__(self) -> None:
        self.text = ""

    def show(self, text: str) -> None:
        terminal = self._terminal()
        if terminal is None:
            return
        self.text = text
        terminal.write(f"\r\x1b[K{text}")
        terminal.flush()

    def clear(self) -> None:
        terminal = self._terminal()
        if self.text and terminal is not None:
            terminal.write("\r\x1b[K")
            terminal.flush()
        self.text = ""

    @staticmethod
    def _terminal() -> TextIO | None:
        # The process's own stderr: while Sphinx runs, sys.stderr is a buffer that collects its warnings.
        stream = sys.__stderr__
        return stream if stream is not None and stream.isatty() else None

    @contextmanager
    def above(self) -> Iterator[None]:
        shown = self.text
        self.clear()
        try:
            yield
        finally:
            if shown:
                self.show(shown)


STATUS = StatusLine()

# Warnings a build gives that must not fail it under Sphinx's -W (a character no installed font
# draws: the book is still whole); ``build.build_book`` prints them when the build ends.
NOTICES: list[Diagnostic] = []


def print_to_stderr(diagnostic: Diagnostic) -> None:
    with STATUS.above():
        print(f"feedbook: warning: {diagnostic}", file=sys.stderr)
