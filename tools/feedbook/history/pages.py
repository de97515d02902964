"""Reading one page of history as a feed, and following a chain of links from page to page."""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import FeedbookError
from ..net.client import FetchError
from ..sources.feed import parse_feed
from ..sources.records import Feed
from .crawler import Crawler, GaveUp
from .found import Start, Walked


def read_page(url: str, crawler: Crawler, start: Start, origin: str) -> tuple[Feed | None, str]:
    """The feed at ``url`` with each entry's origin set, or None when a conditional GET found it
    unchanged since the last walk; and the URL it ended at (after redirects)."""
    fetched = crawler.get(url)
    if fetched.status == 304:
        return None, url
    feed = parse_feed(fetched.data, url, start.reporter, url=fetched.url or url)
    feed.entries = [replace(entry, origin=origin) for entry in feed.entries]
    return feed, fetched.url or url


def follow(start: Start, crawler: Crawler, walked: Walked, rel: str, origin: str, *, stop_when_no_new: bool) -> None:
    """From the feed the user gave, follow its ``rel`` link from page to page until a page has no
    such link, a link repeats (a loop), leaves the allowed hosts, or the caps are reached."""
    visited = {start.url, start.fetched.url}
    walked.add(start.feed, start)
    link = start.feed.paging.links.get(rel, "")
    while link:
        if link in visited:
            walked.stopped = f"the {rel} link of a page points back to an earlier page"
            return
        if not crawler.allows(link):
            walked.stopped = f"a {rel} link leaves the blog's host ({link})"
            return
        if walked.page_cap_reached(start.limits):
            return
        visited.add(link)
        try:
            feed, final = read_page(link, crawler, start, origin)
        except (FetchError, FeedbookError) as error:
            walked.stopped = _why(link, error)
            return
        if feed is None:  # unchanged since the last walk: its posts are in the book already
            walked.pages += 1
            link = crawler.validators.next_of(link)
            continue
        visited.add(final)
        added = walked.add(feed, start)
        following = feed.paging.links.get(rel, "")
        crawler.validators.remember_next(link, following)
        if stop_when_no_new and not added and feed.entries:
            walked.stopped = "a page added no post the earlier pages had not (the server may ignore paging)"
            return
        if walked.entry_cap_reached(start.limits):
            return
        link = following


def _why(url: str, error: Exception) -> str:
    text = str(error)
    if isinstance(error, GaveUp):
        return text
    return text if text.startswith(url) else f"{url}: {text}"
