"""JSON Feed 1.0 and 1.1 documents (jsonfeed.org) into `Feed` records.

Every value is untrusted: a field of the wrong type (a list for a title, a
string for the items) counts as missing and is never an error. Only a
document that is not JSON, or not a JSON Feed, raises FeedbookError.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from typing import Any

from ..diagnostics import FeedbookError, Kind, Reporter
from .elements import make_entry, parse_date, plain_text_html, resolve, web_url
from .records import Entry, Feed

VERSIONS = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")  # pxlnv.com writes http://
_JSON_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*\{")
# What XML cannot hold, and so the XML readers never hand on: JSON's \u0000 and lone \ud800 can.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Complete character references only: "&not" without its ";" stays text, as do tags.
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def looks_like_json(data: bytes) -> bool:
    """A JSON object: the first byte that is not whitespace (after a UTF-8 BOM) is ``{``."""
    return _JSON_START.match(data) is not None


def read_json_feed(data: bytes, source: str, reporter: Reporter, url: str) -> Feed:
    document = _load(data, source, reporter)
    version = _string(document.get("version"))
    if not version.startswith(VERSIONS):
        found = f"version {version[:80]!r}" if version else "no version"
        raise FeedbookError(f"{source}: not a JSON Feed ({found}; expected https://jsonfeed.org/version/…)")
    home = web_url(url)
    base = web_url(resolve(home, _string(document.get("feed_url")))) or home
    feed = Feed(source=source)
    feed.title = _text(document.get("title"))
    feed.subtitle = _text(document.get("description"))
    feed.language = _text(document.get("language"))
    feed.link = _url(base, document.get("home_page_url"))
    feed.id = _url(base, document.get("feed_url")) or feed.link
    next_url = _url(base, document.get("next_url"))
    if next_url:
        feed.paging.links["next"] = next_url
    feed_authors = _authors(document)
    feed.author = ", ".join(feed_authors)
    # The blog's own icons, which some feeds repeat as every item's image: not the post's picture.
    icons = {_url(base, document.get(key)) for key in ("icon", "favicon")} - {""}
    items = document.get("items")
    for item in items if isinstance(items, list) else []:
        entry = _read_item(item, feed, feed_authors, reporter, base or feed.link, icons)
        if entry is not None:
            feed.entries.append(entry)
    return feed


def _load(data: bytes, source: str, reporter: Reporter) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")  # the spec says UTF-8
    except UnicodeDecodeError:  # one bad byte must not lose the feed
        text = data.decode("utf-8-sig", errors="replace")
        reporter.warn(Kind.FEED_RECOVERED, "replaced bytes that are not UTF-8", feed=source)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        reason = error.msg.removesuffix(" at")  # "Invalid control character at": the position follows
        raise FeedbookError(
            f"{source}: not a valid JSON Feed (JSON error at character {error.pos}: {reason})"
        ) from None
    except RecursionError:  # [[[[… past the interpreter's stack
        raise FeedbookError(f"{source}: not a valid JSON Feed (nested too deep to read)") from None
    except ValueError as error:  # a number of 5,000 digits: "Exceeds the limit (4300 digits) for integer…"
        raise FeedbookError(f"{source}: not a valid JSON Feed ({str(error).partition(':')[0]})") from None
    if not isinstance(document, dict):
        raise FeedbookError(f"{source}: not a JSON Feed (the document is not a JSON object)")
    return document


def _read_item(
    item: object, feed: Feed, feed_authors: list[str], reporter: Reporter, base: str, icons: set[str]
) -> Entry | None:
    if not isinstance(item, dict):
        reporter.warn(Kind.ENTRY_SKIPPED, "skipped an item that is not a JSON object", feed=feed.source)
        return None
    url = _url(base, item.get("url"))
    external = _url(base, item.get("external_url"))
    raw_id = item.get("id")
    # 1.0 feeds sometimes number their items; a bool is no id.
    entry_id = str(raw_id) if isinstance(raw_id, int | float) and not isinstance(raw_id, bool) else ""
    entry_id = entry_id or _string(raw_id).strip() or url
    title = _text(item.get("title"))
    if not entry_id:
        reporter.warn(Kind.ENTRY_SKIPPED, "skipped an item with no id and no url", feed=feed.source, entry=title)
        return None
    content, summary_only = _string(item.get("content_html")), False
    if not content.strip():
        content = plain_text_html(_string(item.get("content_text")))
    if not content:
        content = plain_text_html(_string(item.get("summary")))
        summary_only = bool(content)
    link = url or external
    content = _images(item, link or base, content, icons) + content + _attachments(item, link or base)
    tags = item.get("tags")
    return make_entry(
        feed,
        reporter,
        entry_id=entry_id,
        title=title,
        link=link,
        published=parse_date(_string(item.get("date_published"))),
        updated=parse_date(_string(item.get("date_modified"))),
        authors=_authors(item) or feed_authors,
        tags=[_text(tag) for tag in tags] if isinstance(tags, list) else [],
        content=content,
        base_url=link or base,
        summary_only=summary_only,
        related=external if url else "",  # a link post: the page it comments on
    )


def _images(item: dict[str, Any], base: str, content: str, icons: set[str]) -> str:
    """The item's banner and image, unless its content shows them already or they are the blog's icon."""
    shown = []
    for key in ("banner_image", "image"):
        src = _url(base, item.get(key))
        if src and src not in shown and src not in icons and src not in content and html.escape(src) not in content:
            shown.append(src)
    return "".join(f'<p><img src="{html.escape(src)}" alt=""></p>' for src in shown)


def _attachments(item: dict[str, Any], base: str) -> str:
    """A link to each attachment (a podcast's audio), so that nothing the item carries is lost."""
    attachments = item.get("attachments")
    links = []
    for attachment in attachments if isinstance(attachments, list) else []:
        href = _url(base, attachment.get("url")) if isinstance(attachment, dict) else ""
        if href:
            name = urllib.parse.unquote(urllib.parse.urlsplit(href).path.rstrip("/").rpartition("/")[2]) or href
            label = _text(attachment.get("title")) or _text(name)
            links.append(f'<a href="{html.escape(href)}">{html.escape(label)}</a>')
    return f"<p>{'<br>'.join(links)}</p>" if links else ""


def _authors(parent: dict[str, Any]) -> list[str]:
    """The names in ``authors`` (1.1), else in 1.0's single ``author``."""
    for people in (parent.get("authors"), [parent.get("author")]):
        if isinstance(people, list):
            names = [_text(person.get("name")) for person in people if isinstance(person, dict)]
            if any(names):
                return [name for name in names if name]
    return []


def _string(value: object) -> str:
    return _FORBIDDEN.sub("", value) if isinstance(value, str) else ""


def _text(value: object) -> str:
    """A plain-text field, one line. WordPress plugins write "&#8216;" in titles; decode only such references."""
    return " ".join(_REFERENCE.sub(lambda match: html.unescape(match.group()), _string(value)).split())


def _url(base: str, value: object) -> str:
    """An absolute http(s) URL, or ""."""
    return web_url(resolve(base, _string(value)))
