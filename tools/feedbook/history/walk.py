"""Which history a blog offers, found from its feed, walked with one polite crawler.

In order: a complete feed (nothing more to read); RFC 5005 archives; Blogger's counted pages;
Bear Blog's feed pages; Ghost's Content API (its public key read from the home page);
WordPress's REST API, or its paged feed when the API is closed; a paged feed's ``next`` links
(JSON Feed's ``next_url`` among them); and when none of these shows in the feed, one look at
the home page for WordPress's API link. The Wayback Machine, on request, comes on top.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..net.addresses import HostPort, host_port
from ..net.client import HttpClient
from .blogger import is_blogger, walk_blogger
from .crawler import Crawler, GaveUp, Politeness, Validators
from .found import Limits, Start, Walked
from .ghost import is_ghost, walk_ghost
from .paged_feed import is_bear, walk_bear, walk_paged_feed
from .resume import PageStore
from .rfc5005 import has_archives, has_next, is_complete, walk_archives, walk_complete, walk_next
from .wayback import WAYBACK_VARIABLE, base_url, walk_wayback
from .wordpress import (
    WORDPRESS_COM_VARIABLE,
    ApiClosed,
    api_roots,
    discover_api,
    is_wordpress,
    walk_rest,
    wordpress_com_api,
)


@dataclass(frozen=True)
class HistoryOptions:
    wayback: bool = False
    politeness: Politeness = field(default_factory=Politeness)
    limits: Limits = field(default_factory=Limits)


def own_hosts(url: str) -> set[HostPort]:
    """The feed's host and its www./bare twin: the blog's own hosts, on the feed's port (and on
    both 80 and 443 when it is one of them, so http -> https moves stay home)."""
    pair = host_port(url)
    if pair is None:
        return set()
    host, port = pair
    twin = host[4:] if host.startswith("www.") else f"www.{host}"
    ports = {80, 443} if port in (80, 443) else {port}
    return {(name, number) for name in (host, twin) for number in ports}


def walk_history(
    start: Start, client: HttpClient, options: HistoryOptions, validators: Validators, store: PageStore | None
) -> list[Walked]:
    """Every walk the blog allows; each says what it found and how complete that is."""
    crawler = Crawler(
        client, hosts=own_hosts(start.url), politeness=options.politeness, validators=validators, store=store
    )
    walks = [_live_history(start, crawler)]
    if options.wayback:
        walks.append(_wayback(start, client, options, validators, store))
    return walks


def _live_history(start: Start, crawler: Crawler) -> Walked:
    try:
        if is_complete(start):
            return walk_complete(start)
        if has_archives(start):
            return walk_archives(start, crawler)
        if is_blogger(start):
            return walk_blogger(start, crawler)
        if is_bear(start):
            return walk_bear(start, crawler)
        if is_ghost(start):
            return walk_ghost(start, crawler)
        if is_wordpress(start):
            return _wordpress(start, crawler)
        if has_next(start):
            return walk_next(start, crawler)
        if discover_api(start, crawler):
            return _wordpress(start, crawler)
    except GaveUp as error:
        return Walked("History", feeds=[start.feed], pages=1, stopped=str(error))
    found = Walked("Feed only (the blog lists no older posts)", feeds=[start.feed], pages=1)
    found.complete = True  # nothing more to look for: the line need not say "completeness unknown"
    return found


def _wordpress(start: Start, crawler: Crawler) -> Walked:
    closed: list[str] = []
    for root in api_roots(start, crawler):
        try:
            return walk_rest(start, crawler, root)
        except ApiClosed as error:
            closed.append(f"{root}: {error}")
    walked = walk_paged_feed(start, crawler)
    if closed:
        walked.method += " (the REST API is closed)"
    return walked


def _wayback(
    start: Start, client: HttpClient, options: HistoryOptions, validators: Validators, store: PageStore | None
) -> Walked:
    rules = options.politeness
    # The Internet Archive escalates to firewall blocks: two refusals end the walk, and a 429
    # without Retry-After waits a minute (its own client's default).
    archive = Politeness(delay=rules.delay, backoff=rules.backoff * 2, longest_wait=rules.longest_wait, refusals=2)
    crawler = Crawler(client, hosts=set(), politeness=archive, validators=validators, store=store)
    crawler.allow(base_url())
    return walk_wayback(start, crawler)


def named_services(*, wayback: bool) -> list[str]:
    """The platform URLs the user set in the environment (FEEDBOOK_WAYBACK_URL when the Wayback
    Machine is asked, FEEDBOOK_WORDPRESS_COM_URL): trusted as the feed URL is, even on this machine."""
    named = [base_url()] if wayback and os.environ.get(WAYBACK_VARIABLE) else []
    return named + ([wordpress_com_api()] if os.environ.get(WORDPRESS_COM_VARIABLE) else [])
