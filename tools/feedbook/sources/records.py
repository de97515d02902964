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
    # Where this copy came from: "feed", "wordpress-rest", "wayback:20170101000000"…
    origin: str = "feed"


@dataclass
class Paging:
    """What a feed document says about its place in the blog's history.

    ``links``: feed-level links by rel, absolute (RFC 5005's next, previous, first, last,
    prev-archive, next-archive, current; JSON Feed's next_url is "next").
    ``complete`` and ``archive``: RFC 5005's fh:complete and fh:archive.
    ``total``, ``start_index``, ``per_page``: OpenSearch counts (Blogger).
    """

    links: dict[str, str] = field(default_factory=dict)
    complete: bool = False
    archive: bool = False
    total: int | None = None
    start_index: int | None = None
    per_page: int | None = None


@dataclass
class Feed:
    source: str
    title: str = ""
    subtitle: str = ""
    author: str = ""
    language: str = ""
    id: str = ""
    link: str = ""
    generator: str = ""
    entries: list[Entry] = field(default_factory=list)
    paging: Paging = field(default_factory=Paging)
