"""Atom 1.0 and 0.3 feeds into `Feed` records."""

from __future__ import annotations

from lxml import etree

from ..diagnostics import Reporter
from .elements import (
    DC,
    XML_LANG,
    child,
    children,
    element_text,
    explicit_base,
    has_elements,
    html_text,
    is_empty,
    make_entry,
    parse_date,
    plain_text_html,
    raw_text,
    resolve,
    serialize_xhtml,
    web_url,
)
from .paging import read_generator, read_paging
from .records import Entry, Feed


def read_atom(root: etree._Element, source: str, reporter: Reporter, namespace: str | None, url: str) -> Feed:
    ns = (namespace,)
    feed = Feed(source=source)
    feed.title = _atom_text(child(root, ns, "title"))
    feed.subtitle = _atom_text(child(root, ns, "subtitle", "tagline"))
    feed.id = element_text(child(root, ns, "id"))
    feed.language = root.get(XML_LANG, "")
    home = web_url(explicit_base(root)) or web_url(url)
    for rel in ("alternate", "self"):
        home = web_url(resolve(home, _atom_link(root, ns, "", rel))) or home
        if home:
            break
    feed.link = _atom_link(root, ns, home) if home else ""
    feed.paging = read_paging(root, url)
    feed.generator = read_generator(root, ns)
    feed_authors = _atom_authors(root, ns)
    feed.author = ", ".join(feed_authors)
    for element in children(root, ns, "entry"):
        entry = _read_atom_entry(element, ns, feed, feed_authors, reporter, home)
        if entry is not None:
            feed.entries.append(entry)
    return feed


def _atom_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    kind = element.get("type", "text").lower()
    if kind in ("xhtml", "application/xhtml+xml") or has_elements(element):
        return html_text(serialize_xhtml(element)) if has_elements(element) else element_text(element)
    if kind in ("html", "text/html") or element.get("mode") == "escaped":
        return html_text(raw_text(element))
    return element_text(element)


def _atom_link(parent: etree._Element, ns: tuple[str | None, ...], base: str, rel: str = "alternate") -> str:
    for link in children(parent, ns, "link"):
        if link.get("rel", "alternate") == rel and link.get("href"):
            return resolve(base, link.get("href", ""))
    return ""


def _atom_authors(parent: etree._Element, ns: tuple[str | None, ...]) -> list[str]:
    names = []
    for author in children(parent, ns, "author"):
        name = element_text(child(author, ns, "name")) or element_text(child(author, ns, "email"))
        if name:
            names.append(name)
    return names


def _read_atom_entry(
    element: etree._Element,
    ns: tuple[str | None, ...],
    feed: Feed,
    feed_authors: list[str],
    reporter: Reporter,
    home: str,
) -> Entry | None:
    base = web_url(explicit_base(element)) or home
    link = _atom_link(element, ns, base)
    entry_id = element_text(child(element, ns, "id")) or link
    title = _atom_text(child(element, ns, "title"))
    content_element = child(element, ns, "content")
    summary_only = False
    if content_element is None or is_empty(content_element):
        content_element = child(element, ns, "summary")
        summary_only = content_element is not None
    content, content_base = ("", "")
    if content_element is not None:
        content = _atom_content(content_element)
        content_base = web_url(explicit_base(content_element))
    published = parse_date(element_text(child(element, ns, "published", "issued", "created")))
    updated = parse_date(element_text(child(element, ns, "updated", "modified")))
    authors = _atom_authors(element, ns) or feed_authors
    tags = [c.get("term") or c.get("label") or "" for c in children(element, ns, "category")]
    tags += [element_text(s) for s in children(element, (DC,), "subject")]
    return make_entry(
        feed,
        reporter,
        entry_id=entry_id,
        title=title,
        link=link,
        published=published,
        updated=updated,
        authors=authors,
        tags=tags,
        content=content,
        base_url=content_base or link or base,
        summary_only=summary_only,
        related=_atom_link(element, ns, base, "related"),
    )


def _atom_content(element: etree._Element) -> str:
    kind = element.get("type", "text").lower()
    if has_elements(element) or kind in ("xhtml", "application/xhtml+xml"):
        return serialize_xhtml(element)
    value = raw_text(element)
    if kind in ("html", "text/html") or element.get("mode") == "escaped":
        return value
    if kind.startswith("text"):
        return plain_text_html(value)
    return value
