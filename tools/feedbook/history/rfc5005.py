"""RFC 5005 (Feed Paging and Archiving): complete feeds, archived feeds and paged feeds.

- a complete feed (``fh:complete``) is the whole history already;
- an archived feed links to older, stable archive documents by ``prev-archive``;
- a paged feed links page to page by ``next`` (JSON Feed's ``next_url`` is read as one); its
  pages are a view of a changing list, so nothing says the walk saw every post.
"""

from __future__ import annotations

from ..sources.jsonfeed import looks_like_json
from .crawler import Crawler
from .found import Start, Walked
from .pages import follow


def is_complete(start: Start) -> bool:
    return start.feed.paging.complete


def walk_complete(start: Start) -> Walked:
    return Walked("Complete feed (RFC 5005)", feeds=[start.feed], pages=1, complete=True)


def has_archives(start: Start) -> bool:
    return "prev-archive" in start.feed.paging.links


def walk_archives(start: Start, crawler: Crawler) -> Walked:
    walked = Walked("Archived feed (RFC 5005)")
    follow(start, crawler, walked, "prev-archive", "rfc5005-archive", stop_when_no_new=False)
    walked.complete = not walked.stopped  # the chain reached its oldest document
    return walked


def has_next(start: Start) -> bool:
    return "next" in start.feed.paging.links


def walk_next(start: Start, crawler: Crawler) -> Walked:
    name = "JSON Feed pages (next_url)" if looks_like_json(start.fetched.data) else "Feed pages (RFC 5005 next)"
    walked = Walked(name)
    follow(start, crawler, walked, "next", "feed-pages", stop_when_no_new=True)
    return walked
