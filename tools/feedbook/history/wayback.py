"""The Wayback Machine: old copies of the feed itself, listed by the CDX API and read raw (``id_``).

A blog's feed archived a hundred times holds, together, many more posts than today's feed, and
it outlives the blog. Coverage is what the archive happened to capture, so the result is never
called complete. The Internet Archive blocks clients that ignore its 429s: CDX requests are
spaced 2.5 times the crawl delay (24 a minute at the default), and two refusals in a row end the
walk, keeping what it found.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass

from ..diagnostics import FeedbookError
from ..net.client import FetchError
from .crawler import Crawler, GaveUp
from .found import Start, Walked
from .pages import read_page

DEFAULT_BASE = "https://web.archive.org"
WAYBACK_VARIABLE = "FEEDBOOK_WAYBACK_URL"
CDX_SPACING = 2.5  # times the crawl delay, for CDX requests
CDX_LIMIT = 1000  # rows per CDX request; the resume key carries on from there


@dataclass(frozen=True)
class Snapshot:
    timestamp: str
    original: str
    digest: str


def base_url() -> str:
    return (os.environ.get(WAYBACK_VARIABLE) or DEFAULT_BASE).rstrip("/")


def parse_cdx(text: str) -> tuple[list[Snapshot], str]:
    """A CDX answer in its plain form (``urlkey timestamp original mimetype statuscode digest
    length`` lines, then a blank line and the resume key): the 200 snapshots, and the key."""
    body, _blank, key = text.strip("\n").partition("\n\n")
    snapshots = []
    for line in body.splitlines():
        fields = line.split(" ")
        if len(fields) >= 6 and fields[1].isdigit() and fields[4] == "200":
            snapshots.append(Snapshot(fields[1], fields[2], fields[5]))
    return snapshots, key.strip()


def cdx_url(base: str, feed_url: str, resume_key: str = "") -> str:
    params = [
        ("url", feed_url),
        ("filter", "statuscode:200"),
        ("collapse", "digest"),
        ("limit", str(CDX_LIMIT)),
        ("showResumeKey", "true"),
    ]
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{base}/cdx/search/cdx?{urllib.parse.urlencode(params)}"


def list_snapshots(start: Start, crawler: Crawler, base: str, walked: Walked) -> list[Snapshot]:
    """Every distinct 200 snapshot of the feed URL, oldest first."""
    spacing = crawler.politeness.delay * CDX_SPACING
    found: dict[str, Snapshot] = {}
    key = ""
    for _request in range(start.limits.pages):
        url = cdx_url(base, start.url, key)
        try:
            fetched = crawler.get(url, conditional=False, spacing=spacing)
        except FetchError as error:
            if error.status == 403 and "Blocked" in error.body.decode("utf-8", "replace"):
                walked.stopped = "the archive excludes this site"
            else:
                walked.stopped = f"listing the snapshots: {error}"
            break
        snapshots, key = parse_cdx(fetched.data.decode("utf-8", "replace"))
        for snapshot in snapshots:
            found.setdefault(snapshot.digest or snapshot.timestamp, snapshot)
        if not key or not snapshots:
            break
    return sorted(found.values(), key=lambda snapshot: snapshot.timestamp)


def walk_wayback(start: Start, crawler: Crawler) -> Walked:
    walked = Walked("Wayback Machine")
    base = base_url()
    for snapshot in list_snapshots(start, crawler, base, walked):
        if walked.page_cap_reached(start.limits, "snapshots"):
            break
        url = f"{base}/web/{snapshot.timestamp}id_/{snapshot.original}"
        try:
            feed, final = read_page(url, crawler, start, f"wayback:{snapshot.timestamp}")
        except GaveUp as error:
            walked.stopped = str(error)
            break
        except (FetchError, FeedbookError):
            continue  # one snapshot that is gone or not a feed: the others still count
        if feed is None:
            continue
        if not final.startswith(f"{base}/web/"):
            continue  # a redirect out of the archive: not a snapshot
        walked.snapshots += 1
        walked.add(feed, start)
    return walked
