"""Feed bytes into a `Feed` of `Entry` records: the format recognised, its reader run, ids made unique.

Parsed with lxml, never feedparser: feedparser rewrites ``#fn:1`` hrefs into
absolute URLs and drops ``role`` attributes, which footnote detection needs.
The XML parser never loads a DTD, never expands external entities and never
touches the network. A document that opens with ``{`` is a JSON Feed (see jsonfeed.py).
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from ..diagnostics import FeedbookError, Kind, Reporter
from ..names import first_free
from .atom import read_atom
from .elements import ATOM, ATOM03, RDF, parse_date
from .jsonfeed import looks_like_json, read_json_feed
from .records import Entry, Feed
from .rss import read_rss
from .xml_document import parse_xml

__all__ = ["Entry", "Feed", "parse_date", "parse_feed"]


def parse_feed(data: bytes, source: str, reporter: Reporter | None = None, *, url: str = "") -> Feed:
    """Parse feed bytes; raise FeedbookError naming ``source`` when it is not a feed."""
    try:
        return _parse_feed(data, source, reporter or Reporter(), url)
    except (UnicodeError, ValueError) as error:
        # lxml raises these for text it cannot decode (a character reference to a lone surrogate).
        raise FeedbookError(f"{source}: unreadable text in the feed ({error})") from None


def _parse_feed(data: bytes, source: str, reporter: Reporter, url: str) -> Feed:
    if looks_like_json(data):
        feed = read_json_feed(data, source, reporter, url)
        _make_ids_unique(feed, reporter)
        return feed
    root, problem, syntax_error = parse_xml(data, source, url)
    tag = etree.QName(root).localname if isinstance(root.tag, str) else ""
    namespace = etree.QName(root).namespace if isinstance(root.tag, str) else None
    if tag == "feed" and namespace in (ATOM, ATOM03):
        feed = read_atom(root, source, reporter, namespace, url)
    elif tag == "rss" or (tag == "RDF" and namespace == RDF):
        feed = read_rss(root, source, reporter, url)
    else:
        raise FeedbookError(f"{source}: not an Atom or RSS feed (the document is <{tag or '?'}>)")
    if problem:
        if not feed.entries:
            what = f"not a well-formed feed ({syntax_error})" if syntax_error else problem
            raise FeedbookError(f"{source}: {what}, and no entry could be recovered")
        reporter.warn(Kind.FEED_RECOVERED, problem, feed=source)
    _make_ids_unique(feed, reporter)
    return feed


def _make_ids_unique(feed: Feed, reporter: Reporter) -> None:
    """Two entries sharing an id would overwrite each other in the book: keep both."""
    seen: set[str] = set()
    taken = {entry.id for entry in feed.entries}
    for index, entry in enumerate(feed.entries):
        if entry.id not in seen:
            seen.add(entry.id)
        else:  # "id#duplicate-2", "-3"…, skipping a name a real entry already bears
            new_id = first_free(entry.id, taken, spell=lambda base, number: f"{base}#duplicate-{number}")
            taken.add(new_id)
            reporter.warn(
                Kind.DUPLICATE_ID, f"id repeats an earlier entry's; kept as {new_id}", feed=feed.source, entry=entry.id
            )
            feed.entries[index] = replace(entry, id=new_id)
