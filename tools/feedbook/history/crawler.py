"""One polite, safe HTTP layer for every history walk, on top of the book's `HttpClient`.

- only the hosts a walk was given (the blog's own, and the API hosts of its platform);
- one request at a time with a delay per host (robots.txt's Crawl-delay when it asks for more),
  and what robots.txt disallows is not fetched;
- 429 and 503 answered by waiting: ``Retry-After`` when sent, else an exponential backoff; a
  source that refuses three times in a row, or asks for too long a wait, is given up (`GaveUp`);
- conditional GET: the ETag and Last-Modified of every page are kept, and sent back next time;
- every page fetched is kept in the walk's `PageStore`, so an interrupted walk resumes there.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from ..net.addresses import HostPort, host_port
from ..net.client import Fetched, FetchError, HttpClient
from .resume import PageStore
from .robots import Robots

PAGE_SIZE_LIMIT = 50 * 1024 * 1024


class GaveUp(FetchError):
    """A source that kept refusing (or asked to wait too long): the walk stops, what it found is kept."""


@dataclass(frozen=True)
class Politeness:
    delay: float = 1.0  # seconds between two requests to one host
    backoff: float = 30.0  # the first wait after a refusal without Retry-After; doubles each time
    longest_wait: float = 600.0  # a longer Retry-After gives the source up rather than hang
    longest_delay: float = 60.0  # a longer robots.txt Crawl-delay means "do not crawl": given up
    refusals: int = 3  # refusals in a row that give a source up


@dataclass
class Validators:
    """What a page answered last time: its validators, and the next page it led to."""

    pages: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, url: str) -> dict[str, str]:
        known = self.pages.get(url, {})
        sent = {"If-None-Match": known["etag"]} if known.get("etag") else {}
        if known.get("last_modified"):
            sent["If-Modified-Since"] = known["last_modified"]
        return sent

    def keep(self, url: str, fetched: Fetched) -> None:
        page = {name: fetched.headers[header] for name, header in _VALIDATORS if fetched.headers.get(header)}
        if page:
            self.pages[url] = {**self.pages.get(url, {}), **page}

    def next_of(self, url: str) -> str:
        return self.pages.get(url, {}).get("next", "")

    def remember_next(self, url: str, next_url: str) -> None:
        if url in self.pages and next_url:
            self.pages[url]["next"] = next_url


_VALIDATORS = (("etag", "etag"), ("last_modified", "last-modified"))


class Crawler:
    """GETs for history walks; the ``hosts`` (host, port) allowed grow only through `allow`."""

    def __init__(
        self,
        client: HttpClient,
        *,
        hosts: set[HostPort],
        politeness: Politeness | None = None,
        validators: Validators | None = None,
        store: PageStore | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.hosts = set(hosts)
        self.politeness = politeness or Politeness()
        self.validators = validators or Validators()
        self.store = store
        self.sleep = sleep
        self.clock = clock
        self.requests = 0
        self.resumed = 0
        self._last: dict[str, float] = {}
        self._robots: dict[str, Robots] = {}
        self._refused = 0

    def allow(self, *urls: str) -> None:
        """Allow the hosts of ``urls`` (a platform's API host, say) from now on."""
        self.hosts.update(pair for url in urls if (pair := host_port(url)))

    def allows(self, url: str) -> bool:
        return host_port(url) in self.hosts

    def get(self, url: str, *, conditional: bool = True, spacing: float = 0.0) -> Fetched:
        """``url``'s answer: a 200 with its body, or a 304 when a conditional GET found it unchanged;
        ``spacing``: a longer delay than the host's for this request (an API with a lower rate)."""
        if not self.allows(url):
            host = urllib.parse.urlsplit(url).netloc or url
            raise FetchError(f"{host} is neither the blog's host nor an API host of its platform")
        if self.store is not None:
            kept = self.store.get(url)
            if kept is not None:
                self.resumed += 1
                self.validators.keep(url, kept)
                return kept
        robots = self._robots_of(url)
        if not robots.allows(url):
            raise FetchError("robots.txt disallows it")
        if robots.delay > self.politeness.longest_delay:
            raise GaveUp(f"robots.txt asks for {robots.delay:g} s between requests; gave up")
        sent = self.validators.headers(url) if conditional else {}
        fetched = self._polite_get(url, sent, max(self.politeness.delay, robots.delay, spacing))
        if fetched.status == 200:
            self.validators.keep(url, fetched)
            if self.store is not None:
                self.store.put(url, fetched)
        return fetched

    def _robots_of(self, url: str) -> Robots:
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            robots_url = f"{origin}/robots.txt"
            try:
                answer = self._polite_get(robots_url, {}, self.politeness.delay)
                self._robots[origin] = Robots.parse(answer.data)
            except GaveUp:
                raise
            except FetchError as error:
                self._robots[origin] = Robots.unavailable(error.status)
        return self._robots[origin]

    def _polite_get(self, url: str, headers: dict[str, str], delay: float) -> Fetched:
        host = urllib.parse.urlsplit(url).netloc
        while True:
            wait = self._last.get(host, -1e9) + delay - self.clock()
            if wait > 0:
                self.sleep(wait)
            self.requests += 1
            try:
                fetched = self.client.get(url, limit=PAGE_SIZE_LIMIT, headers=headers, may_redirect=self.allows)
            except FetchError as error:
                self._last[host] = self.clock()
                if error.status not in (429, 503):
                    self._refused = 0
                    raise
                self._wait_after_refusal(error)
                continue
            self._last[host] = self.clock()
            self._refused = 0
            return fetched

    def _wait_after_refusal(self, error: FetchError) -> None:
        self._refused += 1
        rules = self.politeness
        if self._refused >= rules.refusals:
            raise GaveUp(f"gave up after {self._refused} refusals in a row ({error})", status=error.status)
        asked = retry_after(error.headers.get("retry-after", ""), now=time.time())
        wait = asked if asked is not None else rules.backoff * 2 ** (self._refused - 1)
        if wait > rules.longest_wait:
            raise GaveUp(f"asked to wait {wait:.0f} s ({error}); gave up", status=error.status)
        self.sleep(wait)


def retry_after(value: str, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # the asctime form: HTTP dates are in GMT
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now)
