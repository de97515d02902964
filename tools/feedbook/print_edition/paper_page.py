"""A post's print page made for paper: links that cannot be clicked print where they lead.

- An external link's URL becomes a page-bottom note, numbered with the post's own notes in
  the order of their calls (``links="footnotes"``), or a numbered entry in a list of links at
  the end of the post (``links="list"``). A link whose text is its URL needs neither.
- A link inside a note prints its URL in brackets after its text: a note cannot hold a note.
- URLs break where the Chicago Manual of Style breaks them (after ``//`` and ``:``, before
  ``/ . , - _ ? # % ~``, before or after ``=`` and ``&``), never with a hyphen.
- Each image prints no wider than its pixels allow at 300 pixels per inch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from lxml import etree, html

from .printers import PPI_WANTED

_BREAK_BEFORE = re.compile(r"(?<=[^/:])(?=[/.,\-_?#%~])|(?=[=&])|(?<=[=&])|(?<=//)|(?<=:)(?!//)")
_NOTE = "feedbook-fn"
_CALL = "feedbook-fn-call"


def paper_page(source: str, links: str, image_width: Callable[[str], int | None], links_title: str = "Links") -> str:
    """``source``, a print page from ``pdf.print_html.prepare_page``, made for paper.

    ``image_width(src)`` gives an image's width in pixels (None when unknown).
    """
    tree = html.document_fromstring(source)
    main = tree.find(".//main")
    if main is None:
        return source
    key = main.get("id") or "post"
    _links_inside_notes(main)
    external = [link for link in main.iter("a") if _url_to_print(link) is not None and not _in_note(link)]
    if links == "list":
        _list_links(main, key, external, links_title)
    else:
        _note_links(main, key, external)
    _renumber_notes(main)
    for element in main.iter("a"):
        if _url_to_print(element) is None and _is_url_text(element):
            _breakable(element)  # a URL printed as its own text breaks as the notes' URLs do
    _size_images(main, image_width)
    return etree.tostring(tree, encoding="unicode", method="html", doctype="<!DOCTYPE html>")


def _url_to_print(link: html.HtmlElement) -> str | None:
    """The URL a reader of paper needs to see for this link: None for internal links, note calls,
    and links whose text already is their URL."""
    href = (link.get("href") or "").strip()
    if urlsplit(href).scheme not in ("http", "https") or _CALL in _classes(link):
        return None
    if _is_url_text(link):
        return None
    return href


def _is_url_text(link: html.HtmlElement) -> bool:
    return _bare(link.text_content()) == _bare(link.get("href") or "") != ""


def _bare(url: str) -> str:
    """A URL as people write it: no scheme, no ``www.``, no trailing slash."""
    text = re.sub(r"^[a-z]+://", "", "".join(url.split()).lower())
    return text.removeprefix("www.").rstrip("/")


def _in_note(element: html.HtmlElement) -> bool:
    return any(_NOTE in _classes(ancestor) for ancestor in element.iterancestors())


def _links_inside_notes(main: html.HtmlElement) -> None:
    for note in main.iterfind(f".//span[@class='{_NOTE}']"):
        for link in note.iter("a"):
            url = _url_to_print(link)
            if url is not None:
                bracket = html.Element("span", {"class": "feedbook-url-inline"})
                bracket.text = " ("
                shown = etree.SubElement(bracket, "span", {"class": "feedbook-url"})
                shown.text = url
                shown.tail = ")"
                _breakable(shown)
                _insert_after(link, bracket)


def _note_links(main: html.HtmlElement, key: str, external: list[html.HtmlElement]) -> None:
    for number, link in enumerate(external, start=1):
        target = f"{key}--fn-url-{number}"
        pair = html.Element("span", {"class": "feedbook-fn-pair"})
        call = etree.SubElement(pair, "a", {"class": _CALL, "href": f"#{target}"})
        call.text = "*"
        body = etree.SubElement(pair, "span", {"class": f"{_NOTE} feedbook-url-note", "id": target})
        body.text = _url_to_print(link)
        _breakable(body)
        _insert_after(link, pair)


def _list_links(main: html.HtmlElement, key: str, external: list[html.HtmlElement], title_text: str) -> None:
    if not external:
        return
    listing = etree.SubElement(main, "section", {"class": "feedbook-link-list"})
    title = etree.SubElement(listing, "p", {"class": "feedbook-link-list-title"})
    title.text = title_text
    items = etree.SubElement(listing, "ol")
    for number, link in enumerate(external, start=1):
        target = f"{key}--link-{number}"
        call = html.Element("a", {"class": "feedbook-link-call", "href": f"#{target}"})
        call.text = f"[{number}]"
        _insert_after(link, call)
        item = etree.SubElement(items, "li", {"id": target})
        etree.SubElement(item, "span", {"class": "feedbook-link-number"}).text = f"[{number}] "
        url = etree.SubElement(item, "span", {"class": "feedbook-url"})
        url.text = _url_to_print(link)
        _breakable(url)


def _renumber_notes(main: html.HtmlElement) -> None:
    """Every note (the post's own and the URLs') numbered 1, 2, 3… in the order of their first calls."""
    numbers: dict[str, str] = {}
    for call in main.iterfind(f".//a[@class='{_CALL}']"):
        target = (call.get("href") or "").lstrip("#")
        number = numbers.setdefault(target, str(len(numbers) + 1))
        call.text = number
    for note in main.iter("span"):
        if _NOTE in _classes(note) and note.get("id") in numbers:
            note.set("data-label", numbers[note.get("id")])


def _breakable(element: html.HtmlElement) -> None:
    """Break opportunities (``<wbr>``) inside the element's URL text, as CMOS places them."""
    text = element.text or ""
    if not text or len(element):
        return
    pieces = [piece for piece in _BREAK_BEFORE.split(text) if piece]
    element.text = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        etree.SubElement(element, "wbr").tail = piece


def _size_images(main: html.HtmlElement, image_width: Callable[[str], int | None]) -> None:
    for image in main.iter("img"):
        src = image.get("src") or ""
        if src.startswith("data:"):
            continue  # a formula: vector, drawn at the text's size
        pixels = image_width(src)
        if pixels:
            style = image.get("style", "").rstrip("; ")
            limit = f"max-width: min(100%, {pixels / PPI_WANTED:.3f}in)"
            image.set("style", f"{style}; {limit}" if style else limit)


def _insert_after(anchor: html.HtmlElement, new: html.HtmlElement) -> None:
    new.tail = anchor.tail
    anchor.tail = None
    anchor.addnext(new)


def _classes(element: html.HtmlElement) -> list[str]:
    return (element.get("class") or "").split()
