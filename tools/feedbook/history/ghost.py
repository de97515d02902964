"""Ghost: the Content API, with the public key its own pages publish.

Ghost's RSS holds the 15 newest posts and has had no paging since Ghost 3. Its Content API
lists every public post (``/ghost/api/content/posts/?key=KEY&limit=100&page=N``, 100 a page,
``meta.pagination`` counting them). The key is public by design (Ghost's docs: it gives access
to public content only), and themes print it in the home page on the portal and search scripts
(``data-key``, ``data-api``). The API is asked only on the blog's own host or on its
``*.ghost.io`` host. A members-only post comes back without its body: its excerpt is kept,
marked as one.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import replace
from typing import Any

from ..net.client import FetchError
from ..sources.elements import make_entry, parse_date
from ..sources.records import Feed
from .answers import json_answer, text
from .crawler import Crawler, GaveUp
from .found import Start, Walked
from .wordpress import home_page

PER_PAGE = 100
_KEY = re.compile(rb"""\bdata-key=["']([0-9a-f]{10,64})["']""")
_API = re.compile(rb"""\bdata-api=["']([^"']+/ghost/api/content/?)["']""")


def is_ghost(start: Start) -> bool:
    return start.feed.generator.lower().startswith("ghost")


def content_api(page: bytes, page_url: str) -> tuple[str, str]:
    """The Content API's URL and key that a Ghost page publishes, or ("", "")."""
    key, api = _KEY.search(page[: 1 << 21]), _API.search(page[: 1 << 21])
    if not key or not api:
        return "", ""
    found = urllib.parse.urljoin(page_url, html.unescape(api.group(1).decode("utf-8", "replace")))
    return found.rstrip("/") + "/", key.group(1).decode("ascii")


def walk_ghost(start: Start, crawler: Crawler) -> Walked:
    walked = Walked("Ghost Content API", feeds=[start.feed], pages=1)
    home = home_page(start)
    try:
        api, key = content_api(crawler.get(home, conditional=False).data, home)
    except GaveUp:
        raise
    except FetchError as error:
        walked.stopped = f"{home}: {error}"
        return walked
    host = urllib.parse.urlsplit(api).hostname or ""
    if not api:
        walked.stopped = "the home page publishes no Content API key"
        return walked
    if host.endswith(".ghost.io"):
        crawler.allow(api)
    walked.feeds, walked.pages = [], 0  # the API lists every post, the feed's among them
    page = 1
    while page and not walked.page_cap_reached(start.limits):
        query = urllib.parse.urlencode(
            {"key": key, "limit": PER_PAGE, "page": page, "include": "tags,authors", "formats": "html"}
        )
        url = f"{api}posts/?{query}"
        try:
            fetched = crawler.get(url)
        except FetchError as error:
            walked.stopped = f"{api}posts/: {error}"
            break
        if fetched.status == 304:
            walked.pages += 1
            page += 1
            continue
        answer = json_answer(fetched.data)
        posts = answer.get("posts") if isinstance(answer, dict) else None
        if not isinstance(posts, list):
            walked.stopped = f"{api}posts/: the answer is not a list of posts"
            break
        pagination = _pagination(answer)
        walked.total = pagination.get("total") if isinstance(pagination.get("total"), int) else walked.total
        feed = Feed(source=f"{api}posts/", title=start.feed.title, author=start.feed.author)
        for post in posts:
            entry = _entry(post, feed, start)
            if entry is not None:
                feed.entries.append(entry)
        walked.add(feed, start)
        following = pagination.get("next")
        page = following if isinstance(following, int) and following > page else 0
    return walked


def _entry(post: Any, feed: Feed, start: Start) -> Any:
    if not isinstance(post, dict):
        return None
    body = text(post.get("html"))
    excerpt = text(post.get("custom_excerpt")) or text(post.get("excerpt"))
    names = [text(item.get("name")) for item in _list(post.get("tags")) if isinstance(item, dict)]
    people = [text(item.get("name")) for item in _list(post.get("authors")) if isinstance(item, dict)]
    entry = make_entry(
        feed,
        start.reporter,
        entry_id=text(post.get("id")),  # what Ghost's RSS gives as the guid
        title=text(post.get("title")),
        link=text(post.get("url")),
        published=parse_date(text(post.get("published_at"))),
        updated=parse_date(text(post.get("updated_at"))),
        authors=[name for name in people if name] or ([start.feed.author] if start.feed.author else []),
        tags=[name for name in names if not name.startswith("#")],  # "#internal" tags are Ghost's own
        content=body or (f"<p>{html.escape(excerpt)}</p>" if excerpt else ""),
        base_url=text(post.get("url")),
        summary_only=not body.strip(),
    )
    return replace(entry, origin="ghost-api") if entry is not None else None


def _pagination(answer: dict[str, Any]) -> dict[str, Any]:
    meta = answer.get("meta")
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    return pagination if isinstance(pagination, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
