"""A blog's home page given where a feed belongs: the feed it names in ``<link rel="alternate">``.

People paste the blog's address, not its feed's. A page names its feeds in its head
(the RSS autodiscovery convention, also used for Atom and JSON Feed); the first
Atom, RSS or JSON Feed link is the blog's main feed.
"""

from __future__ import annotations

import re
import urllib.parse

from lxml import html

# Not plain application/json: WordPress names its REST API's post objects so.
FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/feed+json")
_HTML_START = re.compile(
    # A comment cannot run past its own "-->": one way to match, whatever the input.
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:(?!-->).)*-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
    re.I | re.S,
)


def looks_like_html(data: bytes) -> bool:
    """Whether ``data`` is a web page rather than a feed (its first tag is an HTML document's)."""
    return bool(_HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")))


def feed_link(data: bytes, page_url: str) -> str | None:
    """The absolute URL of the first feed the page names (in its order); None without one."""
    try:
        root = html.document_fromstring(data)
    except (ValueError, TypeError):
        return None
    base = page_url
    for element in root.iter("base"):
        if element.get("href"):
            base = urllib.parse.urljoin(page_url, element.get("href", ""))
            break
    links = [
        link
        for link in root.iter("link")
        if "alternate" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip()
    ]
    for link in links:
        if (link.get("type") or "").split(";")[0].strip().lower() in FEED_TYPES:
            address = urllib.parse.urljoin(base, (link.get("href") or "").strip())
            if urllib.parse.urlsplit(address).scheme in ("http", "https"):
                return address
    return None
