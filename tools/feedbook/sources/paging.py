"""What an Atom or RSS document says about the rest of the blog's history: RFC 5005 links and
markers, OpenSearch counts (Blogger), and the generator that names the platform."""

from __future__ import annotations

from lxml import etree

from .elements import ATOM, ATOM03, child, children, element_text, explicit_base, resolve, web_url
from .records import Paging

HISTORY = "http://purl.org/syndication/history/1.0"
OPENSEARCH = ("http://a9.com/-/spec/opensearchrss/1.0/", "http://a9.com/-/spec/opensearch/1.1/")
# RFC 5005 and RFC 5988 rels a history walk follows; "prev" is a common alias of "previous".
PAGING_RELS = ("next", "previous", "prev", "first", "last", "prev-archive", "next-archive", "current")


def read_paging(container: etree._Element, document_url: str) -> Paging:
    """The paging of a feed document whose feed-level elements are the children of ``container``
    (Atom's <feed>, RSS's <channel>); links are resolved against the document's own URL."""
    paging = Paging()
    base = web_url(explicit_base(container)) or web_url(document_url)
    for link in children(container, (ATOM, ATOM03), "link"):
        rel = (link.get("rel") or "").strip().lower()
        href = web_url(resolve(base, link.get("href") or ""))
        if rel in PAGING_RELS and href:
            paging.links.setdefault("previous" if rel == "prev" else rel, href)
    paging.complete = child(container, (HISTORY,), "complete") is not None
    paging.archive = child(container, (HISTORY,), "archive") is not None
    paging.total = _count(child(container, OPENSEARCH, "totalResults"))
    paging.start_index = _count(child(container, OPENSEARCH, "startIndex"))
    paging.per_page = _count(child(container, OPENSEARCH, "itemsPerPage"))
    return paging


def read_generator(container: etree._Element, namespaces: tuple[str | None, ...]) -> str:
    """The generator's name and URI ("Blogger http://www.blogger.com"), for platform detection."""
    element = child(container, namespaces, "generator")
    if element is None:
        return ""
    return " ".join(part for part in (element_text(element), element.get("uri", "")) if part)


def _count(element: etree._Element | None) -> int | None:
    text = element_text(element)
    return int(text) if text.isdigit() and len(text) < 10 else None
