"""Feeds paged by a query parameter: WordPress's ``/feed/?paged=N`` (for a site whose REST API is
closed; 404 past the last page) and Bear Blog's ``/feed/?page=N`` (counted from 0; an empty feed
past the last page).

Some caches and CDNs ignore the parameter and echo the first page for ever: a page that adds
no post ends the walk, at the cost of one request.
"""

from __future__ import annotations

import urllib.parse

from ..diagnostics import FeedbookError
from ..net.client import FetchError
from .crawler import Crawler, GaveUp
from .found import Start, Walked
from .pages import read_page

BEAR_HOST_SUFFIX = ".bearblog.dev"


def paged(url: str, page: int, parameter: str = "paged") -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != parameter]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode([*query, (parameter, str(page))])))


def is_bear(start: Start) -> bool:
    host = urllib.parse.urlsplit(start.url).hostname or ""
    return host.endswith(BEAR_HOST_SUFFIX) or "bearblog" in start.feed.generator.lower()


def walk_paged_feed(start: Start, crawler: Crawler) -> Walked:
    return walk_query_pages(start, crawler, "WordPress feed pages (?paged=N)", "paged", 2, "wordpress-feed-pages")


def walk_bear(start: Start, crawler: Crawler) -> Walked:
    return walk_query_pages(start, crawler, "Bear Blog feed pages (?page=N)", "page", 1, "bear-feed-pages")


def walk_query_pages(start: Start, crawler: Crawler, method: str, parameter: str, page: int, origin: str) -> Walked:
    """The feed's pages from ``page`` on (the feed the user gave is the first)."""
    walked = Walked(method)
    walked.add(start.feed, start)
    while True:
        if walked.page_cap_reached(start.limits):
            break
        url = paged(start.url, page, parameter)
        try:
            feed, _final = read_page(url, crawler, start, origin)
        except FetchError as error:
            if error.status == 404 and not isinstance(error, GaveUp):
                walked.complete = True  # the site's own end of the pages
            else:
                walked.stopped = f"{url}: {error}"
            break
        except FeedbookError as error:
            walked.stopped = str(error)
            break
        if feed is None:  # unchanged since the last walk
            walked.pages += 1
            page += 1
            continue
        if not feed.entries:  # an empty page past the last: the site's own end
            walked.complete = True
            break
        if not walked.add(feed, start):
            walked.stopped = f"a page added no new post (the server may ignore ?{parameter}=)"
            break
        if walked.entry_cap_reached(start.limits):
            break
        page += 1
    return walked
