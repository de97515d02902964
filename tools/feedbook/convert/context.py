"""What the converter is given (ChapterContext), where its walk is (Context), and what it gives back (Chapter)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from lxml import etree

from ..diagnostics import Reporter
from .myst_text import Blocks

ImageResolver = Callable[[str], "str | None"]
"""Maps an absolute image URL (or data: URL) to a path relative to the chapter, or None."""


@dataclass(frozen=True)
class ChapterContext:
    """What the converter needs to know besides the entry itself."""

    slug: str
    feed: str = ""
    post_labels: dict[str, str] = field(default_factory=dict)
    """Normalized post URL -> label of that post's chapter (links between posts become internal)."""
    resolve_image: ImageResolver | None = None
    reporter: Reporter = field(default_factory=Reporter)


@dataclass(frozen=True)
class Context:
    """Where in the HTML the walker is; passed down, never stored."""

    link: bool = False
    emphasis: bool = False
    strong: bool = False
    cell: bool = False
    nested: bool = False  # inside a list, quote, table or note: headings become bold paragraphs
    code: bool = False  # inside <code> that holds markup: text runs become code spans

    def with_(self, **flags: bool) -> Context:
        return _derived(self, tuple(sorted(flags.items())))


@functools.lru_cache(maxsize=1024)
def _derived(context: Context, flags: tuple[tuple[str, bool], ...]) -> Context:
    """Contexts are few and immutable: derive each one once (dataclasses.replace is slow)."""
    return replace(context, **dict(flags))


@dataclass
class Chapter:
    slug: str
    text: str
    labels: set[str]


class Walker(Protocol):
    """What the table and embed rules call back into: the walker's block and inline conversion."""

    def blocks(self, element: etree._Element, ctx: Context) -> Blocks: ...

    def inline_children(self, element: etree._Element, ctx: Context) -> str: ...
