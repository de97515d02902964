"""The history walk's polite HTTP layer (`feedbook.history.crawler.Crawler`), in-process, against
real HTTP servers on 127.0.0.1 and the book's real `HttpClient`.

Nothing here sleeps: every `Crawler` gets a ``sleep`` that records the wait it was asked for, and
(where exact waits matter) a ``clock`` that only moves when that ``sleep`` is called. The servers
are written for these tests (the politeness rules have no captured fixture); they answer what
RFC 9309 (robots.txt), RFC 9110 (Retry-After, conditional GET) and RFC 6585 (429) describe.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.server
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from feedbook.history.crawler import Crawler, GaveUp, Politeness, Validators, retry_after
from feedbook.history.resume import PageStore
from feedbook.net.addresses import AddressPolicy, HostPort, host_port
from feedbook.net.client import Fetched, FetchError, HttpClient

from helpers import Response

# --- a server that records what it was sent ------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it: its path (with the query) and its headers (lower-case names)."""

    path: str
    headers: dict[str, str]


Route = Response | Callable[[Seen], Response]


@dataclass
class Site:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def paths(self) -> list[str]:
        with self.lock:
            return [seen.path for seen in self.seen]

    def count(self, path: str) -> int:
        return self.paths().count(path)

    def request(self, path: str, number: int = -1) -> Seen:
        with self.lock:
            return [seen for seen in self.seen if seen.path == path][number]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        seen = Seen(self.path, {name.lower(): value for name, value in self.headers.items()})
        with site.lock:
            site.seen.append(seen)
        route = site.routes.get(self.path)
        if route is None:
            response = Response(404, b"not found", {"Content-Type": "text/plain"})
        else:
            response = route(seen) if callable(route) else route
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    site: Site


@contextmanager
def serve() -> Iterator[Site]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.site = Site(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd.site
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as running:
        yield running


@pytest.fixture
def other() -> Iterator[Site]:
    """A second server: another port of 127.0.0.1, so another host as far as the crawler knows."""
    with serve() as running:
        yield running


def answers(*responses: Response) -> Callable[[Seen], Response]:
    """A route that gives ``responses`` one after the other, then the last one for ever."""
    queue = list(responses)

    def route(seen: Seen) -> Response:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return route


def page(text: str = "a page", **headers: str) -> Response:
    return Response(200, text.encode(), {"Content-Type": "text/plain", **headers})


def robots(text: str) -> Response:
    return Response(200, text.encode(), {"Content-Type": "text/plain"})


# --- time that passes only when the crawler sleeps -----------------------------------------------


@dataclass
class FakeTime:
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def pair(url: str) -> HostPort:
    found = host_port(url)
    assert found is not None
    return found


def client_for(*sites: Site) -> HttpClient:
    """The book's client, trusting these local servers (as it trusts the feed URL the user names)."""
    return HttpClient(AddressPolicy.from_environment(*(running.base for running in sites)))


def crawler_for(
    site: Site,
    clock: FakeTime,
    *,
    client: HttpClient | None = None,
    store: PageStore | None = None,
    validators: Validators | None = None,
    **rules: float,
) -> Crawler:
    return Crawler(
        client or client_for(site),
        hosts={pair(site.base)},
        politeness=Politeness(**rules),  # type: ignore[arg-type]
        validators=validators,
        store=store,
        sleep=clock.sleep,
        clock=clock.clock,
    )


# --- the delay between two requests to one host --------------------------------------------------


def test_the_per_host_delay_is_waited_between_two_requests(site: Site) -> None:
    """With the real clock: no wait before the first request (robots.txt), then about the delay
    before each of the next two."""
    site.add("/a", page())
    site.add("/b", page())
    sleeps: list[float] = []
    crawler = Crawler(client_for(site), hosts={pair(site.base)}, politeness=Politeness(delay=2.0), sleep=sleeps.append)
    crawler.get(site.url("/a"))
    crawler.get(site.url("/b"))
    assert site.paths() == ["/robots.txt", "/a", "/b"]
    assert len(sleeps) == 2
    assert all(1.0 < wait <= 2.0 for wait in sleeps), sleeps
    assert crawler.requests == 3


def test_with_an_exact_clock_each_wait_is_the_delay(site: Site) -> None:
    """Time moving only while the crawler sleeps: each wait is exactly the delay."""
    site.add("/a", page())
    site.add("/b", page())
    clock = FakeTime()
    crawler = crawler_for(site, clock, delay=1.5)
    crawler.get(site.url("/a"))
    crawler.get(site.url("/b"))
    assert clock.sleeps == [1.5, 1.5]


def test_time_already_passed_counts_toward_the_delay(site: Site) -> None:
    """A request made long after the last one to its host does not wait at all."""
    site.add("/a", page())
    site.add("/b", page())
    clock = FakeTime()
    crawler = crawler_for(site, clock, delay=1.0)
    crawler.get(site.url("/a"))
    clock.now += 60
    crawler.get(site.url("/b"))
    assert clock.sleeps == [1.0]  # only /a, right after robots.txt


def test_each_host_has_its_own_delay(site: Site, other: Site) -> None:
    """The first request to a second host does not wait for the first host's delay."""
    site.add("/a", page())
    other.add("/b", page())
    clock = FakeTime()
    crawler = crawler_for(site, clock, client=client_for(site, other), delay=1.0)
    crawler.allow(other.base)
    crawler.get(site.url("/a"))
    crawler.get(other.url("/b"))
    # /a after site's robots.txt, /b after other's robots.txt; other's robots.txt itself did not wait.
    assert clock.sleeps == [1.0, 1.0]
    assert other.paths() == ["/robots.txt", "/b"]


def test_spacing_asks_for_a_longer_delay_for_one_request(site: Site) -> None:
    """``spacing`` (an API with a lower rate, such as the Wayback CDX) lengthens that request's wait."""
    site.add("/cdx", page())
    clock = FakeTime()
    crawler_for(site, clock, delay=1.0).get(site.url("/cdx"), spacing=2.5)
    assert clock.sleeps == [2.5]


# --- robots.txt ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "User-agent: *\nCrawl-delay: 5\n",
        "User-agent: feedbook\nCrawl-delay: 5\n\nUser-agent: *\nDisallow:\n",
    ],
    ids=["every-agent", "feedbook-group"],
)
def test_robots_crawl_delay_makes_the_waits_five_seconds(site: Site, text: str) -> None:
    """``Crawl-delay: 5`` (for every agent, or for feedbook's own group) is waited before each page."""
    site.add("/robots.txt", robots(text))
    site.add("/a", page())
    site.add("/b", page())
    clock = FakeTime()
    crawler = crawler_for(site, clock, delay=1.0)
    crawler.get(site.url("/a"))
    crawler.get(site.url("/b"))
    assert clock.sleeps == [5.0, 5.0]


def test_a_crawl_delay_shorter_than_the_own_delay_does_not_shorten_it(site: Site) -> None:
    """The larger of the two is honoured."""
    site.add("/robots.txt", robots("User-agent: *\nCrawl-delay: 1\n"))
    site.add("/a", page())
    clock = FakeTime()
    crawler_for(site, clock, delay=3.0).get(site.url("/a"))
    assert clock.sleeps == [3.0]


@pytest.mark.parametrize(("rate", "wait"), [("1/10", 10.0), ("3/12", 4.0)])
def test_robots_request_rate_spaces_the_requests(site: Site, rate: str, wait: float) -> None:
    """``Request-rate: N/S`` means one request every S/N seconds."""
    site.add("/robots.txt", robots(f"User-agent: *\nRequest-rate: {rate}\n"))
    site.add("/a", page())
    site.add("/b", page())
    clock = FakeTime()
    crawler = crawler_for(site, clock, delay=1.0)
    crawler.get(site.url("/a"))
    crawler.get(site.url("/b"))
    assert clock.sleeps == [wait, wait]


@pytest.mark.parametrize(
    "text",
    [
        "User-agent: *\nDisallow: /private/\n",
        "User-agent: feedbook\nDisallow: /private/\n\nUser-agent: *\nDisallow:\n",
    ],
    ids=["every-agent", "feedbook-group"],
)
def test_a_path_robots_disallows_is_refused_and_never_requested(site: Site, text: str) -> None:
    """FetchError "robots.txt disallows it", and the server never sees the request; other paths go."""
    site.add("/robots.txt", robots(text))
    site.add("/private/post", page("secret"))
    site.add("/public", page("open"))
    crawler = crawler_for(site, FakeTime(), delay=0.0)
    with pytest.raises(FetchError, match=r"robots\.txt disallows it"):
        crawler.get(site.url("/private/post"))
    assert crawler.get(site.url("/public")).data == b"open"
    assert site.paths() == ["/robots.txt", "/public"]


def test_robots_txt_is_read_once_per_host(site: Site) -> None:
    """Three pages, one robots.txt."""
    for name in ("/a", "/b", "/c"):
        site.add(name, page())
    crawler = crawler_for(site, FakeTime(), delay=0.0)
    for name in ("/a", "/b", "/c"):
        crawler.get(site.url(name))
    assert site.count("/robots.txt") == 1


@pytest.mark.parametrize("status", [404, 403, 410])
def test_a_robots_txt_answering_4xx_allows_everything(site: Site, status: int) -> None:
    """RFC 9309 §2.3.1.3: an unavailable robots.txt (4xx, 401 and 403 included) means no rules."""
    site.add("/robots.txt", Response(status, b"no", {"Content-Type": "text/plain"}))
    site.add("/anything", page("yes"))
    assert crawler_for(site, FakeTime(), delay=0.0).get(site.url("/anything")).data == b"yes"


def test_a_robots_txt_answering_500_allows_nothing(site: Site) -> None:
    """RFC 9309 §2.3.1.4: an unreachable robots.txt (5xx) means complete disallow."""
    site.add("/robots.txt", Response(500, b"oops", {"Content-Type": "text/plain"}))
    site.add("/post", page())
    with pytest.raises(FetchError, match=r"robots\.txt disallows it"):
        crawler_for(site, FakeTime(), delay=0.0).get(site.url("/post"))
    assert "/post" not in site.paths()


def test_a_robots_txt_answering_503_allows_nothing(site: Site) -> None:
    """A 503 robots.txt is waited for like any refusal, and in the end nothing is fetched."""
    site.add("/robots.txt", Response(503, b"busy", {"Content-Type": "text/plain"}))
    site.add("/post", page())
    with pytest.raises(FetchError):
        crawler_for(site, FakeTime(), delay=0.0).get(site.url("/post"))
    assert "/post" not in site.paths()


def test_an_unreachable_host_allows_nothing() -> None:
    """No answer at all for robots.txt (connection refused): nothing is fetched, and it says why."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    crawler = Crawler(
        HttpClient(AddressPolicy.from_environment(url)),
        hosts={pair(url)},
        politeness=Politeness(delay=0.0),
        sleep=FakeTime().sleep,
    )
    with pytest.raises(FetchError, match=r"robots\.txt disallows it"):
        crawler.get(url + "/post")


# --- 429 and 503: Retry-After and backoff ---------------------------------------------------------


def test_a_429_with_retry_after_seven_waits_seven_seconds_then_succeeds(site: Site) -> None:
    site.add("/page", answers(Response(429, b"slow down", {"Retry-After": "7"}), page("here")))
    clock = FakeTime()
    fetched = crawler_for(site, clock, delay=0.0).get(site.url("/page"))
    assert fetched.data == b"here"
    assert clock.sleeps == [7.0]
    assert site.count("/page") == 2


def test_the_wait_after_a_refusal_does_not_add_the_delay_on_top(site: Site) -> None:
    """The retry comes after the Retry-After, which already exceeds the host's delay."""
    site.add("/page", answers(Response(429, b"", {"Retry-After": "7"}), page()))
    clock = FakeTime()
    crawler_for(site, clock, delay=1.0).get(site.url("/page"))
    assert clock.sleeps == [1.0, 7.0]  # the delay after robots.txt, then the Retry-After


def test_retry_after_as_an_http_date_is_waited_until_that_date(site: Site) -> None:
    """RFC 9110 §10.2.3: Retry-After may be an HTTP-date (IMF-fixdate) some seconds ahead."""
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    site.add("/page", answers(Response(503, b"", {"Retry-After": when}), page()))
    clock = FakeTime()
    crawler_for(site, clock, delay=0.0).get(site.url("/page"))
    assert len(clock.sleeps) == 1
    assert 27.0 <= clock.sleeps[0] <= 30.0, clock.sleeps


def test_a_503_without_retry_after_backs_off_30_then_60_then_gives_up(site: Site) -> None:
    """Politeness(backoff=30): waits of 30 s and 60 s, and the third refusal in a row gives up."""
    site.add("/page", Response(503, b"down", {"Content-Type": "text/plain"}))
    clock = FakeTime()
    with pytest.raises(GaveUp, match="3 refusals") as raised:
        crawler_for(site, clock, delay=0.0, backoff=30.0).get(site.url("/page"))
    assert raised.value.status == 503
    assert clock.sleeps == [30.0, 60.0]
    assert site.count("/page") == 3


def test_the_backoff_doubles_each_time(site: Site) -> None:
    """With four refusals allowed: 30, 60, 120, then the fourth gives up."""
    site.add("/page", Response(429, b""))
    clock = FakeTime()
    with pytest.raises(GaveUp):
        crawler_for(site, clock, delay=0.0, backoff=30.0, refusals=4).get(site.url("/page"))
    assert clock.sleeps == [30.0, 60.0, 120.0]


def test_a_retry_after_longer_than_longest_wait_gives_up_at_once(site: Site) -> None:
    """A source asking for 601 s (longest_wait 600) is given up without waiting or asking again."""
    site.add("/page", Response(429, b"", {"Retry-After": "601"}))
    clock = FakeTime()
    with pytest.raises(GaveUp) as raised:
        crawler_for(site, clock, delay=0.0, longest_wait=600.0).get(site.url("/page"))
    assert raised.value.status == 429
    assert clock.sleeps == []
    assert site.count("/page") == 1


def test_a_retry_after_of_exactly_longest_wait_is_waited(site: Site) -> None:
    site.add("/page", answers(Response(429, b"", {"Retry-After": "600"}), page()))
    clock = FakeTime()
    crawler_for(site, clock, delay=0.0, longest_wait=600.0).get(site.url("/page"))
    assert clock.sleeps == [600.0]


def test_the_refusal_count_resets_after_a_success(site: Site) -> None:
    """Two refusals, a success, two refusals, a success: never three in a row, so never given up."""
    site.add("/a", answers(Response(503, b""), Response(503, b""), page("a")))
    site.add("/b", answers(Response(503, b""), Response(503, b""), page("b")))
    clock = FakeTime()
    crawler = crawler_for(site, clock, delay=0.0, backoff=30.0)
    assert crawler.get(site.url("/a")).data == b"a"
    assert crawler.get(site.url("/b")).data == b"b"
    assert clock.sleeps == [30.0, 60.0, 30.0, 60.0]


def test_other_errors_are_raised_at_once_without_retrying(site: Site) -> None:
    """A 404 or a 500 is an answer, not a refusal: no wait, no second request."""
    site.add("/gone", Response(404, b""))
    site.add("/broken", Response(500, b""))
    clock = FakeTime()
    crawler = crawler_for(site, clock, delay=0.0)
    for name, status in (("/gone", 404), ("/broken", 500)):
        with pytest.raises(FetchError) as raised:
            crawler.get(site.url(name))
        assert raised.value.status == status
        assert not isinstance(raised.value, GaveUp)
        assert site.count(name) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", "²"])
def test_an_unreadable_retry_after_falls_back_to_the_backoff(site: Site, value: str) -> None:
    """A Retry-After that is neither delta-seconds nor an HTTP-date is as if it were not sent
    ("²" arrives as a Latin-1 header byte, and str.isdigit() says yes to it)."""
    site.add("/page", answers(Response(429, b"", {"Retry-After": value}), page("ok")))
    clock = FakeTime()
    assert crawler_for(site, clock, delay=0.0, backoff=30.0).get(site.url("/page")).data == b"ok"
    assert clock.sleeps == [30.0]


# --- the hosts a walk may reach -------------------------------------------------------------------


def test_a_url_on_another_host_is_refused_without_any_request(site: Site, other: Site) -> None:
    """Another port of 127.0.0.1 and another name of this machine: refused before any connection,
    although the client itself would reach both."""
    other.add("/feed", page())
    crawler = crawler_for(site, FakeTime(), client=client_for(site, other), delay=0.0)
    port = site.base.rsplit(":", 1)[1]
    for url in (other.url("/feed"), f"http://localhost:{port}/feed"):
        assert not crawler.allows(url)
        with pytest.raises(FetchError, match="neither the blog's host nor an API host"):
            crawler.get(url)
    assert other.paths() == []
    assert site.paths() == []
    assert crawler.requests == 0


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/feed", "file:///etc/passwd", "not a url", ""])
def test_a_url_that_is_not_http_is_refused(site: Site, url: str) -> None:
    crawler = crawler_for(site, FakeTime(), delay=0.0)
    with pytest.raises(FetchError):
        crawler.get(url)
    assert site.paths() == []


def test_allow_adds_a_host(site: Site, other: Site) -> None:
    """After ``allow(url)`` the host of ``url`` (with its port) may be fetched; the first one still may."""
    other.add("/api", page("api"))
    site.add("/feed", page("feed"))
    crawler = crawler_for(site, FakeTime(), client=client_for(site, other), delay=0.0)
    crawler.allow(other.url("/anything?at=all"))
    assert crawler.allows(other.url("/api"))
    assert crawler.get(other.url("/api")).data == b"api"
    assert crawler.get(site.url("/feed")).data == b"feed"


def test_a_redirect_to_a_host_the_walk_was_not_given_is_not_followed(site: Site, other: Site) -> None:
    """The allowlist holds for redirects too: a blog page that redirects to another host (here
    ``localhost``, another name, which the client trusts) must not make the crawler contact that
    host, whose robots.txt it never read and whose delay it never kept."""
    elsewhere = f"http://localhost:{other.base.rsplit(':', 1)[1]}"
    other.add("/x", page("elsewhere"))
    site.add("/moved", Response(302, b"", {"Location": elsewhere + "/x"}))
    client = HttpClient(AddressPolicy.from_environment(site.base, elsewhere))
    crawler = crawler_for(site, FakeTime(), client=client, delay=0.0)
    with contextlib.suppress(FetchError):
        crawler.get(site.url("/moved"))
    assert other.paths() == []


def test_allow_ignores_what_is_not_an_http_url(site: Site) -> None:
    crawler = crawler_for(site, FakeTime())
    crawler.allow("not a url", "mailto:someone@example.com", "")
    assert crawler.hosts == {pair(site.base)}


# --- conditional GET ---------------------------------------------------------------------------------

ETAG = '"v1-abc"'
LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


def validating(seen: Seen) -> Response:
    """A page with an ETag and Last-Modified that answers 304 when they are sent back."""
    if seen.headers.get("if-none-match") == ETAG:
        return Response(304, b"", {"ETag": ETAG})
    return page("the feed", ETag=ETAG, **{"Last-Modified": LAST_MODIFIED})


def test_the_second_get_sends_the_validators_and_a_304_comes_back_as_such(site: Site) -> None:
    """If-None-Match (the ETag as received, quotes and all) and If-Modified-Since; 304 with no body."""
    url = site.add("/feed", validating)
    crawler = crawler_for(site, FakeTime(), delay=0.0)
    first = crawler.get(url)
    assert (first.status, first.data) == (200, b"the feed")
    assert "if-none-match" not in site.request("/feed", 0).headers
    assert "if-modified-since" not in site.request("/feed", 0).headers
    second = crawler.get(url)
    sent = site.request("/feed", 1).headers
    assert sent["if-none-match"] == ETAG
    assert sent["if-modified-since"] == LAST_MODIFIED
    assert second.status == 304
    assert second.data == b""


def test_conditional_false_sends_no_validators(site: Site) -> None:
    url = site.add("/feed", validating)
    crawler = crawler_for(site, FakeTime(), delay=0.0)
    crawler.get(url)
    again = crawler.get(url, conditional=False)
    assert again.status == 200
    assert "if-none-match" not in site.request("/feed", 1).headers
    assert "if-modified-since" not in site.request("/feed", 1).headers


def test_validators_kept_from_an_earlier_walk_are_sent_on_the_first_request(site: Site) -> None:
    """A new run starts from the validators the book kept: its very first GET can be a 304."""
    url = site.add("/feed", validating)
    kept = Validators({url: {"etag": ETAG, "last_modified": LAST_MODIFIED}})
    fetched = crawler_for(site, FakeTime(), delay=0.0, validators=kept).get(url)
    assert fetched.status == 304
    assert site.request("/feed").headers["if-none-match"] == ETAG


def test_only_the_validators_a_page_sent_are_sent_back(site: Site) -> None:
    """A page with a Last-Modified and no ETag: only If-Modified-Since goes back."""
    url = site.add("/feed", page(**{"Last-Modified": LAST_MODIFIED}))
    crawler = crawler_for(site, FakeTime(), delay=0.0)
    crawler.get(url)
    crawler.get(url)
    sent = site.request("/feed", 1).headers
    assert sent["if-modified-since"] == LAST_MODIFIED
    assert "if-none-match" not in sent


def test_validators_headers_keep_and_next() -> None:
    """`Validators`: headers for a page never seen are none; ``keep`` merges; ``remember_next``
    needs a page with validators and a non-empty next; ``keep`` does not forget the next."""
    validators = Validators()
    url = "https://example.com/feed/"
    assert validators.headers(url) == {}
    assert validators.next_of(url) == ""
    validators.remember_next(url, "https://example.com/feed/?paged=2")
    assert validators.next_of(url) == ""  # nothing kept for the page: nothing to hang the next on
    validators.keep(url, Fetched(b"", "", url, 200, {"etag": ETAG}))
    validators.remember_next(url, "https://example.com/feed/?paged=2")
    validators.remember_next(url, "")  # an empty next does not erase the one known
    assert validators.next_of(url) == "https://example.com/feed/?paged=2"
    validators.keep(url, Fetched(b"", "", url, 200, {"last-modified": LAST_MODIFIED}))
    assert validators.headers(url) == {"If-None-Match": ETAG, "If-Modified-Since": LAST_MODIFIED}
    assert validators.next_of(url) == "https://example.com/feed/?paged=2"
    validators.keep("https://example.com/other", Fetched(b"", "", url, 200, {"content-type": "text/xml"}))
    assert "https://example.com/other" not in validators.pages


# --- the page store: an interrupted walk resumes where it stopped -------------------------------


def test_a_page_fetched_once_is_served_from_the_store_without_a_request(site: Site, tmp_path: Path) -> None:
    """A second crawler with the same store sends nothing (not even robots.txt) and counts a resume."""
    url = site.add("/feed", page("the feed", ETag=ETAG))
    store = PageStore(tmp_path / "pages")
    first = crawler_for(site, FakeTime(), delay=0.0, store=store).get(url)
    before = len(site.paths())
    second_crawler = crawler_for(site, FakeTime(), delay=0.0, store=store)
    second = second_crawler.get(url)
    assert len(site.paths()) == before
    assert second_crawler.resumed == 1
    assert second_crawler.requests == 0
    assert (second.data, second.content_type, second.url, second.status) == (
        first.data,
        first.content_type,
        first.url,
        200,
    )
    assert second.headers.get("etag") == ETAG
    assert second_crawler.validators.headers(url) == {"If-None-Match": ETAG}


def test_only_whole_200_answers_are_stored(site: Site, tmp_path: Path) -> None:
    """Errors and 304s leave the store as it was."""
    site.add("/gone", Response(404, b""))
    url = site.add("/feed", validating)
    store = PageStore(tmp_path / "pages")
    crawler = crawler_for(site, FakeTime(), delay=0.0, store=store, validators=Validators({}))
    with pytest.raises(FetchError):
        crawler.get(site.url("/gone"))
    assert store.count() == 0
    crawler = crawler_for(site, FakeTime(), delay=0.0, store=store, validators=Validators({url: {"etag": ETAG}}))
    assert crawler.get(url).status == 304
    assert store.count() == 0


def _drop_json(folder: Path) -> None:
    next(folder.glob("*.json")).unlink()


def _drop_body(folder: Path) -> None:
    next(folder.glob("*.body")).unlink()


def _garbage_json(folder: Path) -> None:
    next(folder.glob("*.json")).write_text('{"url": "http://', encoding="utf-8")


def _json_list(folder: Path) -> None:
    next(folder.glob("*.json")).write_text("[]", encoding="utf-8")


def _json_of_another_url(folder: Path) -> None:
    meta = next(folder.glob("*.json"))
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "url": "http://elsewhere.example/"}), "utf-8")


def _partial_files_only(folder: Path) -> None:
    for path in list(folder.iterdir()):
        path.rename(path.with_suffix(path.suffix + ".partial"))


@pytest.mark.parametrize(
    "damage",
    [_drop_json, _drop_body, _garbage_json, _json_list, _json_of_another_url, _partial_files_only],
    ids=lambda damage: damage.__name__.strip("_"),
)
def test_a_half_written_store_entry_is_ignored(site: Site, tmp_path: Path, damage: Callable[[Path], None]) -> None:
    """A body without its description, a broken description, one that names another URL: the page
    is fetched again (and stored whole), never served half."""
    url = site.add("/feed", page("fresh"))
    folder = tmp_path / "pages"
    crawler_for(site, FakeTime(), delay=0.0, store=PageStore(folder)).get(url)
    damage(folder)
    before = site.count("/feed")
    again = crawler_for(site, FakeTime(), delay=0.0, store=PageStore(folder))
    assert again.get(url).data == b"fresh"
    assert again.resumed == 0
    assert site.count("/feed") == before + 1
    kept = PageStore(folder).get(url)
    assert kept is not None and kept.data == b"fresh"


def test_an_undamaged_store_entry_is_served(site: Site, tmp_path: Path) -> None:
    """The control of the test above: the same steps without damage resume from the store."""
    url = site.add("/feed", page("fresh"))
    folder = tmp_path / "pages"
    crawler_for(site, FakeTime(), delay=0.0, store=PageStore(folder)).get(url)
    again = crawler_for(site, FakeTime(), delay=0.0, store=PageStore(folder))
    assert again.get(url).data == b"fresh"
    assert again.resumed == 1


# --- retry_after() --------------------------------------------------------------------------------

# 2015-10-21 07:27:00 UTC: one minute before the dates below.
NOW = email.utils.parsedate_to_datetime("Wed, 21 Oct 2015 07:27:00 GMT").timestamp()


@pytest.mark.parametrize("value", ["", "   ", "soon", "-5", "1.5", "1e3", "0x10", "²", "¹²"])
def test_retry_after_that_is_neither_seconds_nor_a_date_is_none(value: str) -> None:
    """None (the caller backs off instead), never an exception."""
    assert retry_after(value, now=NOW) is None


@pytest.mark.parametrize(("value", "seconds"), [("7", 7.0), (" 7 ", 7.0), ("0", 0.0), ("120", 120.0)])
def test_retry_after_delta_seconds(value: str, seconds: float) -> None:
    assert retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize(
    "value",
    ["Wed, 21 Oct 2015 07:28:00 GMT", "Wednesday, 21-Oct-15 07:28:00 GMT", "Wed Oct 21 07:28:00 2015"],
    ids=["IMF-fixdate", "rfc850", "asctime"],
)
def test_retry_after_http_date_in_each_of_its_three_forms(value: str) -> None:
    """RFC 9110 §5.6.7: a recipient MUST accept all three HTTP-date forms (asctime has no zone: it is GMT)."""
    assert retry_after(value, now=NOW) == 60.0


def test_retry_after_a_date_in_the_past_is_zero() -> None:
    assert retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now=NOW) == 0.0
    assert retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now=NOW) == 0.0


def test_a_crawl_delay_of_a_day_gives_the_host_up_instead_of_sleeping(site: Site) -> None:
    """``Crawl-delay: 86400`` means "do not crawl": GaveUp at once, no sleep, the page never asked."""
    site.add("/robots.txt", robots("User-agent: *\nCrawl-delay: 86400\n"))
    site.add("/a", page())
    clock = FakeTime()
    crawler = crawler_for(site, clock, delay=1.0)
    with pytest.raises(GaveUp, match=r"robots\.txt asks for 86400 s between requests"):
        crawler.get(site.url("/a"))
    assert clock.sleeps == []
    assert [seen.path for seen in site.seen] == ["/robots.txt"]


def test_the_blogs_hosts_are_its_www_twin_on_both_web_ports() -> None:
    """A feed named with http:// whose pages move to https:// stays on the blog's own hosts."""
    from feedbook.history.walk import own_hosts

    assert own_hosts("http://Blog.Example/feed/") == {
        ("blog.example", 80),
        ("blog.example", 443),
        ("www.blog.example", 80),
        ("www.blog.example", 443),
    }
    assert own_hosts("http://127.0.0.1:8080/feed/") == {("127.0.0.1", 8080), ("www.127.0.0.1", 8080)}
