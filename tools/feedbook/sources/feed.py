"""Feed bytes into a `Feed` of `Entry` records (Atom 1.0/0.3, RSS 2.0/0.9x, RSS 1.0, WordPress WXR).

Parsed with lxml, never feedparser: feedparser rewrites ``#fn:1`` hrefs into
absolute URLs and drops ``role`` attributes, which footnote detection needs.
The XML parser never loads a DTD, never expands external entities and never
touches the network.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import re
import urllib.parse
from dataclasses import dataclass, field

import charset_normalizer
import dateutil.parser
from lxml import etree

from ..diagnostics import FeedbookError, Kind, Reporter
from ..names import first_free
from .deep_xml import MAX_XML_DEPTH, flatten_deep_elements, is_depth_error

ATOM = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RSS10 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WP_NAMESPACES = tuple(f"http://wordpress.org/export/1.{n}/" for n in range(0, 3))


@dataclass(frozen=True)
class Entry:
    """One post, as the feed gives it; ``content`` is HTML."""

    id: str
    title: str
    link: str
    published: str
    updated: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    content: str
    base_url: str
    raw_wordpress: bool = False
    summary_only: bool = False
    related: str = ""


@dataclass
class Feed:
    source: str
    title: str = ""
    subtitle: str = ""
    author: str = ""
    language: str = ""
    id: str = ""
    link: str = ""
    entries: list[Entry] = field(default_factory=list)


def parse_feed(data: bytes, source: str, reporter: Reporter | None = None, *, url: str = "") -> Feed:
    """Parse feed bytes; raise FeedbookError naming ``source`` when it is not a feed."""
    try:
        return _parse_feed(data, source, reporter or Reporter(), url)
    except (UnicodeError, ValueError) as error:
        # lxml raises these for text it cannot decode (a character reference to a lone surrogate).
        raise FeedbookError(f"{source}: unreadable text in the feed ({error})") from None


def _parse_feed(data: bytes, source: str, reporter: Reporter, url: str) -> Feed:
    root, problem, syntax_error = _parse_xml(data, source, url)
    tag = etree.QName(root).localname if isinstance(root.tag, str) else ""
    namespace = etree.QName(root).namespace if isinstance(root.tag, str) else None
    if tag == "feed" and namespace in (ATOM, ATOM03):
        feed = _read_atom(root, source, reporter, namespace, url)
    elif tag == "rss" or (tag == "RDF" and namespace == RDF):
        feed = _read_rss(root, source, reporter, url)
    else:
        raise FeedbookError(f"{source}: not an Atom or RSS feed (the document is <{tag or '?'}>)")
    if problem:
        if not feed.entries:
            what = f"not a well-formed feed ({syntax_error})" if syntax_error else problem
            raise FeedbookError(f"{source}: {what}, and no entry could be recovered")
        reporter.warn(Kind.FEED_RECOVERED, problem, feed=source)
    _make_ids_unique(feed, reporter)
    return feed


# --- XML ---------------------------------------------------------------------------------------

_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>", re.ASCII)


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        # XML nesting up to 2,048 levels (256 without): a deep Atom xhtml body keeps its words.
        # The limits it relaxes guard entity expansion, and entities are never expanded here
        # (no DTD, no network; the billion-laughs and quadratic-blowup tests hold).
        huge_tree=True,
        recover=recover,
        remove_comments=True,
        remove_pis=True,
    )


def _parse_xml(data: bytes, source: str, url: str) -> tuple[etree._Element, str, str]:
    """The document's root, what had to be mended to read it, and the syntax error recovered from ("" if none)."""
    base = url or None
    data = _undeclared_utf8(data)
    try:
        return (*_parse_strictly(data, base), "")
    except etree.XMLSyntaxError as first_error:
        error = first_error
    if _is_entity_bomb(error):
        raise FeedbookError(f"{source}: entity expansion beyond the parser's limits (a 'billion laughs' feed?)")
    # The commonest breakages are an encoding that is missing or lies, and characters XML forbids
    # (control characters, &#0;): transcode to UTF-8, drop those characters, and parse strictly again,
    # because libxml2's recover mode silently loses every entity after the first error.
    text = _decode(data)
    if text is not None:
        cleaned, dropped = _drop_forbidden_characters(text)
        utf8 = _DECLARATION.sub(b"", cleaned.encode("utf-8"), count=1)
        try:
            root, flattened = _parse_strictly(utf8, base)
        except etree.XMLSyntaxError:
            data = utf8
        else:
            removed = f"removed {dropped} character(s) that XML does not allow" if dropped else ""
            return root, "; ".join(note for note in (removed, flattened) if note), ""
    root = None
    try:
        root = etree.fromstring(data, _parser(True), base_url=base)
    except etree.XMLSyntaxError:
        root = None
    where = f"line {error.lineno}: " if getattr(error, "lineno", None) else ""
    if root is None or not isinstance(root.tag, str):
        raise FeedbookError(f"{source}: not a well-formed feed ({where}{_first_line(error.msg)})")
    syntax_error = f"{where}{_first_line(error.msg)}"
    return root, f"not well-formed XML ({syntax_error}); read what could be recovered", syntax_error


def _parse_strictly(data: bytes, base: str | None) -> tuple[etree._Element, str]:
    """The root; a document nested too deep for libxml2 is read again with its deepest tags dropped."""
    try:
        return etree.fromstring(data, _parser(False), base_url=base), ""
    except etree.XMLSyntaxError as error:
        flat = flatten_deep_elements(data) if is_depth_error(error.msg) else None
        if flat is None:
            raise
    flattened, count = flat
    note = f"{count} element(s) nested deeper than {MAX_XML_DEPTH:,} levels lost their tags (text kept)"
    return etree.fromstring(flattened, _parser(False), base_url=base), note


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _drop_forbidden_characters(text: str) -> tuple[str, int]:
    """XML 1.0 forbids most control characters, as raw text or as references (&#0;, &#xD800;)."""
    dropped = 0

    def reference(match: re.Match[str]) -> str:
        nonlocal dropped
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        allowed = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
        allowed = allowed or 0x10000 <= code <= 0x10FFFF
        if allowed:
            return match.group(0)
        dropped += 1
        return ""

    text = _CHARACTER_REFERENCE.sub(reference, text)
    text, count = _FORBIDDEN.subn("", text)
    return text, dropped + count


def _is_entity_bomb(error: etree.XMLSyntaxError) -> bool:
    message = (error.msg or "").lower()
    return "amplification" in message or "entity reference loop" in message or "entity loop" in message


def _undeclared_utf8(data: bytes) -> bytes:
    """A feed that declares Latin-1 but whose bytes are valid UTF-8 is UTF-8 (the reverse lie is rare)."""
    declared = re.match(
        rb'^\s*<\?xml[^>]*encoding=["\']((?:iso-?8859-1|latin-?1|windows-1252|cp1252))["\']', data, re.I
    )
    if declared is None or data.isascii():
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return data[: declared.start(1)] + b"utf-8" + data[declared.end(1) :]


def _first_line(message: str | None) -> str:
    return (message or "syntax error").splitlines()[0].strip()


def _decode(data: bytes) -> str | None:
    """Best-effort text of a feed whose bytes are not what they claim to be."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    declared = re.search(rb'^\s*<\?xml[^>]*encoding=["\']([A-Za-z0-9._-]+)', data)
    if declared:
        try:
            return data.decode(_codec(declared.group(1).decode("ascii")))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    # Between the single-byte Western code pages the bytes of a few accented letters cannot
    # decide; the web's answer (WHATWG) is windows-1252, by far the commonest mislabelled one.
    if best.encoding.startswith(_SINGLE_BYTE_LATIN):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


_SINGLE_BYTE_LATIN = ("cp125", "iso8859", "latin", "mac_", "cp437", "cp850", "cp858")


def _codec(name: str) -> str:
    # GB2312 feeds routinely contain GBK characters; GB18030 is a superset of both.
    return "gb18030" if name.lower() in ("gb2312", "gbk") else name


# --- helpers -------------------------------------------------------------------------------------


def _children(parent: etree._Element, namespaces: tuple[str | None, ...], name: str) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str) and _is(child, namespaces, name)]


def _is(element: etree._Element, namespaces: tuple[str | None, ...], name: str) -> bool:
    qname = etree.QName(element)
    return qname.localname == name and qname.namespace in namespaces


def _child(parent: etree._Element, namespaces: tuple[str | None, ...], *names: str) -> etree._Element | None:
    for name in names:
        found = _children(parent, namespaces, name)
        if found:
            return found[0]
    return None


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _html_text(value: str) -> str:
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


def _explicit_base(element: etree._Element) -> str | None:
    """The xml:base in force, when the feed sets one (lxml would otherwise give the document's URL)."""
    return element.base if _XML_BASE(element) else None


def _web_url(value: str | None) -> str:
    """A base or link usable for resolving: only http(s); never a local path."""
    try:
        return value if value and urllib.parse.urlsplit(value).scheme in ("http", "https") else ""
    except ValueError:  # "http://[oops": not a URL at all
        return ""


def _resolve(base: str, href: str) -> str:
    href = href.strip()
    if not href:
        return ""
    try:
        return urllib.parse.urljoin(base, href) if base else href
    except ValueError:
        return href


def _serialize_xhtml(container: etree._Element) -> str:
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


def _plain_text_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>" for p in paragraphs)


# --- Atom ----------------------------------------------------------------------------------------


def _read_atom(root: etree._Element, source: str, reporter: Reporter, namespace: str | None, url: str) -> Feed:
    ns = (namespace,)
    feed = Feed(source=source)
    feed.title = _atom_text(_child(root, ns, "title"))
    feed.subtitle = _atom_text(_child(root, ns, "subtitle", "tagline"))
    feed.id = _text(_child(root, ns, "id"))
    feed.language = root.get(XML_LANG, "")
    home = _web_url(_explicit_base(root)) or _web_url(url)
    for rel in ("alternate", "self"):
        home = _web_url(_resolve(home, _atom_link(root, ns, "", rel))) or home
        if home:
            break
    feed.link = _atom_link(root, ns, home) if home else ""
    feed_authors = _atom_authors(root, ns)
    feed.author = ", ".join(feed_authors)
    for element in _children(root, ns, "entry"):
        entry = _read_atom_entry(element, ns, feed, feed_authors, reporter, home)
        if entry is not None:
            feed.entries.append(entry)
    return feed


def _atom_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    kind = element.get("type", "text").lower()
    if kind in ("xhtml", "application/xhtml+xml") or _has_elements(element):
        return _html_text(_serialize_xhtml(element)) if _has_elements(element) else _text(element)
    if kind in ("html", "text/html") or element.get("mode") == "escaped":
        return _html_text(_raw_text(element))
    return _text(element)


def _atom_link(parent: etree._Element, ns: tuple[str | None, ...], base: str, rel: str = "alternate") -> str:
    for link in _children(parent, ns, "link"):
        if link.get("rel", "alternate") == rel and link.get("href"):
            return _resolve(base, link.get("href", ""))
    return ""


def _atom_authors(parent: etree._Element, ns: tuple[str | None, ...]) -> list[str]:
    names = []
    for author in _children(parent, ns, "author"):
        name = _text(_child(author, ns, "name")) or _text(_child(author, ns, "email"))
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
    base = _web_url(_explicit_base(element)) or home
    link = _atom_link(element, ns, base)
    entry_id = _text(_child(element, ns, "id")) or link
    title = _atom_text(_child(element, ns, "title"))
    content_element = _child(element, ns, "content")
    summary_only = False
    if content_element is None or _is_empty(content_element):
        content_element = _child(element, ns, "summary")
        summary_only = content_element is not None
    content, content_base = ("", "")
    if content_element is not None:
        content = _atom_content(content_element)
        content_base = _web_url(_explicit_base(content_element))
    published = parse_date(_text(_child(element, ns, "published", "issued", "created")))
    updated = parse_date(_text(_child(element, ns, "updated", "modified")))
    authors = _atom_authors(element, ns) or feed_authors
    tags = [c.get("term") or c.get("label") or "" for c in _children(element, ns, "category")]
    tags += [_text(s) for s in _children(element, (DC,), "subject")]
    return _make_entry(
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


def _is_empty(element: etree._Element) -> bool:
    return not len(element) and not _raw_text(element).strip()


def _has_elements(element: etree._Element) -> bool:
    """Element children only: an unexpanded entity reference (&e;) is a child node too."""
    return any(isinstance(child.tag, str) for child in element)


def _raw_text(element: etree._Element) -> str:
    """The element's text with unexpanded entity references kept as written."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child, etree._Entity):
            parts.append(child.text or "")
        parts.append(child.tail or "")
    return "".join(parts)


def _html_of(element: etree._Element) -> str:
    """An RSS HTML field: usually escaped text; some feeds put the elements in raw."""
    return _serialize_xhtml(element) if _has_elements(element) else _raw_text(element)


def _atom_content(element: etree._Element) -> str:
    kind = element.get("type", "text").lower()
    if _has_elements(element) or kind in ("xhtml", "application/xhtml+xml"):
        return _serialize_xhtml(element)
    value = _raw_text(element)
    if kind in ("html", "text/html") or element.get("mode") == "escaped":
        return value
    if kind.startswith("text"):
        return _plain_text_html(value)
    return value


# --- RSS -----------------------------------------------------------------------------------------


def _read_rss(root: etree._Element, source: str, reporter: Reporter, url: str) -> Feed:
    plain: tuple[str | None, ...] = (None, RSS10)
    channel = _child(root, plain, "channel")
    if channel is None:
        raise FeedbookError(f"{source}: RSS feed without a <channel>")
    feed = Feed(source=source)
    feed.title = _html_text(_text(_child(channel, plain, "title")))
    feed.subtitle = _html_text(_text(_child(channel, plain, "description")))
    home = _web_url(url)
    feed.link = _resolve(home, _text(_child(channel, plain, "link")))
    feed.id = feed.link
    home = _web_url(feed.link) or home
    feed.language = _text(_child(channel, plain, "language")) or _text(_child(channel, (DC,), "language"))
    feed.author = _text(_child(channel, plain, "managingEditor")) or _text(_child(channel, (DC,), "creator"))
    # RSS 1.0 puts items beside the channel, RSS 2.0 inside it.
    items = _children(channel, plain, "item") or _children(root, plain, "item")
    wordpress = _wordpress_namespace(root)
    unpublished: dict[str, int] = {}
    for item in items:
        if wordpress and not _is_published(item, wordpress):
            status = _text(_child(item, (wordpress,), "status")) or "?"
            kind = f"{status} {_text(_child(item, (wordpress,), 'post_type')) or 'item'}"
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
    post_type = _text(_child(item, (wordpress,), "post_type"))
    return post_type in ("post", "page") and _text(_child(item, (wordpress,), "status")) == "publish"


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
    base = _web_url(_explicit_base(item)) or home
    link = _resolve(base, _text(_child(item, plain, "link")))
    guid = _child(item, plain, "guid")
    guid_text = _text(guid)
    title = _html_text(_text(_child(item, plain, "title")))
    if not link and guid is not None and guid.get("isPermaLink", "true") == "true" and guid_text.startswith("http"):
        link = guid_text
    entry_id = guid_text or item.get(f"{{{RDF}}}about", "") or link
    encoded = _child(item, (CONTENT,), "encoded")
    description = _child(item, plain, "description")
    content = _html_of(encoded) if encoded is not None else ""
    summary_only = False
    if not content.strip() and description is not None:
        content = _html_of(description)
        summary_only = encoded is None and wordpress is None
    published = parse_date(_text(_child(item, plain, "pubDate")) or _text(_child(item, (DC,), "date")))
    if not published and wordpress:
        gmt = _text(_child(item, (wordpress,), "post_date_gmt"))
        published = parse_date(gmt) if gmt and not gmt.startswith("0000") else ""
    authors = [_text(a) for a in _children(item, plain, "author") + _children(item, (DC,), "creator")]
    tags = [_text(c) for c in _children(item, plain, "category") + _children(item, (DC,), "subject")]
    return _make_entry(
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
        base_url=_web_url(_explicit_base(item)) or link or base,
        raw_wordpress=wordpress is not None,
        summary_only=summary_only,
    )


# --- shared --------------------------------------------------------------------------------------


def _make_entry(
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
    if not content.strip() and not _web_url(link):
        reporter.warn(Kind.ENTRY_SKIPPED, "skipped an entry with no content and no link", feed=feed.source, entry=label)
        return None
    if not entry_id:
        entry_id = "urn:feedbook:" + hashlib.sha256(f"{title}\n{published}\n{content}".encode()).hexdigest()[:24]
        reporter.warn(Kind.ENTRY_MISSING_FIELD, f"entry has no id; using {entry_id}", feed=feed.source, entry=title)
    unique_tags = tuple(dict.fromkeys(t.strip() for t in tags if t and t.strip()))
    return Entry(
        id=entry_id,
        title=title,
        link=_web_url(link),
        published=published or updated,
        updated=updated or published,
        authors=tuple(dict.fromkeys(authors)),
        tags=unique_tags,
        content=content,
        base_url=base_url,
        raw_wordpress=raw_wordpress,
        summary_only=summary_only,
        related=_web_url(related),
    )


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
            feed.entries[index] = _replace_id(entry, new_id)


def _replace_id(entry: Entry, new_id: str) -> Entry:
    from dataclasses import replace

    return replace(entry, id=new_id)
