"""Embedded players and frames, which a book cannot play, as links to what they show."""

from __future__ import annotations

import urllib.parse

from lxml import etree

from ..net.urls import url_scheme
from . import escape
from .context import Context, Walker


def embed_link(element: etree._Element, ctx: Context, walker: Walker) -> str:
    """A link to an iframe's, video's or audio's source, named by its kind and title ("" for no http(s) source)."""
    source = element.get("src") or element.get("data") or ""
    if not source:
        inner = element.find(".//source")
        source = inner.get("src", "") if inner is not None else ""
    if url_scheme(source) not in ("http", "https"):
        return ""
    kind = {"iframe": "Embedded content", "video": "Video", "audio": "Audio"}.get(element.tag, "Embedded content")
    host = urllib.parse.urlsplit(source).netloc.removeprefix("www.")
    title = " ".join((element.get("title") or "").split()) or host
    # The element's fallback content (often a link to the file) is kept after the link.
    fallback = "" if ctx.link else walker.inline_children(element, ctx).strip()
    label = escape.escape_text(f"{kind}: {title}")
    link = f"[{label}]({escape.link_destination(source)})" if not ctx.link else label
    return link + (" " + fallback if fallback else "")
