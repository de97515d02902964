"""Sphinx's print page of one post, made ready for WeasyPrint.

- Footnote bodies move to their calls as ``float: footnote`` spans (Sphinx puts
  them at the end of the page); their block content becomes display-styled spans,
  since a ``<div>`` or ``<p>`` inside a paragraph would end that paragraph.
- Every id gets the post's key as a prefix, so that the merged book's link targets
  stay unique; links to other posts point at those prefixed targets and print the
  target's page number once it is known.
- Links to pages the PDF does not hold (tags, year lists) keep their text only.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree, html

BLOCK_TAGS = frozenset(
    "p div pre blockquote ul ol li dl dt dd table thead tbody tfoot tr td th caption"  # noqa: SIM905
    " h1 h2 h3 h4 h5 h6 section aside figure figcaption hr".split()
)
FOREIGN_ANCHORS = "feedbook-foreign-anchors"
FOOTNOTE_ID = "fn-"  # footnote bodies' ids start so: "<post key>--fn-<id>" in the PDF


def doc_key(docname: str) -> str:
    """A docname as an id prefix: ``posts/2022-x`` -> ``posts-2022-x``."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", docname)


@dataclass
class PrintPage:
    """A post's print HTML and what the merge needs to know about its links."""

    html: str
    key: str
    foreign: set[str] = field(default_factory=set)


def prepare_page(
    source: str, docname: str, in_book: Mapping[str, str], anchor_pages: Mapping[str, int] | None = None
) -> PrintPage:
    """The print page for ``docname``; ``in_book`` maps the docnames in the PDF to their keys.

    ``anchor_pages`` holds the book page of every target already rendered (earlier posts).
    """
    tree = html.document_fromstring(source)
    key = doc_key(docname)
    main = tree.find(".//main")
    if main is None:
        raise ValueError(f"{docname}: no <main> in the print page")
    main.set("id", key)
    page = PrintPage("", key)
    _move_footnotes(main)
    _describe_images(main)
    _unwrap_math(main)
    for element in main.iter():
        if isinstance(element.tag, str) and element.get("id") and element is not main:
            element.set("id", _target(key, element.get("id")))
    for link in list(main.iter("a")):
        _retarget(link, docname, key, in_book, anchor_pages or {}, page)
    if page.foreign:
        # Targets in other posts: WeasyPrint only links to anchors it can see. The merge
        # keeps each name's real destination, from the post that owns it.
        holder = etree.SubElement(main, "div", {"class": FOREIGN_ANCHORS})
        for name in sorted(page.foreign):
            etree.SubElement(holder, "span", {"id": name})
    page.html = etree.tostring(tree, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
    return page


def _unwrap_math(main: html.HtmlElement) -> None:
    """Formulas print as their TeX source (no MathJax on paper), without the \\( \\) and \\[ \\] delimiters."""
    for element in main.iterfind(".//*[@class]"):
        if "math" not in _classes(element) or len(element):
            continue
        text = (element.text or "").strip()
        for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")):
            if text.startswith(opening) and text.endswith(closing):
                element.text = text[len(opening) : -len(closing)].strip()


def _describe_images(main: html.HtmlElement) -> None:
    """PDF/UA wants every image described: the feed's alt, else its caption or title, else its file name."""
    for image in main.iter("img"):
        if (image.get("alt") or "").strip():
            continue
        figure = next((a for a in image.iterancestors() if a.tag == "figure"), None)
        caption = figure.find(".//figcaption") if figure is not None else None
        text = caption.text_content().strip() if caption is not None else ""
        name = posixpath.basename(urlsplit(image.get("src") or "").path)
        image.set("alt", text or (image.get("title") or "").strip() or f"Image {name}".strip())


def _retarget(
    link: html.HtmlElement,
    docname: str,
    key: str,
    in_book: Mapping[str, str],
    anchor_pages: Mapping[str, int],
    page: PrintPage,
) -> None:
    href = link.get("href")
    if href is None or "footnote-reference" in link.get("class", ""):
        return
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return  # an external link stays as it is
    target_doc = docname
    if parts.path:
        target_doc = posixpath.normpath(posixpath.join(posixpath.dirname(docname), unquote(parts.path)))
        target_doc = target_doc.removesuffix(".html")
    target_key = key if target_doc == docname else in_book.get(target_doc)
    if target_key is None:
        link.drop_tag()  # a tags or year page: not part of the printed book: its text stays
        return
    name = _target(target_key, unquote(parts.fragment))
    link.set("href", f"#{name}")
    if target_doc == docname:
        _mark_xref(link)
        return
    page.foreign.add(name)
    if name in anchor_pages:
        link.set("data-page", str(anchor_pages[name]))


def _target(key: str, fragment: str) -> str:
    """A link target in the merged book: the post's own key, then its id (the post's top without one).

    The id is made ASCII (``_`` and the UTF-8 bytes in hex for anything else): WeasyPrint writes a
    non-ASCII name as UTF-16, which would sort after every other post's names in the book's name tree.
    """
    if not fragment:
        return key
    return f"{key}--{_UNSAFE_IN_NAME.sub(lambda m: ''.join(f'_{b:02x}' for b in m.group().encode()), fragment)}"


_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9.:-]")


def _mark_xref(link: html.HtmlElement) -> None:
    """An internal reference inside this post: printed with its page number (CSS target-counter)."""
    if "internal" in link.get("class", "").split():
        link.set("class", f"{link.get('class')} feedbook-xref")


def _move_footnotes(main: html.HtmlElement) -> None:
    """Each footnote body moves to its first call; every call becomes a link to the body."""
    bodies = {aside.get("id"): aside for aside in main.iterfind(".//aside") if "footnote" in _classes(aside)}
    placed: set[str] = set()
    for call in list(main.iterfind(".//a")):
        if "footnote-reference" not in _classes(call):
            continue
        target = (call.get("href") or "").lstrip("#")
        body = bodies.get(target)
        if body is None:
            continue
        label = _label(body)
        # The call is a real link to the body: clickable, and a test can check both ends' pages.
        link = html.Element("a", {"class": "feedbook-fn-call", "href": f"#{FOOTNOTE_ID}{target}"})
        link.text = label
        if target in placed:
            _replace(call, link)  # a note called again: its number, linked
            continue
        placed.add(target)
        pair = html.Element("span", {"class": "feedbook-fn-pair"})
        pair.append(link)
        pair.append(_footnote_span(body, label))
        _replace(call, pair)
    uncalled = [body for target, body in bodies.items() if target not in placed]
    if uncalled:  # a note nobody calls keeps its place at the end of the post: no text is lost
        notes = etree.SubElement(main, "div", {"class": "feedbook-uncalled-notes"})
        notes.extend(uncalled)
    for element in list(main.iterfind(".//aside")) + list(main.iterfind(".//hr")):
        classes = _classes(element)
        if "footnote-list" in classes or "footnotes" in classes:
            element.drop_tree()


def _footnote_span(body: html.HtmlElement, label: str) -> html.HtmlElement:
    span = html.Element(
        "span", {"class": "feedbook-fn", "id": f"{FOOTNOTE_ID}{body.get('id', '')}", "data-label": label}
    )
    for child in list(body):
        if "label" in _classes(child):
            continue
        span.append(child)
    for element in span.iterdescendants():
        if isinstance(element.tag, str) and element.tag in BLOCK_TAGS:
            element.set("class", f"fb-{element.tag} {element.get('class', '')}".strip())
            element.tag = "span"
    return span


def _label(body: html.HtmlElement) -> str:
    label = next((child for child in body if "label" in _classes(child)), None)
    text = label.text_content() if label is not None else ""
    return text.strip().strip("[]") or "*"


def _replace(old: html.HtmlElement, new: html.HtmlElement) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)


def _classes(element: html.HtmlElement) -> list[str]:
    return (element.get("class") or "").split()
