"""Bytes from a SOURCE: a local path, or an http(s) URL fetched by the book's HTTP client.

The network rules (addresses, deadline, size caps, redirects) live in ``net``;
this module turns a SOURCE named on the command line into bytes, with one error
line naming it as the user gave it.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import FeedbookError
from ..net.client import Fetched, FetchError, HttpClient
from ..net.urls import is_http_url, url_scheme
from .discovery import feed_link, looks_like_html

FEED_SIZE_LIMIT = 200 * 1024 * 1024
IMAGE_SIZE_LIMIT = 20 * 1024 * 1024

__all__ = [
    "FEED_SIZE_LIMIT",
    "IMAGE_SIZE_LIMIT",
    "Fetched",
    "is_url",
    "read_feed_source",
    "read_source",
    "reason",
    "url_scheme",
]


def is_url(source: str) -> bool:
    return is_http_url(source) and url_scheme(source) in ("http", "https")


def read_source(source: str, client: HttpClient) -> Fetched:
    """The bytes of a feed named on the command line (a path or an http(s) URL)."""
    if is_url(source):
        try:
            return client.get(source, limit=FEED_SIZE_LIMIT)
        except FetchError as error:
            raise FeedbookError(f"{source}: cannot fetch the feed: {error}") from None
    path = Path(source)
    try:
        if path.stat().st_size > FEED_SIZE_LIMIT:
            raise FeedbookError(f"{source}: the feed is larger than {FEED_SIZE_LIMIT // (1024 * 1024)} MB")
        return Fetched(path.read_bytes(), "", "")
    except OSError as error:
        raise FeedbookError(f"{source}: cannot read the feed: {error.strerror or error}") from None


def read_feed_source(source: str, client: HttpClient) -> tuple[str, Fetched]:
    """The feed a SOURCE stands for, and its bytes: a web page's own feed when SOURCE is the blog's page."""
    fetched = read_source(source, client)
    if not looks_like_html(fetched.data):
        return source, fetched
    if not is_url(source):
        raise FeedbookError(f"{source}: this is a web page, not a feed: give the blog's feed")
    link = feed_link(fetched.data, fetched.url or source)
    if link is None:
        raise FeedbookError(
            f"{source}: this is a web page, not a feed, and it names no feed"
            ' (no <link rel="alternate"> to Atom, RSS or JSON Feed): give the feed\'s address'
        )
    feed = read_source(link, client)
    if looks_like_html(feed.data):
        raise FeedbookError(f"{source}: the feed this page names, {link}, is a web page too")
    return link, feed


def reason(error: BaseException) -> str:
    """Why a fetch or a read failed, on one line."""
    return " ".join((str(error) or type(error).__name__).split())
