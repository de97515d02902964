"""WordPress: the REST API (``wp/v2/posts``), found through its ``https://api.w.org/`` link.

The walk asks for 100 posts a page (the API's most), follows ``Link: rel=next`` and stops at the
400 ``rest_post_invalid_page_number`` past the end, an empty page, or ``X-WP-TotalPages``;
``X-WP-Total`` says how many posts there are. Category and tag names come from one pass over
their own endpoints. A site whose API is closed (401, 403, a WAF's HTML) is read through its
paged feed instead (`paged_feed`). WordPress.com sites on their own domain answer through
public-api.wordpress.com.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import replace

import requests.utils

from ..net.client import Fetched, FetchError
from ..sources.records import Feed
from .answers import json_answer
from .crawler import Crawler, GaveUp
from .found import Start, Walked
from .wordpress_posts import read_post, term_names

API_REL = "https://api.w.org/"
WORDPRESS_COM_API = "https://public-api.wordpress.com"
WORDPRESS_COM_VARIABLE = "FEEDBOOK_WORDPRESS_COM_URL"
PER_PAGE = 100
_HTML_API_LINK = re.compile(rb"""<link\b[^>]*\brel=["']https://api\.w\.org/["'][^>]*>""", re.IGNORECASE)
_HREF = re.compile(rb"""\bhref=["']([^"']+)["']""", re.IGNORECASE)


class ApiClosed(Exception):
    """The API answered its first page with something that is not a list of posts."""


def wordpress_com_api() -> str:
    """WordPress.com's public API; FEEDBOOK_WORDPRESS_COM_URL points elsewhere (a test, a mirror)."""
    return (os.environ.get(WORDPRESS_COM_VARIABLE) or WORDPRESS_COM_API).rstrip("/")


def api_link(fetched: Fetched) -> str:
    """The API root a WordPress answer names: its ``Link`` header, or the ``<link>`` of its HTML."""
    for link in requests.utils.parse_header_links(fetched.headers.get("link", "")):
        if link.get("rel", "").strip() == API_REL and link.get("url"):
            return urllib.parse.urljoin(fetched.url, link["url"])
    if fetched.content_type in ("text/html", "application/xhtml+xml", ""):
        tag = _HTML_API_LINK.search(fetched.data[: 1 << 20])
        href = _HREF.search(tag.group(0)) if tag else None
        if href:
            return urllib.parse.urljoin(fetched.url, href.group(1).decode("utf-8", "replace"))
    return ""


def is_wordpress(start: Start) -> bool:
    generator = start.feed.generator.lower()
    return "wordpress.org" in generator or "wordpress.com" in generator or bool(api_link(start.fetched))


def is_wordpress_com(start: Start) -> bool:
    host = urllib.parse.urlsplit(start.url).hostname or ""
    return host.endswith(".wordpress.com") or "wordpress.com" in start.feed.generator.lower()


def discover_api(start: Start, crawler: Crawler) -> str:
    """The REST API root: named by the feed's answer, else by the home page's (one GET)."""
    found = api_link(start.fetched)
    if found:
        return found
    home = home_page(start)
    try:
        return api_link(crawler.get(home, conditional=False))
    except GaveUp:
        raise
    except FetchError:
        return ""


def api_roots(start: Start, crawler: Crawler) -> list[str]:
    """Where to ask, in order: the root the site names (or its usual place), then public-api for
    WordPress.com."""
    api = discover_api(start, crawler) or home_page(start).rstrip("/") + "/wp-json/"
    roots = [endpoint(api, "wp/v2/")]
    if is_wordpress_com(start):
        host = urllib.parse.urlsplit(start.url).hostname or ""
        api = wordpress_com_api()
        crawler.allow(api)
        roots.append(f"{api}/wp/v2/sites/{host}/")
    return [root for root in dict.fromkeys(roots) if crawler.allows(root)]


def walk_rest(start: Start, crawler: Crawler, root: str) -> Walked:
    """Every post the API lists; ApiClosed when its first page is not an answer of the API."""
    walked = Walked("WordPress REST API")
    page_feed = Feed(source=endpoint(root, "posts"), title=start.feed.title)
    terms: dict[int, str] | None = None  # asked for once the API has answered a page
    protected = 0
    url = endpoint(root, "posts", per_page=PER_PAGE, page=1, _embed="author")
    page = 1
    while url:
        if walked.page_cap_reached(start.limits):
            break
        try:
            fetched = crawler.get(url)
        except FetchError as error:
            if _past_the_end(error):
                walked.complete = True
                break
            if page == 1 and not isinstance(error, GaveUp):
                raise ApiClosed(str(error)) from None
            walked.stopped = f"{url}: {error}"
            break
        if fetched.status == 304:  # unchanged since the last walk
            walked.pages += 1
            page, url = page + 1, crawler.validators.next_of(url)
            continue
        posts = json_answer(fetched.data)
        if not isinstance(posts, list):
            if page == 1:
                raise ApiClosed("the answer is not a list of posts")
            walked.stopped = f"{url}: the answer is not a list of posts"
            break
        walked.total = _header_number(fetched, "x-wp-total", walked.total)
        if terms is None:
            terms = _terms(root, crawler)
        feed = Feed(source=page_feed.source, title=page_feed.title, author=start.feed.author)
        for post in posts:
            entry, was_protected = read_post(post, feed, start.reporter, terms, start.feed.author)
            protected += was_protected
            if entry is not None:
                feed.entries.append(replace(entry, origin="wordpress-rest"))
        walked.add(feed, start)
        following = _next_page(fetched, root, page, full=len(posts) >= PER_PAGE)
        crawler.validators.remember_next(url, following)
        if walked.entry_cap_reached(start.limits):
            break
        walked.complete = not posts or not following  # the API's own end
        if walked.complete:
            break
        page, url = page + 1, following
    if protected:
        walked.method += f" ({protected} password-protected post{'s' if protected != 1 else ''} left out)"
    return walked


def endpoint(root: str, route: str, **params: object) -> str:
    """A route under ``root``, in any of the API's forms: ``/wp-json/wp/v2/``, ``?rest_route=/wp/v2/``
    or WordPress.com's ``/wp/v2/sites/DOMAIN/``."""
    query = urllib.parse.urlencode(params)
    if "rest_route=" in root:
        return f"{root.rstrip('/')}/{route}" + (f"&{query}" if query else "")
    return f"{root.rstrip('/')}/{route}" + (f"?{query}" if query else "")


def _terms(root: str, crawler: Crawler) -> dict[int, str]:
    names: dict[int, str] = {}
    for taxonomy in ("categories", "tags"):
        url = endpoint(root, taxonomy, per_page=PER_PAGE, page=1)
        page = 1
        while url and page <= 50:
            try:
                fetched = crawler.get(url, conditional=False)
            except GaveUp:
                raise
            except FetchError:
                break  # no names: the posts still come, without their tags
            answer = json_answer(fetched.data)
            names.update(term_names(answer))
            if not isinstance(answer, list) or not answer:
                break
            full = len(answer) >= PER_PAGE
            page, url = page + 1, _next_page(fetched, root, page, full=full, route=taxonomy)
    return names


def _next_page(fetched: Fetched, root: str, page: int, *, full: bool, route: str = "posts") -> str:
    """``Link: rel=next`` when the answer has one (trac #42947: follow it even past a short page);
    else page + 1 while ``X-WP-TotalPages`` says there is one, or, when a proxy dropped the
    headers, while pages come back full (the 400 past the end then ends the walk)."""
    for link in requests.utils.parse_header_links(fetched.headers.get("link", "")):
        if link.get("rel") == "next" and link.get("url"):
            return urllib.parse.urljoin(fetched.url, link["url"])
    pages = _header_number(fetched, "x-wp-totalpages", None)
    if (page < pages) if pages is not None else full:
        extra = {"_embed": "author"} if route == "posts" else {}
        return endpoint(root, route, per_page=PER_PAGE, page=page + 1, **extra)
    return ""


def _past_the_end(error: FetchError) -> bool:
    if error.status != 400:
        return False
    answer = json_answer(error.body)
    return isinstance(answer, dict) and answer.get("code") == "rest_post_invalid_page_number"


def _header_number(fetched: Fetched, name: str, default: int | None) -> int | None:
    value = fetched.headers.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else default


def home_page(start: Start) -> str:
    """The blog's home page: the feed's link when it is on the feed's host, else the host's root."""
    feed_host = urllib.parse.urlsplit(start.url)
    link = urllib.parse.urlsplit(start.feed.link) if start.feed.link else None
    if link is not None and link.scheme in ("http", "https") and link.netloc == feed_host.netloc:
        return start.feed.link
    return f"{feed_host.scheme}://{feed_host.netloc}/"
