"""WordPress's paged feed (``/feed/?paged=N``), for a site whose REST API is closed.

Past the last page the site answers 404. Some caches and CDNs ignore the parameter and echo the
first page for ever: a page that adds no post ends the walk, at the cost of one request.
"""

from __future__ import annotations

import urllib.parse

from ..diagnostics import FeedbookError
from ..net.client import FetchError
from .crawler import Crawler, GaveUp
from .found import Start, Walked
from .pages import read_page


def paged(url: str, page: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "paged"]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode([*query, ("paged", str(page))])))


def walk_paged_feed(start: Start, crawler: Crawler) -> Walked:
    walked = Walked("WordPress feed pages (?paged=N)")
    walked.add(start.feed, start)
    page = 2
    while True:
        if walked.pages >= start.limits.pages:
            walked.stopped = f"{start.limits.pages} pages read, the most one walk reads"
            break
        url = paged(start.url, page)
        try:
            feed, _final = read_page(url, crawler, start, "wordpress-feed-pages")
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
        if not walked.add(feed, start):
            if feed.entries:
                walked.stopped = "a page added no new post (the server may ignore ?paged=)"
            else:
                walked.complete = True
            break
        if len(walked.ids()) >= start.limits.entries:
            walked.stopped = f"{start.limits.entries} posts found, the most one walk takes"
            break
        page += 1
    return walked
