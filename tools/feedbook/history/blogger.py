"""Blogger: the feed's pages by ``start-index`` and ``max-results``, counted by OpenSearch.

The Atom feed's ``next`` link points at www.blogger.com over plain http; the RSS variant has no
``next`` link at all. Either way the walk asks the blog's own host for the next ``start-index``
(taken from a ``next`` link on the blog's host or www.blogger.com, else counted from
``openSearch:startIndex`` and ``itemsPerPage``), so no other host is ever contacted, and stops
when the count ``openSearch:totalResults`` is reached, a page is empty, or it adds no new post.
"""

from __future__ import annotations

import urllib.parse

from ..diagnostics import FeedbookError
from ..net.client import FetchError
from ..sources.records import Feed
from .crawler import Crawler
from .found import Start, Walked
from .pages import read_page

API_HOSTS = ("www.blogger.com",)
MAX_RESULTS = 100  # what Blogger serves at most per request since 2019, whatever is asked


def is_blogger(start: Start) -> bool:
    host = urllib.parse.urlsplit(start.url).hostname or ""
    return (
        "blogger" in start.feed.generator.lower()
        or start.feed.id.startswith("tag:blogger.com,1999:blog-")
        or ".blogspot." in f".{host}"
    )


def page_url(feed_url: str, start_index: int) -> str:
    parts = urllib.parse.urlsplit(feed_url)
    kept = [
        (key, value)
        for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if key not in ("start-index", "max-results")
    ]
    query = urllib.parse.urlencode([*kept, ("start-index", str(start_index)), ("max-results", str(MAX_RESULTS))])
    return urllib.parse.urlunsplit(parts._replace(query=query))


def walk_blogger(start: Start, crawler: Crawler) -> Walked:
    walked = Walked("Blogger feed", total=start.feed.paging.total)
    walked.add(start.feed, start)
    feed = start.feed
    blog_host = urllib.parse.urlsplit(start.url).hostname or ""
    while True:
        following = _next_start(feed, blog_host)
        if following is None or (walked.total is not None and following > walked.total):
            break
        if walked.page_cap_reached(start.limits):
            break
        url = page_url(start.url, following)
        try:
            page, _final = read_page(url, crawler, start, "blogger")
        except (FetchError, FeedbookError) as error:
            walked.stopped = str(error) if str(error).startswith(url) else f"{url}: {error}"
            break
        if page is None:  # unchanged since the last walk: the book has these posts already
            break
        if not page.entries or not walked.add(page, start):
            break
        walked.total = page.paging.total if page.paging.total is not None else walked.total
        feed = page
    return walked


def _next_start(feed: Feed, blog_host: str) -> int | None:
    """Where the next page starts: the ``next`` link's start-index when that link is on the blog's
    host or Blogger's API host, else the page's own start plus its length."""
    link = feed.paging.links.get("next", "")
    if link:
        parts = urllib.parse.urlsplit(link)
        if (parts.hostname or "") in (blog_host, *API_HOSTS):
            values = urllib.parse.parse_qs(parts.query).get("start-index", [""])
            if values[0].isdigit():
                return int(values[0])
    paging = feed.paging
    if paging.start_index is not None and feed.entries:
        return paging.start_index + max(paging.per_page or 0, len(feed.entries))
    return None
