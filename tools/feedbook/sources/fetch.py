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

FEED_SIZE_LIMIT = 200 * 1024 * 1024
IMAGE_SIZE_LIMIT = 20 * 1024 * 1024

__all__ = ["FEED_SIZE_LIMIT", "IMAGE_SIZE_LIMIT", "Fetched", "is_url", "read_source", "reason", "url_scheme"]


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


def reason(error: BaseException) -> str:
    """Why a fetch or a read failed, on one line."""
    return " ".join((str(error) or type(error).__name__).split())
