"""Local HTTP servers (127.0.0.1) that behave as blog platforms do when a client walks a blog's
history: WordPress (REST API and paged feed), Blogger, RFC 5005 archives, JSON Feed paging and
the Wayback Machine.

Their answers are built on the real responses in tests/fixtures/history (copied from
../shared/history: WordPress REST post and category pages, a Blogger feed page). Where no
capture exists (response headers such as X-WP-Total, the 400 past the last page, an RFC 5005
archive chain, a CDX listing of a feed), the answers are written from the platforms' documented
shapes (../shared/history/RESEARCH.md) and say so where they are made.
"""

from __future__ import annotations

import copy
import datetime as dt
import email.utils
import hashlib
import html
import http.server
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from helpers import Response

HISTORY_FIXTURES = Path(__file__).parent / "fixtures" / "history"


@dataclass
class Request:
    path: str  # with the query
    headers: dict[str, str]
    at: float  # time.monotonic()

    @property
    def route(self) -> str:
        return urllib.parse.urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))


App = Callable[[Request], Response]


@dataclass
class Site:
    """A running server: its base URL and every request it was sent."""

    base: str
    log: list[Request] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self, route: str | None = None) -> list[str]:
        return [request.path for request in self.log if route is None or request.route == route]


@contextmanager
def serve(app: App) -> Iterator[Site]:
    """``app`` answering every GET on 127.0.0.1 (port 0), from a background thread."""
    site = Site("")
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
            with lock:
                site.log.append(request)
            response = app(request)
            etag = response.headers.get("ETag") or _etag(response)
            if response.status == 200 and request.headers.get("if-none-match") == etag:
                response = Response(304, b"", {"ETag": etag})
            elif response.status == 200:
                response.headers.setdefault("ETag", etag)
            try:
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def _etag(response: Response) -> str:
    """A strong validator of the body, as servers derive one (only 200 answers get one)."""
    return '"' + hashlib.sha256(response.body).hexdigest()[:16] + '"'


def _json(value: object, status: int = 200, **headers: str) -> Response:
    return Response(status, json.dumps(value).encode(), {"Content-Type": "application/json; charset=UTF-8", **headers})


NOT_FOUND = Response(404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"})


# --- WordPress ------------------------------------------------------------------------------------


def real_wordpress_posts() -> list[dict[str, object]]:
    """The 10 captured posts of unitingnc.org (WordPress 2020), newest first."""
    return json.loads((HISTORY_FIXTURES / "RobJacobson-website-unc--wp-v2-posts-page1-unitingnc.org.json").read_text())


def real_wordpress_categories() -> list[dict[str, object]]:
    return json.loads((HISTORY_FIXTURES / "RobJacobson-website-unc--wp-v2-categories-unitingnc.org.json").read_text())


def many_wordpress_posts(count: int, host: str = "www.unitingnc.org") -> list[dict[str, object]]:
    """``count`` posts in the captured posts' shape (synthetic beyond the 10 real ones: each a copy
    of a real post with its own id, guid, link, title and date), newest first."""
    real = real_wordpress_posts()
    posts = []
    newest = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
    for number in range(count):
        post = copy.deepcopy(real[number % len(real)])
        post_id = 100000 + count - number
        when = newest - dt.timedelta(days=number)
        gmt = when.strftime("%Y-%m-%dT%H:%M:%S")
        post.update(
            id=post_id,
            date=gmt,
            date_gmt=gmt,
            modified=gmt,
            modified_gmt=gmt,
            slug=f"post-{post_id}",
            link=f"https://{host}/{when:%Y/%m}/post-{post_id}/",
            guid={"rendered": f"https://{host}/?p={post_id}"},
            title={"rendered": f"Post number {post_id} &#8211; {html.escape(str(real[number % len(real)]['slug']))}"},
        )
        posts.append(post)
    return posts


@dataclass
class WordPress:
    """A WordPress site: home page, robots.txt, ``/feed/`` (10 a page, ``?paged=N``, 404 past the
    end) and the REST API under ``/wp-json/`` (``X-WP-Total``, ``X-WP-TotalPages``, ``Link``
    rel=next and the 400 ``rest_post_invalid_page_number``, as core does since 4.7/4.8: written
    from the REST API handbook, since the captures keep bodies only)."""

    posts: list[dict[str, object]]
    categories: list[dict[str, object]] = field(default_factory=real_wordpress_categories)
    tags: list[dict[str, object]] = field(default_factory=list)
    # "open"; "closed" (401 rest_not_logged_in, as security plugins answer); "html" (a WAF's page);
    # "missing" (no /wp-json/ at all: a WordPress.com site on its own domain)
    api: str = "open"
    generator: str = "https://wordpress.org/?v=6.4.2"
    link_header: bool = True  # WordPress sends Link: rel="https://api.w.org/" on front-end pages
    ignore_paged: bool = False  # a cache that serves page 1 whatever ?paged= says
    robots: str = ""
    feed_per_page: int = 10
    refuse: list[Response] = field(default_factory=list)  # answers sent before the real ones
    paging_headers: bool = True
    hold: threading.Event | None = None  # REST page ``hold_page`` waits for it (an interrupted walk)
    hold_page: int = 0
    base: str = ""

    def __call__(self, request: Request) -> Response:
        if self.refuse and request.route != "/robots.txt":
            return self.refuse.pop(0)
        api_link = {"Link": f'<{self.base}/wp-json/>; rel="https://api.w.org/"'} if self.link_header else {}
        if request.route == "/robots.txt":
            return Response(200, self.robots.encode(), {"Content-Type": "text/plain"}) if self.robots else NOT_FOUND
        if request.route == "/":
            page = (
                f"<html><head><link rel='https://api.w.org/' href='{self.base}/wp-json/' /></head><body></body></html>"
            )
            return Response(200, page.encode(), {"Content-Type": "text/html; charset=UTF-8", **api_link})
        if request.route == "/feed/":
            return self._feed(request, api_link)
        if request.route.startswith("/wp-json/"):
            if self.api == "closed":
                body = {
                    "code": "rest_not_logged_in",
                    "message": "You are not currently logged in.",
                    "data": {"status": 401},
                }
                return _json(body, 401)
            if self.api == "missing":
                return NOT_FOUND
            if self.api == "html":
                return Response(200, b"<html><body>Access denied</body></html>", {"Content-Type": "text/html"})
            return self._rest(request)
        return NOT_FOUND

    def _feed(self, request: Request, api_link: dict[str, str]) -> Response:
        page = 1 if self.ignore_paged else int(request.query.get("paged", "1"))
        size = self.feed_per_page
        chosen = self.posts[(page - 1) * size : page * size]
        if not chosen:
            return NOT_FOUND
        names = {term["id"]: term["name"] for term in [*self.categories, *self.tags]}
        items = "".join(_rss_item(post, names) for post in chosen)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
            f"<channel><title>Uniting NC</title><link>{self.base}/</link><description>Test blog</description>"
            f'<atom:link href="{self.base}/feed/" rel="self" type="application/rss+xml" />'
            f"<language>en-US</language><generator>{escape(self.generator)}</generator>"
            f"{items}</channel></rss>"
        )
        return Response(200, body.encode(), {"Content-Type": "application/rss+xml; charset=UTF-8", **api_link})

    def _rest(self, request: Request) -> Response:
        route = request.route.removeprefix("/wp-json/")
        collections = {"wp/v2/posts": self.posts, "wp/v2/categories": self.categories, "wp/v2/tags": self.tags}
        if route not in collections:
            return _json({"code": "rest_no_route", "message": "No route was found.", "data": {"status": 404}}, 404)
        items = collections[route]
        per_page = min(int(request.query.get("per_page", "10")), 100)
        page = int(request.query.get("page", "1"))
        pages = max(1, -(-len(items) // per_page))
        if page > pages and items:
            message = "The page number requested is larger than the number of pages available."
            return _json({"code": "rest_post_invalid_page_number", "message": message, "data": {"status": 400}}, 400)
        chosen = items[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)}
        links = []
        query = {k: v for k, v in request.query.items() if k != "page"}
        for rel, number in (("prev", page - 1), ("next", page + 1)):
            if 1 <= number <= pages:
                link = f"{self.base}/wp-json/{route}?{urllib.parse.urlencode({**query, 'page': number})}"
                links.append(f'<{link}>; rel="{rel}"')
        if links:
            headers["Link"] = ", ".join(links)
        if not self.paging_headers:  # a proxy that drops them: the 400 past the end is the only signal
            headers = {}
        if request.query.get("_embed") and route == "wp/v2/posts":
            author = [{"id": 29, "name": "Uniting NC"}]
            chosen = [{**post, "_embedded": {"author": author}} for post in chosen]
        if self.hold is not None and route == "wp/v2/posts" and page == self.hold_page:
            self.hold.wait(60)
        return _json(chosen, **headers)


def _rss_item(post: dict[str, object], names: dict[object, object]) -> str:
    def rendered(key: str) -> str:
        value = post.get(key)
        return str(value.get("rendered", "")) if isinstance(value, dict) else ""

    when = dt.datetime.fromisoformat(str(post["date_gmt"])).replace(tzinfo=dt.UTC)
    categories = "".join(
        f"<category><![CDATA[{names.get(number, '')}]]></category>"
        for key in ("categories", "tags")
        for number in post.get(key, []) or []  # type: ignore[attr-defined]
    )
    return (
        f"<item><title>{rendered('title')}</title><link>{escape(str(post['link']))}</link>"
        f"<dc:creator><![CDATA[Uniting NC]]></dc:creator><pubDate>{email.utils.format_datetime(when)}</pubDate>"
        f'{categories}<guid isPermaLink="false">{escape(rendered("guid"))}</guid>'
        f"<description><![CDATA[{rendered('excerpt')}]]></description>"
        f"<content:encoded><![CDATA[{rendered('content')}]]></content:encoded></item>"
    )


# --- Blogger ----------------------------------------------------------------------------------------


BLOGGER_PAGE_1 = HISTORY_FIXTURES / "I014-jorgeelconstructor.blogspot.com--blogger-posts-default-page1.atom.xml"


@dataclass
class Blogger:
    """A blogspot blog: page 1 is the captured Atom page byte for byte (25 of 39 posts, its next
    link on http://www.blogger.com); the pages after it hold the 14 other posts, written in the
    same shape from the real entries (ids and titles changed: no capture of page 2 exists)."""

    base: str = ""
    cross_host_next: str = ""  # when set, page 2's next link points there (a host not Blogger's)

    def __call__(self, request: Request) -> Response:
        if request.route != "/feeds/posts/default":
            return NOT_FOUND
        start = int(request.query.get("start-index", "1"))
        if start == 1 and "max-results" not in request.query:
            return Response(200, BLOGGER_PAGE_1.read_bytes(), {"Content-Type": "application/atom+xml; charset=UTF-8"})
        size = int(request.query.get("max-results", "25"))
        return Response(200, self.page(start, size), {"Content-Type": "application/atom+xml; charset=UTF-8"})

    @staticmethod
    def later_entries() -> list[str]:
        """Posts 26..39: the first 14 real entries with new post ids and titles."""
        text = BLOGGER_PAGE_1.read_text(encoding="utf-8")
        entries = text.split("<entry>")[1:]
        made = []
        for number, entry in enumerate(entries[:14], start=26):
            body = entry.split("</entry>")[0]
            post_id = body.split(".post-", 1)[1].split("<", 1)[0]
            body = body.replace(post_id, f"90000000000000{number:02d}")
            title_start = body.index("<title type='text'>") + len("<title type='text'>")
            title_end = body.index("</title>", title_start)
            body = body[:title_start] + f"Older post {number}" + body[title_end:]
            made.append(f"<entry>{body}</entry>")
        return made

    def page(self, start: int, size: int) -> bytes:
        text = BLOGGER_PAGE_1.read_text(encoding="utf-8")
        head = text.split("<entry>")[0]
        head = head.replace("<openSearch:startIndex>1<", f"<openSearch:startIndex>{start}<")
        head = head.replace("<openSearch:itemsPerPage>25<", f"<openSearch:itemsPerPage>{size}<")
        head = head.split("<link rel='next'")[0] + head.split("<link rel='next'", 1)[1].split("/>", 1)[1]
        if self.cross_host_next:
            link = f"{self.cross_host_next}/feeds/posts/default?start-index={start + size}&amp;max-results={size}"
            head = head.replace("<author>", f"<link rel='next' type='application/atom+xml' href='{link}'/><author>", 1)
        chosen = self.later_entries()[start - 26 : start - 26 + size] if start >= 26 else []
        return (head + "".join(chosen) + "</feed>").encode()


# --- RFC 5005 and JSON Feed paging ----------------------------------------------------------------


def atom_document(
    entries: list[tuple[str, str, str]], links: dict[str, str], *, archive: bool = False, complete: bool = False
) -> bytes:
    """An Atom document of (id, title, date) entries with feed-level links: RFC 5005's shapes,
    written from the RFC (no captured archived blog feed exists)."""
    link_xml = "".join(f"<link rel={quoteattr(rel)} href={quoteattr(href)}/>" for rel, href in links.items())
    marks = ("<fh:archive/>" if archive else "") + ("<fh:complete/>" if complete else "")
    items = "".join(
        f"<entry><id>{escape(i)}</id><title>{escape(t)}</title><updated>{d}</updated><published>{d}</published>"
        f"<link rel='alternate' href='https://blog.example/{escape(i.rsplit(':', 1)[-1])}/'/>"
        f"<content type='html'>{escape('<p>The words of ' + t + '.</p>')}</content></entry>"
        for i, t, d in entries
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:fh='http://purl.org/syndication/history/1.0'>"
        f"<title>Archived blog</title><id>urn:test:archived</id><updated>2024-01-01T00:00:00Z</updated>"
        f"<author><name>Ann Author</name></author>{marks}{link_xml}{items}</feed>"
    ).encode()


def numbered_post(number: int) -> tuple[str, str, str]:
    when = dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=number)
    return (f"urn:test:post:{number}", f"Post {number}", when.strftime("%Y-%m-%dT%H:%M:%SZ"))


def documents_app(documents: dict[str, bytes], content_type: str = "application/atom+xml") -> App:
    def app(request: Request) -> Response:
        body = documents.get(request.path)
        return Response(200, body, {"Content-Type": content_type}) if body is not None else NOT_FOUND

    return app


# --- the Wayback Machine ----------------------------------------------------------------------------


@dataclass
class Wayback:
    """web.archive.org's CDX API (plain text lines, a blank line and the resume key, an empty last
    answer, as the captured exchanges show) and raw ``id_`` snapshots of one feed URL."""

    snapshots: dict[str, bytes]  # timestamp -> the feed as it was archived
    original: str
    page_size: int = 2
    refuse: list[Response] = field(default_factory=list)  # answers sent before the real ones
    blocked: bool = False

    def __call__(self, request: Request) -> Response:
        if request.route == "/robots.txt":
            return NOT_FOUND
        if self.refuse:
            return self.refuse.pop(0)
        if request.route == "/cdx/search/cdx":
            if self.blocked:
                body = (
                    b"org.archive.util.io.RuntimeIOException: org.archive.wayback.exception."
                    b"AdministrativeAccessControlException: Blocked Site Error\n"
                )
                return Response(403, body, {"Content-Type": "text/plain"})
            return self._cdx(request)
        if request.route.startswith("/web/"):
            stamp, _, original = request.path.removeprefix("/web/").partition("id_/")
            body = self.snapshots.get(stamp)
            if body is None or original != self.original:
                return NOT_FOUND
            return Response(200, body, {"Content-Type": "application/atom+xml", "Memento-Datetime": stamp})
        return NOT_FOUND

    def _cdx(self, request: Request) -> Response:
        stamps = sorted(self.snapshots)
        offset = int(request.query.get("resumeKey", "0") or "0")
        chosen = stamps[offset : offset + self.page_size]
        if not chosen:
            return Response(200, b"", {"Content-Type": "text/plain"})
        key = urllib.parse.urlsplit(self.original)
        urlkey = ",".join(reversed((key.hostname or "").split("."))) + ")" + key.path
        lines = [f"{urlkey} {stamp} {self.original} application/atom+xml 200 DIGEST{stamp} 1234" for stamp in chosen]
        body = "\n".join(lines) + "\n"
        if offset + self.page_size < len(stamps):
            body += f"\n{offset + self.page_size}\n"
        return Response(200, body.encode(), {"Content-Type": "text/plain"})


# --- Ghost and Bear Blog ---------------------------------------------------------------------------


GHOST_KEY = "22444f78447824223cefc48062"  # the shape of a Content API key (26 hex digits)


@dataclass
class Ghost:
    """A Ghost site: the home page with the portal script's data-key and data-api, the RSS of its
    15 newest posts, and the Content API (``meta.pagination``). Written from Ghost's Content API
    documentation and its theme helpers: no captured Ghost answer exists. The bodies are the
    captured WordPress posts' (real HTML)."""

    count: int
    members_only: set[int] = field(default_factory=set)
    base: str = ""

    def posts(self) -> list[dict[str, object]]:
        made = []
        for number, source in enumerate(many_wordpress_posts(self.count)):
            content = source["content"]
            assert isinstance(content, dict)
            made.append(
                {
                    "id": f"65a1b2c3d4e5f6{number:010d}",
                    "title": f"Ghost post {number}",
                    "url": f"{self.base}/ghost-post-{number}/",
                    "html": None if number in self.members_only else content["rendered"],
                    "excerpt": f"The excerpt of Ghost post {number}.",
                    "published_at": f"{source['date_gmt']}.000+00:00",
                    "updated_at": f"{source['modified_gmt']}.000+00:00",
                    "tags": [{"name": "Essays"}, {"name": "#hidden"}],
                    "authors": [{"name": "Gina Ghost"}],
                }
            )
        return made

    def __call__(self, request: Request) -> Response:
        if request.route == "/":
            script = (
                '<script defer src="https://cdn.jsdelivr.net/ghost/portal@~2.36/umd/portal.min.js" '
                f'data-i18n="true" data-ghost="{self.base}/" data-key="{GHOST_KEY}" '
                f'data-api="{self.base}/ghost/api/content/" crossorigin="anonymous"></script>'
            )
            page = f'<html><head><meta name="generator" content="Ghost 5.75">{script}</head><body></body></html>'
            return Response(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})
        if request.route == "/rss/":
            items = "".join(
                f"<item><title>{escape(str(p['title']))}</title><link>{p['url']}</link>"
                f'<guid isPermaLink="false">{p["id"]}</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate>'
                f"<description>{escape(str(p['excerpt']))}</description></item>"
                for p in self.posts()[:15]
            )
            body = (
                '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Ghost blog</title>'
                f"<link>{self.base}/</link><description>A Ghost blog</description>"
                f"<generator>Ghost 5.75</generator>{items}</channel></rss>"
            )
            return Response(200, body.encode(), {"Content-Type": "application/rss+xml; charset=utf-8"})
        if request.route == "/ghost/api/content/posts/":
            if request.query.get("key") != GHOST_KEY:
                return _json({"errors": [{"message": "Unknown Content API Key", "type": "UnauthorizedError"}]}, 401)
            limit, page = int(request.query.get("limit", "15")), int(request.query.get("page", "1"))
            posts = self.posts()
            pages = max(1, -(-len(posts) // limit))
            pagination = {
                "page": page,
                "limit": limit,
                "pages": pages,
                "total": len(posts),
                "next": page + 1 if page < pages else None,
                "prev": page - 1 if page > 1 else None,
            }
            chosen = posts[(page - 1) * limit : page * limit]
            return _json({"posts": chosen, "meta": {"pagination": pagination}})
        return NOT_FOUND


@dataclass
class Bear:
    """A Bear blog's ``/feed/?page=N``: 10 posts a page counted from 0, an empty feed past the end
    (as blogs/views/feed.py does; written from its source, no capture exists)."""

    count: int

    def __call__(self, request: Request) -> Response:
        if request.route != "/feed/":
            return NOT_FOUND
        page = int(request.query.get("page", "0"))
        chosen = range(self.count - page * 10, max(self.count - (page + 1) * 10, 0), -1)
        return Response(
            200, atom_document([numbered_post(n) for n in chosen], {}), {"Content-Type": "application/atom+xml"}
        )
