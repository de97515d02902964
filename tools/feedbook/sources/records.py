"""What every reader makes of a feed: a `Feed` of `Entry` records, whatever the format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One post, as the feed gives it; ``content`` is HTML."""

    id: str
    title: str
    link: str
    published: str
    updated: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    content: str
    base_url: str
    raw_wordpress: bool = False
    summary_only: bool = False
    related: str = ""


@dataclass
class Feed:
    source: str
    title: str = ""
    subtitle: str = ""
    author: str = ""
    language: str = ""
    id: str = ""
    link: str = ""
    entries: list[Entry] = field(default_factory=list)
