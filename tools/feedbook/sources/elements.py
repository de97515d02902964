"""What the XML readers share: namespaces, finding elements, their text, dates, URLs, and making an `Entry`."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import re
import urllib.parse

import dateutil.parser
from lxml import etree

from ..diagnostics import Kind, Reporter
from .records import Entry, Feed

ATOM = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RSS10 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WP_NAMESPACES = tuple(f"http://wordpress.org/export/1.{n}/" for n in range(0, 3))


def children(parent: etree._Element, namespaces: tuple[str | None, ...], name: str) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str) and is_named(child, namespaces, name)]


def is_named(element: etree._Element, namespaces: tuple[str | None, ...], name: str) -> bool:
    qname = etree.QName(element)
    return qname.localname == name and qname.namespace in namespaces


def child(parent: etree._Element, namespaces: tuple[str | None, ...], *names: str) -> etree._Element | None:
    for name in names:
        found = children(parent, namespaces, name)
        if found:
            return found[0]
    return None


def element_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def html_text(value: str) -> str:
    """The plain text of a title given as escaped HTML (``type="html"``)."""
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    from lxml import html as lxml_html

    try:
        fragment = lxml_html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(html.unescape(value).split())
    return " ".join(fragment.text_content().split())


def parse_date(value: str) -> str:
    """ISO 8601 for every date form seen in feeds (RFC 3339, RFC 822, WordPress); "" if unreadable."""
    value = value.strip()
    if not value:
        return ""
    parsed: dt.datetime | None = None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            if not re.search(r"\d{4}", value):
                return ""  # dateutil would take the missing year from today: output changing by the day
            try:
                parsed = dateutil.parser.parse(value)
            except (ValueError, OverflowError):
                return ""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.isoformat()


_XML_BASE = etree.XPath("ancestor-or-self::*[@xml:base]")


def explicit_base(element: etree._Element) -> str | None:
    """The xml:base in force, when the feed sets one (lxml would otherwise give the document's URL)."""
    return element.base if _XML_BASE(element) else None


def web_url(value: str | None) -> str:
    """A base or link usable for resolving: only http(s); never a local path."""
    try:
        return value if value and urllib.parse.urlsplit(value).scheme in ("http", "https") else ""
    except ValueError:  # "http://[oops": not a URL at all
        return ""


def resolve(base: str, href: str) -> str:
    href = href.strip()
    if not href:
        return ""
    try:
        return urllib.parse.urljoin(base, href) if base else href
    except ValueError:
        return href


def serialize_xhtml(container: etree._Element) -> str:
    """Inline XHTML content (Atom type="xhtml") as an HTML string, namespaces dropped."""
    import copy

    holder = copy.deepcopy(container)
    for element in holder.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(holder)
    # The spec wraps xhtml content in one <div>; drop it so it does not become a block.
    children = [c for c in holder if isinstance(c.tag, str)]
    if len(children) == 1 and children[0].tag == "div" and not (holder.text or "").strip():
        holder = children[0]
    parts = [html.escape(holder.text or "", quote=False)]
    parts.extend(etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in holder)
    return "".join(parts)


def plain_text_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>" for p in paragraphs)


def is_empty(element: etree._Element) -> bool:
    return not len(element) and not raw_text(element).strip()


def has_elements(element: etree._Element) -> bool:
    """Element children only: an unexpanded entity reference (&e;) is a child node too."""
    return any(isinstance(child.tag, str) for child in element)


def raw_text(element: etree._Element) -> str:
    """The element's text with unexpanded entity references kept as written."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child, etree._Entity):
            parts.append(child.text or "")
        parts.append(child.tail or "")
    return "".join(parts)


def html_of(element: etree._Element) -> str:
    """An RSS HTML field: usually escaped text; some feeds put the elements in raw."""
    return serialize_xhtml(element) if has_elements(element) else raw_text(element)


def make_entry(
    feed: Feed,
    reporter: Reporter,
    *,
    entry_id: str,
    title: str,
    link: str,
    published: str,
    updated: str,
    authors: list[str],
    tags: list[str],
    content: str,
    base_url: str,
    raw_wordpress: bool = False,
    summary_only: bool = False,
    related: str = "",
) -> Entry | None:
    label = entry_id or link or title
    if not content.strip() and not web_url(link):
        reporter.warn(Kind.ENTRY_SKIPPED, "skipped an entry with no content and no link", feed=feed.source, entry=label)
        return None
    if not entry_id:
        entry_id = "urn:feedbook:" + hashlib.sha256(f"{title}\n{published}\n{content}".encode()).hexdigest()[:24]
        reporter.warn(Kind.ENTRY_MISSING_FIELD, f"entry has no id; using {entry_id}", feed=feed.source, entry=title)
    unique_tags = tuple(dict.fromkeys(t.strip() for t in tags if t and t.strip()))
    return Entry(
        id=entry_id,
        title=title,
        link=web_url(link),
        published=published or updated,
        updated=updated or published,
        authors=tuple(dict.fromkeys(authors)),
        tags=unique_tags,
        content=content,
        base_url=base_url,
        raw_wordpress=raw_wordpress,
        summary_only=summary_only,
        related=web_url(related),
    )
