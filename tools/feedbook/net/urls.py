"""What kind of URL a string is: the two questions every stage asks, answered once."""

from __future__ import annotations

import urllib.parse


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL (case-insensitive scheme), by its prefix alone: cheap enough for every link."""
    return value[:8].lower().startswith(("http://", "https://"))


def site_name(url: str) -> str:
    """The host of an http(s) URL as a reader types it ("jgershen.dev", no "www."); "" for anything else
    (a feed's URN id)."""
    if not is_http_url(url):
        return ""
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def url_scheme(url: str) -> str:
    """The URL's scheme in lower case; "" for what is not a URL at all ("http://[oops")."""
    try:
        return urllib.parse.urlsplit(url).scheme.lower()
    except ValueError:
        return ""
