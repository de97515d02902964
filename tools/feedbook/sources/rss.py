"""RSS 2.0 and 0.9x, RSS 1.0 (RDF) and WordPress export (WXR) files into `Feed` records."""

from __future__ import annotations

from lxml import etree

from ..diagnostics import FeedbookError, Kind, Reporter
from .elements import (
    CONTENT,
    DC,
    RDF,
    RSS10,
    WP_NAMESPACES,
    child,
    children,
    element_text,
    explicit_base,
    html_of,
    html_text,
    make_entry,
    parse_date,
    resolve,
    web_url,
)
from .paging import read_generator, read_paging
from .records import Entry, Feed


def read_rss(root: etree._Element, source: str, reporter: Reporter, url: str) -> Feed:
    plain: tuple[str | None, ...] = (None, RSS10)
    channel = child(root, plain, "channel")
    if channel is None:
        raise FeedbookError(f"{source}: RSS feed without a <channel>")
    feed = Feed(source=source)
    feed.title = html_text(element_text(child(channel, plain, "title")))
    feed.subtitle = html_text(element_text(child(channel, plain, "description")))
    home = web_url(url)
    feed.link = resolve(home, element_text(child(channel, plain, "link")))
    feed.id = feed.link
    home = web_url(feed.link) or home
    feed.language = element_text(child(channel, plain, "language")) or element_text(child(channel, (DC,), "language"))
    feed.author = element_text(child(channel, plain, "managingEditor")) or element_text(
        child(channel, (DC,), "creator")
    )
    feed.paging = read_paging(channel, url)
    feed.generator = read_generator(channel, plain)
    # RSS 1.0 puts items beside the channel, RSS 2.0 inside it.
    items = children(channel, plain, "item") or children(root, plain, "item")
    wordpress = _wordpress_namespace(root)
    unpublished: dict[str, int] = {}
    for item in items:
        if wordpress and not _is_published(item, wordpress):
            status = element_text(child(item, (wordpress,), "status")) or "?"
            kind = f"{status} {element_text(child(item, (wordpress,), 'post_type')) or 'item'}"
            unpublished[kind] = unpublished.get(kind, 0) + 1
            continue
        entry = _read_rss_item(item, plain, feed, reporter, wordpress, home)
        if entry is not None:
            feed.entries.append(entry)
    if unpublished:
        counts = ", ".join(f"{count} {kind}" for kind, count in sorted(unpublished.items()))
        reporter.warn(
            Kind.ENTRY_SKIPPED, f"skipped WordPress items that are not published posts or pages: {counts}", feed=source
        )
    return feed


def _is_published(item: etree._Element, wordpress: str) -> bool:
    post_type = element_text(child(item, (wordpress,), "post_type"))
    return post_type in ("post", "page") and element_text(child(item, (wordpress,), "status")) == "publish"


def _wordpress_namespace(root: etree._Element) -> str | None:
    for namespace in (root.nsmap or {}).values():
        if namespace in WP_NAMESPACES:
            return namespace
    return None


def _read_rss_item(
    item: etree._Element,
    plain: tuple[str | None, ...],
    feed: Feed,
    reporter: Reporter,
    wordpress: str | None,
    home: str,
) -> Entry | None:
    base = web_url(explicit_base(item)) or home
    link = resolve(base, element_text(child(item, plain, "link")))
    guid = child(item, plain, "guid")
    guid_text = element_text(guid)
    title = html_text(element_text(child(item, plain, "title")))
    if not link and guid is not None and guid.get("isPermaLink", "true") == "true" and guid_text.startswith("http"):
        link = guid_text
    entry_id = guid_text or item.get(f"{{{RDF}}}about", "") or link
    encoded = child(item, (CONTENT,), "encoded")
    description = child(item, plain, "description")
    content = html_of(encoded) if encoded is not None else ""
    summary_only = False
    if not content.strip() and description is not None:
        content = html_of(description)
        summary_only = encoded is None and wordpress is None
    published = parse_date(element_text(child(item, plain, "pubDate")) or element_text(child(item, (DC,), "date")))
    if not published and wordpress:
        gmt = element_text(child(item, (wordpress,), "post_date_gmt"))
        published = parse_date(gmt) if gmt and not gmt.startswith("0000") else ""
    authors = [element_text(a) for a in children(item, plain, "author") + children(item, (DC,), "creator")]
    tags = [element_text(c) for c in children(item, plain, "category") + children(item, (DC,), "subject")]
    return make_entry(
        feed,
        reporter,
        entry_id=entry_id,
        title=title,
        link=link,
        published=published,
        updated="",
        authors=[a for a in authors if a] or ([feed.author] if feed.author else []),
        tags=tags,
        content=content,
        base_url=web_url(explicit_base(item)) or link or base,
        raw_wordpress=wordpress is not None,
        summary_only=summary_only,
    )
