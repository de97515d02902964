"""Bytes from a SOURCE: a local path or an http(s) URL, fetched with limits.

Only http and https are ever fetched over the network; redirects are capped and
may not leave http(s); responses are size-capped so a hostile server cannot
exhaust memory.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import FeedbookError

FEED_SIZE_LIMIT = 200 * 1024 * 1024
IMAGE_SIZE_LIMIT = 20 * 1024 * 1024
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "feedbook (+https://github.com/feedbook)"


@dataclass(frozen=True)
class Fetched:
    data: bytes
    content_type: str
    url: str


def url_scheme(url: str) -> str:
    """The URL's scheme in lower case; "" for what is not a URL at all ("http://[oops")."""
    try:
        return urllib.parse.urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def is_url(source: str) -> bool:
    return url_scheme(source) in ("http", "https")


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-http URL refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# No file://, ftp:// or data: handlers: a URL in a feed can only reach http(s).
_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
    _LimitedRedirects(),
):
    _OPENER.add_handler(_handler)


def fetch_url(url: str, *, limit: int, timeout: float = TIMEOUT_SECONDS) -> Fetched:
    """GET an http(s) URL; raises OSError (URLError, HTTPError, timeout) or ValueError."""
    if not is_url(url):
        raise ValueError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        return _get(request, limit, timeout)
    except http.client.HTTPException as error:  # a broken server (bad status line, short read)
        raise OSError(f"bad HTTP response ({type(error).__name__})") from None


def _get(request: urllib.request.Request, limit: int, timeout: float) -> Fetched:
    with _OPENER.open(request, timeout=timeout) as response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ValueError(f"larger than {limit // (1024 * 1024)} MB")
        data = response.read(limit + 1)
        if len(data) > limit:
            raise ValueError(f"larger than {limit // (1024 * 1024)} MB")
        content_type = response.headers.get_content_type() or ""
        return Fetched(data, content_type, response.geturl())


def read_source(source: str) -> Fetched:
    """The bytes of a feed named on the command line (a path or an http(s) URL)."""
    if is_url(source):
        try:
            return fetch_url(source, limit=FEED_SIZE_LIMIT)
        except (OSError, ValueError) as error:
            raise FeedbookError(f"{source}: cannot fetch the feed: {reason(error)}") from None
    path = Path(source)
    try:
        if path.stat().st_size > FEED_SIZE_LIMIT:
            raise FeedbookError(f"{source}: the feed is larger than {FEED_SIZE_LIMIT // (1024 * 1024)} MB")
        return Fetched(path.read_bytes(), "", "")
    except OSError as error:
        raise FeedbookError(f"{source}: cannot read the feed: {error.strerror or error}") from None


def reason(error: BaseException) -> str:
    """Why a fetch failed, on one line (urllib's redirect-loop message spans several)."""
    if isinstance(error, urllib.error.HTTPError):
        text = f"HTTP {error.code} {error.reason}"
    elif isinstance(error, urllib.error.URLError):
        text = str(error.reason)
    else:
        text = str(error) or type(error).__name__
    return " ".join(text.split())
